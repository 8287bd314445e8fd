/**
 * `boot`: create a vessel from the embedded templates, or validate an existing one
 * and bring it up to date with its remote. Creation is all or nothing: the vessel is
 * built in a hidden sibling folder and moved into place only when complete.
 *
 * Needs read and write access to the workshop and its parent, and `--allow-run=git`.
 *
 * @module
 */

import { DatumError, ExitCode } from "../core/errors.ts";
import { fileError, kindOf } from "../core/fs.ts";
import { git, requireGit } from "../core/git.ts";
import { requirePermission } from "../core/permissions.ts";
import { formatI2I } from "../mib/i2i.ts";
import { formatCapability } from "./capability.ts";
import { formatJournalEntry, JOURNAL_HEADER } from "./journal.ts";
import { emptyTaskboard } from "./taskboard.ts";
import { templateFiles } from "./templates.ts";
import { formatTrailLine, TRAIL_HEADER } from "./trail.ts";
import { findVessel, type Vessel } from "./vessel.ts";
import { parentOf, resolvePath } from "../core/path.ts";
import { commit, identityArgs } from "../core/commit.ts";
import { ensureMergeDriver, mergeDriverSection } from "./_merge.ts";
import {
  inspectVessel,
  invalidVesselError,
  type VesselState,
} from "./inspect.ts";

/** Options of {@linkcode boot}. */
export interface BootOptions {
  /** The agent's name for a new vessel; `agent` when omitted. */
  name?: string;
  /** The agent's role for a new vessel. */
  role?: string;
  /** The keeper's URL written to a new vessel's configuration. */
  keeper?: string;
  /** Skip fetching from the remote. */
  offline?: boolean;
  /** The clock, for tests. */
  now?: Date;
}

/** What the remote sync of {@linkcode boot} did. */
export interface SyncResult {
  /** `none` without an upstream; `current`, `fast-forward`, `merged`, `ahead`, or `failed`. */
  state: "none" | "current" | "fast-forward" | "merged" | "ahead" | "failed";
  /** One line for humans. */
  detail: string;
}

/** What {@linkcode boot} found or made. */
export interface BootResult {
  /** Whether this call created the vessel. */
  created: boolean;
  /** The vessel and everything read from it. */
  state: VesselState;
  /** What happened with the remote. */
  sync: SyncResult;
}

const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * Boots the vessel in `dir`: creates it when the folder is empty or missing,
 * otherwise validates it and syncs it with its upstream.
 *
 * @param dir The workshop folder.
 * @param options Name and role of a new vessel; `offline` to skip the remote.
 * @returns What was found or made.
 * @throws {DatumError} Exit 3 for an invalid vessel or location, 7 for a missing permission.
 *
 * @example Create a vessel
 * ```ts ignore
 * import { boot } from "@datum/cli";
 * const { created, state } = await boot("./workshop", { name: "scout" });
 * console.log(created, state.vessel.agent);
 * ```
 */
export async function boot(
  dir: string,
  options: BootOptions = {},
): Promise<BootResult> {
  const root = resolvePath(dir);
  requirePermission({ name: "read", path: root });
  requireGit();
  const existing = await findVessel(root);
  if (existing) {
    if (
      existing.layout === "datum" &&
      await kindOf(`${existing.root}/.git`) !== undefined
    ) {
      await ensureMergeDriver(existing.root);
    }
    const sync = options.offline ? none() : await syncWithUpstream(existing);
    const state = await inspectVessel(existing);
    const invalid = invalidVesselError(state.problems);
    if (invalid) throw invalid;
    return { created: false, state, sync };
  }
  requirePermission({ name: "write", path: root });
  const name = options.name ?? "agent";
  if (!NAME_PATTERN.test(name)) {
    throw new DatumError(
      `Cannot create a vessel for "${name}": invalid agent name`,
      {
        code: "usage",
        exitCode: ExitCode.Usage,
        hint:
          "use lowercase letters, digits, '.', '_' or '-' (e.g. --name scout-2)",
      },
    );
  }
  await createVessel(root, { ...options, name });
  const vessel = await findVessel(root);
  if (!vessel) throw new Error(`vessel vanished after creation: ${root}`);
  const state = await inspectVessel(vessel);
  const invalid = invalidVesselError(state.problems);
  if (invalid) throw invalid;
  return { created: true, state, sync: none() };
}

