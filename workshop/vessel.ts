/**
 * Finding a vessel on disk: its layout (datum's, or datum 0.3's), where each of its
 * documents lives, and the agent it belongs to.
 *
 * @module
 */

import { DatumError, ExitCode } from "../core/errors.ts";
import { fileError, kindOf, readTextIfExists } from "../core/fs.ts";
import { parentOf, resolvePath, toSlashes } from "../core/path.ts";
import { parseToml } from "./_toml.ts";

/** The on-disk layouts datum reads. */
export type VesselLayout = "datum" | "0.3";

/** The documents and folders of a vessel, by role. */
export interface VesselPaths {
  /** `SEED.md`: identity. */
  seed: string;
  /** `TRAIL.md`: everything done, newest last. */
  trail: string;
  /** `METHODOLOGY.md`: how the agent works. */
  methodology: string;
  /** `SKILLS.md`: what it can do. */
  skills: string;
  /** `CONTEXT/`: knowledge base. */
  context: string;
  /** `PROMPTS/`: prompt templates. */
  prompts: string;
  /** `CAPABILITY.toml`: machine-readable declaration. */
  capability: string;
  /** `JOURNAL.md`: working notes. */
  journal: string;
  /** `TASKBOARD.md`: the task board. */
  taskboard: string;
  /** `message-in-a-bottle/`: bottles. */
  bottles: string;
  /** `tools/manifest.json`: the tool registry. */
  tools: string;
  /** `recipes/`. */
  recipes: string;
  /** `.datum/config.toml` (datum) or `.superagent/agent.toml` (0.3). */
  config: string;
}

/** A vessel found on disk. */
export interface Vessel {
  /** Absolute path of the vessel's root folder. */
  root: string;
  /** Which runtime's layout it has. */
  layout: VesselLayout;
  /** The agent's name. */
  agent: string;
  /** The agent's role, when the vessel says. */
  role: string | undefined;
  /** Where each document lives (absolute; may not exist). */
  paths: VesselPaths;
}

/** The seven succession documents of DESIGN.md §3, by role, with their names. */
export const SUCCESSION_DOCUMENTS:
  readonly (readonly [keyof VesselPaths, string, "file" | "dir"])[] = [
    ["seed", "SEED.md", "file"],
    ["trail", "TRAIL.md", "file"],
    ["methodology", "METHODOLOGY.md", "file"],
    ["skills", "SKILLS.md", "file"],
    ["context", "CONTEXT", "dir"],
    ["prompts", "PROMPTS", "dir"],
    ["capability", "CAPABILITY.toml", "file"],
  ];

/** The working-state documents a datum vessel also holds. */
export const WORKING_DOCUMENTS:
  readonly (readonly [keyof VesselPaths, string, "file" | "dir"])[] = [
    ["journal", "JOURNAL.md", "file"],
    ["taskboard", "TASKBOARD.md", "file"],
    ["bottles", "message-in-a-bottle", "dir"],
    ["tools", "tools/manifest.json", "file"],
    ["recipes", "recipes", "dir"],
    ["config", ".datum/config.toml", "file"],
  ];

const DATUM_CONFIG = ".datum/config.toml";
const LEGACY_CONFIG = ".superagent/agent.toml";

/**
 * Finds the vessel in `dir`.
 *
 * @param dir The vessel's folder.
 * @returns The vessel, or `undefined` when the folder is missing or empty.
 * @throws {DatumError} When `dir` is a file, or a folder with files but no vessel.
 *
 * @example Open a vessel
 * ```ts ignore
 * const vessel = await findVessel("./workshop");
 * if (vessel) console.log(vessel.agent, vessel.layout);
 * ```
 */
export async function findVessel(dir: string): Promise<Vessel | undefined> {
  const kind = await kindOf(resolvePath(dir));
  if (kind === undefined) return undefined;
  if (kind === "file") {
    throw new DatumError(
      `Cannot use workshop "${dir}": it is a file, not a folder`,
      {
        code: "workshop_is_file",
        exitCode: ExitCode.Invalid,
        hint:
          "pass -w with a folder (an empty or missing one to create a vessel)",
      },
    );
  }
  // The real path, so a document can be checked against it (see confine()).
  const root = toSlashes(await Deno.realPath(resolvePath(dir)));
  const datumConfig = await readInside(root, `${root}/${DATUM_CONFIG}`);
  if (datumConfig !== undefined) {
    const config = parseToml(datumConfig, DATUM_CONFIG);
    const agent = table(config, "agent");
    return {
      root,
      layout: "datum",
      agent: stringAt(agent, "name") ?? "agent",
      role: stringAt(agent, "role"),
      paths: datumPaths(root),
    };
  }
  const legacyConfig = await readInside(root, `${root}/${LEGACY_CONFIG}`);
  const hasSeed = await kindOf(`${root}/SEED.md`) === "file";
  const hasCapability = await kindOf(`${root}/CAPABILITY.toml`) === "file";
  if (legacyConfig !== undefined || hasSeed || hasCapability) {
    const config = legacyConfig === undefined
      ? {}
      : parseToml(legacyConfig, LEGACY_CONFIG);
    const agent = table(config, "agent");
    const workshop = stringAt(table(config, "workshop"), "path");
    return {
      root,
      layout: "0.3",
      agent: stringAt(agent, "name") ?? await capabilityName(root) ??
        basename(root),
      role: stringAt(agent, "role"),
      paths: await legacyPaths(root, workshop),
    };
  }
  for await (const _ of Deno.readDir(root)) {
    throw new DatumError(
      `Cannot use workshop "${dir}": the folder holds files but no vessel`,
      {
        code: "not_a_vessel",
        exitCode: ExitCode.Invalid,
        hint:
          "pass -w with an empty or missing folder to create a vessel there",
      },
    );
  }
  return undefined;
}

