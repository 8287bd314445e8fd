/**
 * `TRAIL.md`: one line per action that changed the vessel, newest last. Lines are
 * appended under a lock and never rewritten, so two clones merge as a union.
 *
 * @module
 */

import { appendLocked, kindOf } from "../core/fs.ts";
import { newId } from "../core/ids.ts";

/** One action to record. */
export interface TrailAction {
  /** Who acted: the agent's name. */
  actor: string;
  /** What kind of action, one word: `boot`, `journal`, `bottle`. */
  action: string;
  /** One line saying what changed. */
  detail: string;
  /** When; now when omitted. */
  now?: Date;
}

/** The header of a new `TRAIL.md`. */
export const TRAIL_HEADER = `# Trail

Everything this agent did that changed the vessel, one line per action, newest last.
Append-only: datum adds lines and never rewrites them.

## Log

`;

/**
 * The trail line of `entry`: `- [TIME] actor: action — detail <!-- id -->`.
 *
 * @param entry The action.
 * @returns The line, with its newline.
 *
 * @example
 * ```ts
 * import { formatTrailLine } from "./trail.ts";
 * const line = formatTrailLine({
 *   actor: "datum",
 *   action: "boot",
 *   detail: "created the vessel",
 *   now: new Date("2026-11-30T03:40:00Z"),
 * });
 * console.assert(line.startsWith("- [2026-11-30T03:40:00.000Z] datum: boot — created the vessel"));
 * ```
 */
export function formatTrailLine(entry: TrailAction): string {
  const now = entry.now ?? new Date();
  const detail = entry.detail.replace(/\s+/g, " ").trim();
  return `- [${now.toISOString()}] ${entry.actor}: ${entry.action} — ${detail} <!-- ${
    newId(now)
  } -->\n`;
}

/**
 * Appends one action to the trail at `path`, creating it when missing.
 *
 * @param path The `TRAIL.md` file.
 * @param entry The action.
 * @returns The line written, without its newline.
 *
 * @example
 * ```ts ignore
 * await appendTrail("ws/TRAIL.md", { actor: "datum", action: "journal", detail: "NOTE" });
 * ```
 */
export async function appendTrail(
  path: string,
  entry: TrailAction,
): Promise<string> {
  const line = formatTrailLine(entry);
  const exists = await kindOf(path) !== undefined;
  await appendLocked(path, exists ? line : TRAIL_HEADER + line);
  return displayTrailLine(line);
}

/**
 * The last `count` entries of a trail: list items and `###` headings, in the forms
 * datum and datum 0.3 wrote, each as one line without datum's id comment.
 *
 * @param text The trail's markdown.
 * @param count How many to return.
 * @returns The entries, oldest first.
 *
 * @example
 * ```ts
 * import { lastTrailEntries } from "./trail.ts";
 * const last = lastTrailEntries("# Trail\n\n- one\n- two\n- three\n", 2);
 * console.assert(last.join("|") === "two|three");
 * ```
 */
export function lastTrailEntries(text: string, count: number): string[] {
  const found: string[] = [];
  let end = text.length;
  // Walk backwards so a trail of any size costs only as much as the lines returned.
  while (end > 0 && found.length < count) {
    const start = text.lastIndexOf("\n", end - 1) + 1;
    const line = text.slice(start, end);
    end = start - 1;
    if (line.startsWith("- ") || line.startsWith("### ")) {
      found.push(displayTrailLine(line));
    }
  }
  return found.reverse();
}

/**
 * Counts the entries of a trail.
 *
 * @param text The trail's markdown.
 * @returns How many list items and `###` headings it holds.
 *
 * @example
 * ```ts
 * import { countTrailEntries } from "./trail.ts";
 * console.assert(countTrailEntries("- a\n- b\n") === 2);
 * ```
 */
export function countTrailEntries(text: string): number {
  let count = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith("- ") || line.startsWith("### ")) count++;
  }
  return count;
}

function displayTrailLine(line: string): string {
  return line.replace(/\s*<!--.*?-->\s*$/, "").replace(/^(- |### )/, "")
    .trimEnd();
}