async function createVessel(
  root: string,
  options: BootOptions & { name: string },
): Promise<void> {
  const parent = parentOf(root);
  const ancestor = await nearestExisting(parent, root);
  const outer = await enclosingRepository(ancestor);
  if (outer !== undefined) {
    const ignored = await git(
      outer,
      ["check-ignore", "-q", "--no-index", `${root}/`],
      {
        allowFailure: true,
      },
    );
    if (ignored.code !== 0) {
      throw new DatumError(
        `Cannot create a vessel in "${root}": the folder is inside the git repository "${outer}"`,
        {
          code: "nested_repository",
          exitCode: ExitCode.Invalid,
          hint:
            `choose a folder outside it, or list the folder in ${outer}/.gitignore first`,
        },
      );
    }
  }
  const now = options.now ?? new Date();
  const role = options.role ?? "agent";
  const name = options.name;
  const files: Record<string, string> = {
    ...templateFiles({
      name,
      role,
      date: now.toISOString(),
      ...(options.keeper ? { keeper: options.keeper } : {}),
    }),
    "CAPABILITY.toml": formatCapability({
      name,
      role,
      description: `${name}, an agent whose memory is this repository`,
      version: "0.1.0",
    }),
    "TASKBOARD.md": emptyTaskboard(),
    "JOURNAL.md": JOURNAL_HEADER + formatJournalEntry({
      category: "BOOT",
      body: `Vessel created by datum for ${name} (${role}).`,
      author: name,
      tags: ["boot"],
      now,
    }),
    "TRAIL.md": TRAIL_HEADER +
      formatTrailLine({
        actor: name,
        action: "boot",
        detail: "created the vessel",
        now,
      }),
  };

  try {
    await Deno.mkdir(parent, { recursive: true });
  } catch (error) {
    throw fileError("create the folder", parent, error);
  }
  const temp = `${parent}/.datum-boot-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await Deno.mkdir(temp);
  } catch (error) {
    throw fileError("create a vessel in", parent, error);
  }
  try {
    for (const [path, content] of Object.entries(files)) {
      const slash = path.lastIndexOf("/");
      if (slash !== -1) {
        await Deno.mkdir(`${temp}/${path.slice(0, slash)}`, {
          recursive: true,
        });
      }
      await Deno.writeTextFile(`${temp}/${path}`, content);
    }
    await git(temp, ["init", "-q", "-b", "main"]);
    await Deno.writeTextFile(`${temp}/.git/config`, mergeDriverSection(), {
      append: true,
    });
    await git(temp, ["add", "-A"]);
    await commit(
      temp,
      name,
      formatI2I({
        type: "CHECK-IN",
        sender: name,
        action: "boot",
        description: "vessel created by datum",
      }),
    );
    await moveInto(temp, root);
  } catch (error) {
    await Deno.remove(temp, { recursive: true }).catch(() => {});
    throw fileError("create a vessel in", root, error);
  }
}

async function moveInto(temp: string, root: string): Promise<void> {
  if (await kindOf(root) === undefined) {
    await Deno.rename(temp, root);
    return;
  }
  // An existing empty folder may be someone's working directory: fill it rather than
  // replace it, moving the configuration last so a crash leaves no half vessel that
  // looks whole.
  const names: string[] = [];
  for await (const entry of Deno.readDir(temp)) names.push(entry.name);
  names.sort((a, b) => Number(a === ".datum") - Number(b === ".datum"));
  for (const name of names) {
    await Deno.rename(`${temp}/${name}`, `${root}/${name}`);
  }
  await Deno.remove(temp);
}

/** The nearest folder at or above `dir` that holds a `.git`, if any. */
async function enclosingRepository(dir: string): Promise<string | undefined> {
  // Walking up costs a stat per folder; asking git would cost a process.
  for (let at = dir;;) {
    if (await kindOf(`${at}/.git`) !== undefined) return at;
    const up = parentOf(at);
    if (up === at) return undefined;
    at = up;
  }
}

async function nearestExisting(start: string, target: string): Promise<string> {
  let dir = start;
  while (true) {
    const kind = await kindOf(dir);
    if (kind === "dir") return dir;
    if (kind === "file") {
      throw new DatumError(
        `Cannot create a vessel in "${target}": "${dir}" is a file`,
        {
          code: "workshop_is_file",
          exitCode: ExitCode.Invalid,
          hint: "pass -w with a path whose parents are folders",
        },
      );
    }
    const up = parentOf(dir);
    if (up === dir) return dir;
    dir = up;
  }
}

/**
 * Brings `vessel` up to date with its upstream branch, when it has one: fast-forward
 * when behind, a merge (append-only documents merge as a union) when diverged.
 *
 * @param vessel The vessel.
 * @returns What happened; never throws for an unreachable remote.
 *
 * @example
 * ```ts ignore
 * const { state, detail } = await syncWithUpstream(vessel);
 * ```
 */
export async function syncWithUpstream(vessel: Vessel): Promise<SyncResult> {
  const upstream = await git(
    vessel.root,
    ["rev-parse", "--abbrev-ref", "@{u}"],
    {
      allowFailure: true,
    },
  );
  if (upstream.code !== 0) return none();
  const name = upstream.stdout.trim();
  const fetched = await git(vessel.root, ["fetch", "-q"], {
    allowFailure: true,
  });
  if (fetched.code !== 0) {
    return {
      state: "failed",
      detail: `cannot fetch ${name}: ${
        fetched.stderr.trim().split("\n").at(-1) ?? ""
      }`,
    };
  }
  const counts = await git(vessel.root, [
    "rev-list",
    "--left-right",
    "--count",
    "HEAD...@{u}",
  ]);
  const [ahead = 0, behind = 0] = counts.stdout.trim().split(/\s+/).map(Number);
  if (behind === 0) {
    return ahead === 0
      ? { state: "current", detail: `up to date with ${name}` }
      : { state: "ahead", detail: `${ahead} commit(s) not pushed to ${name}` };
  }
  const merge = await git(
    vessel.root,
    [
      ...identityArgs(vessel.agent),
      "merge",
      "-q",
      "--no-edit",
      ahead === 0 ? "--ff-only" : "--no-ff",
      "@{u}",
    ],
    { allowFailure: true },
  );
  if (merge.code !== 0) {
    await git(vessel.root, ["merge", "--abort"], { allowFailure: true });
    return {
      state: "failed",
      detail: `cannot merge ${name}: ${
        merge.stderr.trim().split("\n").at(-1) ?? ""
      }`,
    };
  }
  return ahead === 0
    ? {
      state: "fast-forward",
      detail: `fast-forwarded ${behind} commit(s) from ${name}`,
    }
    : { state: "merged", detail: `merged ${behind} commit(s) from ${name}` };
}

function none(): SyncResult {
  return { state: "none", detail: "no upstream branch" };
}