/**
 * Like {@linkcode findVessel}, but a missing vessel is an error.
 *
 * @param dir The vessel's folder.
 * @returns The vessel.
 * @throws {DatumError} `not_found` (exit 4) when there is no vessel.
 *
 * @example
 * ```ts ignore
 * const vessel = await openVessel("./workshop");
 * ```
 */
export async function openVessel(dir: string): Promise<Vessel> {
  const vessel = await findVessel(dir);
  if (!vessel) {
    throw new DatumError(`Cannot open workshop "${dir}": there is no vessel`, {
      code: "no_vessel",
      exitCode: ExitCode.NotFound,
      hint: `run \`datum boot -w ${dir}\` to create one`,
    });
  }
  return vessel;
}

/**
 * Where each document of a datum-layout vessel rooted at `root` lives.
 *
 * @param root The vessel's absolute root.
 * @returns The paths.
 *
 * @example
 * ```ts
 * import { datumPaths } from "./vessel.ts";
 * console.assert(datumPaths("/v").journal === "/v/JOURNAL.md");
 * ```
 */
export function datumPaths(root: string): VesselPaths {
  const paths = {} as VesselPaths;
  for (const [key, name] of [...SUCCESSION_DOCUMENTS, ...WORKING_DOCUMENTS]) {
    paths[key] = `${root}/${name}`;
  }
  return paths;
}

async function legacyPaths(
  root: string,
  workshop: string | undefined,
): Promise<VesselPaths> {
  // datum 0.3 kept its working state in a workshop folder beside (or as) the vessel:
  // a document is taken from the root first, then from that workshop.
  const folders = [root];
  if (workshop) {
    const inner = resolvePath(`${root}/${workshop}`);
    if (inner !== root && inner.startsWith(`${root}/`)) folders.push(inner);
  }
  const paths = datumPaths(root);
  paths.config = `${root}/${LEGACY_CONFIG}`;
  for (
    const [key, name, kind] of [...SUCCESSION_DOCUMENTS, ...WORKING_DOCUMENTS]
  ) {
    if (key === "config") continue;
    for (const folder of folders) {
      if (await kindOf(`${folder}/${name}`) === kind) {
        paths[key] = `${folder}/${name}`;
        break;
      }
    }
  }
  return paths;
}

async function capabilityName(root: string): Promise<string | undefined> {
  const text = await readInside(root, `${root}/CAPABILITY.toml`).catch(() =>
    undefined
  );
  if (text === undefined) return undefined;
  try {
    return stringAt(table(parseToml(text, "CAPABILITY.toml"), "agent"), "name");
  } catch {
    return undefined; // validation reports it; the name falls back to the folder
  }
}

/**
 * Checks that `path`, a document of the vessel at `root`, does not lead outside the
 * vessel through a symbolic link. Vessels come from git, which keeps links: a hostile
 * vessel could point `SEED.md` at `~/.ssh/id_rsa` and have the brief print it, or
 * `JOURNAL.md` at `~/.bashrc` and have `datum journal` append to it.
 *
 * @param root The vessel's real root (as `findVessel` returns it).
 * @param path A path inside it; it need not exist yet.
 * @throws {DatumError} `outside_vessel`, exit 3, when the path resolves outside `root`.
 *
 * @example
 * ```ts ignore
 * await confine(vessel.root, vessel.paths.journal);
 * ```
 */
export async function confine(root: string, path: string): Promise<void> {
  let real: string;
  try {
    real = toSlashes(await Deno.realPath(path));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw fileError("resolve", path, error);
    }
    // A missing file is created where its folder really is.
    const parent = parentOf(path);
    if (parent.length <= root.length) return;
    return await confine(root, parent);
  }
  if (real === root || real.startsWith(`${root}/`)) return;
  const name = path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
  throw new DatumError(
    `Refusing to use "${name}": it is a symbolic link to "${real}", outside the vessel`,
    {
      code: "outside_vessel",
      exitCode: ExitCode.Invalid,
      hint: "replace the link with the file itself",
    },
  );
}

/**
 * Reads a document of the vessel at `root`, or `undefined` when it does not exist,
 * after {@linkcode confine} checked it.
 *
 * @param root The vessel's real root.
 * @param path The document.
 * @returns Its text.
 *
 * @example
 * ```ts ignore
 * const seed = await readInside(vessel.root, vessel.paths.seed);
 * ```
 */
export async function readInside(
  root: string,
  path: string,
): Promise<string | undefined> {
  await confine(root, path);
  return await readTextIfExists(path);
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1) || "agent";
}

function table(
  value: Record<string, unknown>,
  key: string,
): Record<string, unknown> {
  const inner = value[key];
  return typeof inner === "object" && inner !== null && !Array.isArray(inner)
    ? inner as Record<string, unknown>
    : {};
}

function stringAt(
  value: Record<string, unknown>,
  key: string,
): string | undefined {
  const inner = value[key];
  return typeof inner === "string" && inner.trim() !== "" ? inner : undefined;
}
