/**
 * `journal`: append one entry to the vessel's journal, and with `commit`, record the
 * action in the trail and commit both with an I2I message.
 *
 * Needs read and write access to the workshop, and `--allow-run=git` to commit.
 *
 * @module
 */

import { formatI2I } from "../mib/i2i.ts";
import { commit } from "../core/commit.ts";
import { appendJournal, type JournalEntry } from "./journal.ts";
import { appendTrail } from "./trail.ts";
import { confine, openVessel } from "./vessel.ts";
import { DatumError, ExitCode } from "../core/errors.ts";
import { kindOf } from "../core/fs.ts";

/** Options of {@linkcode journal}. */
export interface JournalOptions {
  /** Tags kept as tags. */
  tags?: readonly string[];
  /** The author; the vessel's agent when omitted. */
  agent?: string;
  /** Also append a trail line and commit both documents. */
  commit?: boolean;
  /** The clock, for tests. */
  now?: Date;
}

/** What {@linkcode journal} wrote. */
export interface JournalResult {
  /** The entry as written. */
  entry: JournalEntry;
  /** The trail line, when `commit` was asked for. */
  trail: string | undefined;
  /** Whether a commit was made. */
  committed: boolean;
}

/**
 * Appends one journal entry to the vessel in `dir`.
 *
 * @param dir The vessel's folder.
 * @param category The entry's category, e.g. `NOTE` or `DECISION`.
 * @param content The entry's text.
 * @param options Tags, author, and whether to commit.
 * @returns What was written.
 *
 * @example Record a decision and commit it
 * ```ts ignore
 * import { journal } from "@datum/cli";
 * await journal("./workshop", "DECISION", "Use NATS for the fleet bus", {
 *   tags: ["bus"],
 *   commit: true,
 * });
 * ```
 */
export async function journal(
  dir: string,
  category: string,
  content: string,
  options: JournalOptions = {},
): Promise<JournalResult> {
  const vessel = await openVessel(dir);
  await confine(vessel.root, vessel.paths.journal);
  if (options.commit) {
    await confine(vessel.root, vessel.paths.trail);
    // Check before writing, so a commit that cannot happen leaves nothing behind.
    if (await kindOf(`${vessel.root}/.git`) === undefined) {
      throw new DatumError(
        `Cannot commit in "${vessel.root}": it is not a git repository`,
        {
          code: "not_a_repository",
          exitCode: ExitCode.Invalid,
          hint: "run `git init` there, or journal without --commit",
        },
      );
    }
  }
  const author = options.agent ?? vessel.agent;
  const now = options.now ?? new Date();
  const entry = await appendJournal(vessel.paths.journal, {
    category,
    body: content,
    author,
    tags: options.tags ?? [],
    now,
  });
  if (!options.commit) return { entry, trail: undefined, committed: false };
  const summary = `${entry.category}: ${
    entry.body.split("\n")[0]!.slice(0, 60)
  }`;
  const trail = await appendTrail(vessel.paths.trail, {
    actor: author,
    action: "journal",
    detail: summary,
    now,
  });
  const rel = (path: string): string => path.slice(vessel.root.length + 1);
  await commit(
    vessel.root,
    author,
    formatI2I({
      type: "LOG",
      sender: author,
      action: "journal",
      description: summary,
    }),
    [rel(vessel.paths.journal), rel(vessel.paths.trail)],
  );
  return { entry, trail, committed: true };
}
