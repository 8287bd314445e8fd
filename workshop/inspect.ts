/**
 * Reading a whole vessel once: every document datum understands, parsed, with every
 * problem named by file (and line and key where known). Boot, brief, status and
 * resume all start here.
 *
 * @module
 */

import { DatumError, DocumentError, ExitCode } from "../core/errors.ts";
import { kindOf, readBytesIfExists, readTextIfExists } from "../core/fs.ts";
import { type CapabilityDoc, parseCapability } from "./capability.ts";
import { type Journal, parseJournal } from "./journal.ts";
import { parseTaskboard, type Task } from "./taskboard.ts";
import {
  confine,
  SUCCESSION_DOCUMENTS,
  type Vessel,
  WORKING_DOCUMENTS,
} from "./vessel.ts";

/** One thing wrong with a vessel. */
export interface Problem {
  /** `error` makes the vessel invalid; `warning` is a known gap. */
  severity: "error" | "warning";
  /** The file at fault, relative to the vessel's root. */
  path: string;
  /** 1-based line, when known. */
  line?: number;
  /** The dotted key at fault, when known. */
  key?: string;
  /** One line: what is wrong and, after a semicolon, the fix. */
  message: string;
}

/** Everything datum read from a vessel. */
export interface VesselState {
  /** The vessel. */
  vessel: Vessel;
  /** What is wrong with it, errors first. */
  problems: Problem[];
  /** `SEED.md`, when present. */
  seed: string | undefined;
  /** `CAPABILITY.toml`, when present and valid. */
  capability: CapabilityDoc | undefined;
  /** The task board's tasks. */
  tasks: Task[];
  /** The journal's entries and problems. */
  journal: Journal;
  /** Size of `JOURNAL.md` in bytes. */
  journalBytes: number;
  /** `TRAIL.md`, or `""`. */
  trail: string;
}

/**
 * Reads and validates every document of `vessel`.
 *
 * @param vessel A vessel from `findVessel`.
 * @returns What was read, with the problems found.
 *
 * @example
 * ```ts ignore
 * const state = await inspectVessel(await openVessel("./workshop"));
 * for (const p of state.problems) console.error(formatProblem(p));
 * ```
 */
export async function inspectVessel(vessel: Vessel): Promise<VesselState> {
  const problems: Problem[] = [];
  const rel = (path: string): string =>
    path.startsWith(`${vessel.root}/`)
      ? path.slice(vessel.root.length + 1)
      : path;
  const severity = vessel.layout === "datum" ? "error" : "warning";
  const documents = vessel.layout === "datum"
    ? [...SUCCESSION_DOCUMENTS, ...WORKING_DOCUMENTS]
    : SUCCESSION_DOCUMENTS;
  const kinds = await Promise.all(
    documents.map(([key]) => kindOf(vessel.paths[key])),
  );
  documents.forEach(([key, name, kind], i) => {
    const found = kinds[i];
    if (found === kind) return;
    problems.push({
      severity,
      path: rel(vessel.paths[key]),
      message: found === undefined
        ? `missing; ${
          vessel.layout === "datum"
            ? "restore it (`git checkout -- " + name + "`)"
            : "add it"
        } so a successor has it`
        : `must be a ${kind === "dir" ? "folder" : "file"}`,
    });
  });

  // A document that links outside the vessel is a problem, and is not read.
  const confined = async <T>(
    path: string,
    read: (path: string) => Promise<T | undefined>,
  ): Promise<T | undefined> => {
    try {
      await confine(vessel.root, path);
    } catch (error) {
      if (!(error instanceof DatumError)) throw error;
      problems.push({
        severity: "error",
        path: rel(path),
        message: `${error.message}; ${error.hint}`,
      });
      return undefined;
    }
    return await read(path);
  };
  const [seed, capabilityText, board, journalBytes, trail, manifest] =
    await Promise.all([
      confined(vessel.paths.seed, readTextIfExists),
      confined(vessel.paths.capability, readTextIfExists),
      confined(vessel.paths.taskboard, readTextIfExists),
      confined(vessel.paths.journal, readBytesIfExists),
      confined(vessel.paths.trail, readTextIfExists),
      confined(vessel.paths.tools, readTextIfExists),
    ]);

  let capability: CapabilityDoc | undefined;
  if (capabilityText !== undefined) {
    capability = collect(
      problems,
      () => parseCapability(capabilityText, rel(vessel.paths.capability)),
    );
  }
  const tasks = board === undefined
    ? []
    : collect(problems, () =>
      parseTaskboard(board, rel(vessel.paths.taskboard))) ?? [];
  const journal = parseJournal(
    journalBytes ? new TextDecoder().decode(journalBytes) : "",
  );
  for (const p of journal.problems) {
    problems.push({
      severity: "warning",
      path: rel(vessel.paths.journal),
      line: p.line,
      message: p.message,
    });
  }
  if (manifest !== undefined) {
    try {
      const parsed: unknown = JSON.parse(manifest);
      if (
        typeof parsed !== "object" || parsed === null || Array.isArray(parsed)
      ) {
        throw new SyntaxError("the registry must be a JSON object");
      }
    } catch (error) {
      problems.push({
        severity: "error",
        path: rel(vessel.paths.tools),
        message: `${(error as Error).message.split("\n")[0]}; fix the JSON`,
      });
    }
  }
  problems.sort((
    a,
    b,
  ) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
  return {
    vessel,
    problems,
    seed,
    capability,
    tasks,
    journal,
    journalBytes: journalBytes?.length ?? 0,
    trail: trail ?? "",
  };
}

/**
 * One line for a problem: `path:line: message`.
 *
 * @param problem The problem.
 * @returns The line.
 *
 * @example
 * ```ts
 * import { formatProblem } from "./inspect.ts";
 * const line = formatProblem({ severity: "error", path: "SEED.md", message: "missing" });
 * console.assert(line === "error: SEED.md: missing");
 * ```
 */
export function formatProblem(problem: Problem): string {
  const where = problem.line === undefined
    ? problem.path
    : `${problem.path}:${problem.line}`;
  return `${problem.severity}: ${where}: ${problem.message}`;
}

/**
 * The error for a vessel with error-level problems: exit code 3, naming the first.
 *
 * @param problems The vessel's problems.
 * @returns The error, or `undefined` when there are no errors.
 *
 * @example
 * ```ts
 * import { invalidVesselError } from "./inspect.ts";
 * console.assert(invalidVesselError([]) === undefined);
 * ```
 */
export function invalidVesselError(
  problems: readonly Problem[],
): DatumError | undefined {
  const errors = problems.filter((p) => p.severity === "error");
  const first = errors[0];
  if (!first) return undefined;
  const more = errors.length > 1
    ? ` (and ${errors.length - 1} more problems)`
    : "";
  const where = first.line === undefined
    ? first.path
    : `${first.path}:${first.line}`;
  return new DatumError(`Invalid vessel: ${where}: ${first.message}${more}`, {
    code: "vessel_invalid",
    exitCode: ExitCode.Invalid,
    hint: "run `datum status` to see every problem",
  });
}

function collect<T>(problems: Problem[], read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof DocumentError) {
      const doc = error;
      const problem: Problem = {
        severity: "error",
        path: doc.path,
        message: error.message.replace(/^Invalid [^:]+(:\d+)?: /, ""),
      };
      if (doc.line !== undefined) problem.line = doc.line;
      if (doc.key !== undefined) problem.key = doc.key;
      problems.push(problem);
      return undefined;
    }
    throw error;
  }
}
