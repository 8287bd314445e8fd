/**
 * The merge driver for append-only documents (`JOURNAL.md`, `TRAIL.md`). git's
 * built-in `union` driver works line by line and emits a line once when both sides
 * added it, so two journal entries that share a body line can interleave and lose
 * their shape. This driver merges what append-only files mean: the common base, then
 * our new tail, then theirs. When either side is not an extension of the base (a
 * hand edit), it falls back to git's union merge.
 *
 * A clone only has the driver once `datum boot` registered it in `.git/config`; in a
 * clone without it, git falls back to its ordinary merge, which conflicts rather than
 * loses anything.
 *
 * @module
 */

import { git } from "../core/git.ts";

/** The driver's name, as `.gitattributes` names it. */
export const MERGE_DRIVER = "datum-append";

// POSIX sh and coreutils only, so every git installation can run it. $1 = base (%O),
// $2 = ours (%A, also the result), $3 = theirs (%B).
const SCRIPT = [
  'n=$(($(wc -c < "$1")))',
  '&& head -c "$n" "$2" | cmp -s - "$1"',
  '&& head -c "$n" "$3" | cmp -s - "$1"',
  '&& tail -c "+$((n + 1))" "$3" >> "$2"',
  '|| git merge-file --union -q "$2" "$1" "$3"',
].join(" ");

/** The `merge.datum-append.driver` value. */
export const MERGE_DRIVER_COMMAND =
  `sh -c '${SCRIPT}' ${MERGE_DRIVER} %O %A %B`;

/**
 * Registers the append-only merge driver in the clone at `root`, unless it already is.
 *
 * @param root The vessel's root (a git work tree).
 * @returns Whether `.git/config` was changed.
 */
export async function ensureMergeDriver(root: string): Promise<boolean> {
  const key = `merge.${MERGE_DRIVER}.driver`;
  const current = await git(root, ["config", "--local", "--get", key], {
    allowFailure: true,
  });
  if (current.code === 0 && current.stdout.trim() === MERGE_DRIVER_COMMAND) {
    return false;
  }
  await git(root, ["config", "--local", key, MERGE_DRIVER_COMMAND]);
  return true;
}

/**
 * The `.git/config` section that registers the driver, for a repository datum has
 * just made (appending it saves starting `git config`).
 *
 * @returns The section, in git's config syntax.
 */
export function mergeDriverSection(): string {
  const quoted = MERGE_DRIVER_COMMAND.replaceAll("\\", "\\\\").replaceAll(
    '"',
    '\\"',
  );
  return `[merge "${MERGE_DRIVER}"]\n\tdriver = "${quoted}"\n`;
}
