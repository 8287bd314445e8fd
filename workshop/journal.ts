/**
 * The agent's journal, `JOURNAL.md`: reads both entry forms datum 0.3 wrote and
 * appends datum's own form, 0.3's `### [time] author — CATEGORY` plus an invisible
 * integrity marker (`<!-- datum:entry id=… sum=… -->`) that makes torn and edited
 * entries detectable.
 *
 * Headings are the source of truth for where an entry starts; the `---` separators
 * are cosmetic, because git's union merge can drop the one between two entries
 * appended on two clones.
 *
 * Permissions: {@linkcode parseJournal} and {@linkcode formatJournalEntry} need none;
 * {@linkcode appendJournal} needs `--allow-read` and `--allow-write` on the journal's
 * folder.
 *
 * @module
 */

import { DatumError, ExitCode } from "../core/errors.ts";
import { appendLocked, fileError, kindOf } from "../core/fs.ts";
import { newId } from "../core/ids.ts";

/** One entry of a journal, in any of the forms datum reads. */
export interface JournalEntry {
  /** The entry's id; only datum-written entries carry one. */
  id: string | undefined;
  /** The time as written in the heading, e.g. `2026-11-30T03:40:00.123Z`. */
  time: string;
  /** Who wrote it; `undefined` for 0.3's boot form (`## [time] TAG`). */
  author: string | undefined;
  /** The CATEGORY (`###` forms) or TAG (`##` form), as written. */
  category: string;
  /** The body, trimmed, without the tag line, the marker and the separators. */
  body: string;
  /** The tags of the `` `tag` `` line, without backticks. */
  tags: string[];
  /** `"datum"` (with a marker), `"0.3"` (`###` without one) or `"0.3-boot"` (`##`). */
  form: "datum" | "0.3" | "0.3-boot";
  /** 1-based line of the heading; 0 for an entry `appendJournal` just wrote. */
  line: number;
}

/** Something odd in a journal: a torn or edited entry, stray text, a duplicate. */
export interface JournalProblem {
  /** 1-based line it concerns. */
  line: number;
  /** What is wrong, e.g. `entry at line 12 fails its checksum: torn or edited`. */
  message: string;
}

/** A parsed journal: the entries that can be trusted, and what was wrong with the rest. */
export interface Journal {
  /** Entries in file order, oldest first. */
  entries: JournalEntry[];
  /** Oddities in file order; excluded entries are named here. */
  problems: JournalProblem[];
}

/** An entry to append with {@linkcode appendJournal}. */
export interface NewJournalEntry {
  /** One line, e.g. `NOTE`; trimmed, case kept. */
  category: string;
  /** What happened; trimmed, must not be empty. */
  body: string;
  /** Who writes it: one line without `—` or `–`; trimmed. */
  author: string;
  /** Tags, each of `A-Z a-z 0-9 . _ : / -`. */
  tags?: readonly string[];
  /** The entry's time; now when omitted. */
  now?: Date;
  /** The entry's id; a new one from `now` when omitted. */
  id?: string;
}

/** What {@linkcode appendJournal} writes at the top of a journal it creates. */
export const JOURNAL_HEADER: string =
  "# Journal\n\nAppend-only log of this agent's work; newest last.\n";

const TAG = /^[A-Za-z0-9._:\/-]+$/;
const ID = /^[A-Za-z0-9._:-]+$/;
const HEX8 = /^[0-9a-f]{8}$/;
// A time starts with a date, so markdown such as `## [Unreleased]` is no entry.
const DATED = /^\d{4}-\d\d-\d\d[^\]]*\](?:[ \t\r]|$)/;
// Readers accept any backticked word without spaces; writers are stricter (TAG).
const TAG_LINE = /^`[^`\s]+`(?:[ \t]+`[^`\s]+`)*$/;
const MARKER_ID = "<!-- datum:entry id=";
const ESCAPED = /^\\+(?:#{2,3} \[|<!-- datum:)/;
const NEEDS_ESCAPE = /^\\*(?:#{2,3} \[|<!-- datum:)/;
const MARKER_PREFIX = "<!-- datum:";
const SEPARATORS = [" — ", " – ", " - "] as const;

/**
 * Parses a journal in any mix of the forms datum reads. Never throws: odd text is
 * reported in `problems`, and entries that are torn (the last `###` entry without a
 * marker and without a closing `---`) or fail their checksum are left out.
 *
 * @param text The content of `JOURNAL.md`.
 * @returns The trusted entries and the problems found.
 *
 * @example Read both 0.3 forms
 * ```ts
 * import { parseJournal } from "./journal.ts";
 * const { entries, problems } = parseJournal(
 *   "# Journal\n\n## [2026-11-30T02:40:27Z] BOOT\n\nbooted\n\n" +
 *     "### [2026-11-30T02:40:37Z] datum — NOTE\n\nFound 3 repos\n\n`urgent`\n\n---\n",
 * );
 * console.assert(entries.length === 2 && problems.length === 0);
 * console.assert(entries[1]?.author === "datum" && entries[1]?.tags[0] === "urgent");
 * ```
 */
export function parseJournal(text: string): Journal {
  // One native pass turns CRLF into LF; line numbers stay the same.
  const source = text.includes("\r\n") ? text.replaceAll("\r\n", "\n") : text;
  const entries: JournalEntry[] = [];
  const problems: JournalProblem[] = [];
  // Ids start with the time, so in a journal appended in order each id is above all
  // before it and cannot repeat one; the map of ids is only built when one is not.
  let maxId = "";
  let ids: Map<string, number> | undefined;
  const scan: Scan = { text: source, counted: 0, line: 1, marker: -2 };
  let heading = nextHeading(
    source,
    source.charCodeAt(0) === 35 ? 0 : nextHashLine(source, 0),
  );
  while (heading !== undefined) {
    const next = nextHeading(source, nextHashLine(source, heading.eol));
    const end = next === undefined ? source.length : next.start - 1;
    const line = lineAt(scan, heading.start);
    const entry = heading.form === "0.3-boot"
      ? readBootEntry(source, heading, end, line)
      : readEntry(scan, heading, end, line, next === undefined, problems);
    heading = next;
    if (entry === undefined) continue;
    if (entry.id !== undefined) {
      if (entry.id > maxId) {
        maxId = entry.id;
      } else {
        ids ??= new Map(entries.map((e) => [e.id ?? "", e.line]));
        const first = ids.get(entry.id);
        if (first !== undefined) {
          problems.push({
            line,
            message:
              `entry at line ${line} repeats the id "${entry.id}" of the entry at line ${first}: ignored`,
          });
          continue;
        }
      }
      ids?.set(entry.id, line);
    }
    entries.push(entry);
  }
  problems.sort((a, b) => a.line - b.line);
  return { entries, problems };
}

/**
 * Formats an entry the way {@linkcode appendJournal} appends it: a blank line, the
 * heading, the body, the tag line when there are tags, the integrity marker and a
 * `---` separator. Body lines that look like a heading or a marker are escaped with
 * a leading `\`, which {@linkcode parseJournal} removes again.
 *
 * @param entry The entry; deterministic when `now` and `id` are given.
 * @returns The text to append, starting and ending with a newline.
 * @throws {DatumError} With exit code 2 when a field is invalid.
 *
 * @example Format a fixed entry
 * ```ts
 * import { formatJournalEntry } from "./journal.ts";
 * const text = formatJournalEntry({
 *   category: "NOTE",
 *   body: "Found 3 repos needing attention",
 *   author: "datum",
 *   tags: ["urgent"],
 *   now: new Date("2026-11-30T03:40:00.123Z"),
 *   id: "20261130T034000123Z-9f3a1c0b",
 * });
 * console.assert(text.startsWith("\n### [2026-11-30T03:40:00.123Z] datum — NOTE\n"));
 * ```
 */
export function formatJournalEntry(entry: NewJournalEntry): string {
  return buildEntry(entry).text;
}

/**
 * Appends an entry to a journal in one locked write, creating the journal with
 * {@linkcode JOURNAL_HEADER} when it does not exist. Concurrent appenders, in this
 * process or others, each leave whole entries.
 *
 * @param path The journal, e.g. `ws/JOURNAL.md`.
 * @param entry The entry to append.
 * @returns The entry as {@linkcode parseJournal} will read it back; `line` is 0 in
 * the unlikely case the file changed under it so the entry cannot be found again.
 * @throws {DatumError} With exit code 2 when a field is invalid, or a file error.
 *
 * @example Append a note
 * ```ts ignore
 * import { appendJournal } from "./journal.ts";
 * const entry = await appendJournal("ws/JOURNAL.md", {
 *   category: "NOTE",
 *   body: "Found 3 repos needing attention",
 *   author: "datum",
 *   tags: ["urgent"],
 * });
 * console.log(entry.id);
 * ```
 */
export async function appendJournal(
  path: string,
  entry: NewJournalEntry,
): Promise<JournalEntry> {
  const built = buildEntry(entry);
  await ensureJournal(path);
  await appendLocked(path, built.text);
  // Finding the line would mean reading the whole journal back on every append.
  return { ...built.entry, line: 0 };
}

// The parser runs once per command over a journal that only grows, so it makes one
// forward pass with native `indexOf`, reads by offset instead of splitting the text
// into lines, and builds few strings.

interface Heading {
  /** Offset of the heading line. */
  start: number;
  /** Offset of the newline that ends it, or the text's length. */
  eol: number;
  form: "0.3" | "0.3-boot";
  time: string;
  author: string | undefined;
  category: string;
}

/** State of the forward pass. */
interface Scan {
  text: string;
  /** Newlines before this offset are counted in `line`. */
  counted: number;
  /** The 1-based line at `counted`. */
  line: number;
  /** Offset of the next `\n<!-- datum:` at or after the current entry; -2 when unknown. */
  marker: number;
}

/** Offset of the next line after `from` that starts with "#", or -1. */
function nextHashLine(text: string, from: number): number {
  const at = text.indexOf("\n#", from);
  return at === -1 ? -1 : at + 1;
}

function nextHeading(text: string, from: number): Heading | undefined {
  for (let start = from; start !== -1; start = nextHashLine(text, start)) {
    let open: number;
    if (text.startsWith("### [", start)) open = start + 5;
    else if (text.startsWith("## [", start)) open = start + 4;
    else continue;
    let eol = text.indexOf("\n", open);
    if (eol === -1) eol = text.length;
    const line = text.slice(open, eol);
    if (!DATED.test(line)) continue;
    const close = line.indexOf("]");
    const time = line.slice(0, close);
    if (open - start === 4) {
      const category = line.slice(close + 1).trim();
      return {
        start,
        eol,
        form: "0.3-boot",
        time,
        author: undefined,
        category,
      };
    }
    for (const separator of SEPARATORS) {
      const at = line.indexOf(separator, close + 1);
      if (at !== -1) {
        const author = line.slice(close + 1, at).trim();
        return {
          start,
          eol,
          form: "0.3",
          time,
          author: author === "" ? undefined : author,
          category: line.slice(at + separator.length).trim(),
        };
      }
    }
    const category = line.slice(close + 1).trim();
    return { start, eol, form: "0.3", time, author: undefined, category };
  }
  return undefined;
}

/** The 1-based line of `offset`; offsets must not decrease from call to call. */
function lineAt(scan: Scan, offset: number): number {
  scan.line = lineFrom(scan.text, scan.counted, scan.line, offset);
  scan.counted = offset;
  return scan.line;
}

/** The 1-based line of `offset`, counting from `from`, which is on line `fromLine`. */
function lineFrom(
  text: string,
  from: number,
  fromLine: number,
  offset: number,
): number {
  let line = fromLine;
  for (let nl = text.indexOf("\n", from); nl !== -1 && nl < offset;) {
    line++;
    nl = text.indexOf("\n", nl + 1);
  }
  return line;
}

function readBootEntry(
  text: string,
  heading: Heading,
  end: number,
  line: number,
): JournalEntry {
  return {
    id: undefined,
    time: heading.time,
    author: undefined,
    category: heading.category,
    body: withoutSeparators(text.slice(heading.eol + 1, end)),
    tags: [],
    form: "0.3-boot",
    line,
  };
}

function readEntry(
  scan: Scan,
  heading: Heading,
  end: number,
  line: number,
  isLast: boolean,
  problems: JournalProblem[],
): JournalEntry | undefined {
  const { text } = scan;
  if (heading.author === undefined) {
    problems.push({
      line,
      message:
        `heading at line ${line} names no author: expected "### [time] author — CATEGORY"`,
    });
  }
  // Body lines that start like a marker are escaped, so the first one is the marker.
  // Markers only move forward, so each part of the text is searched once.
  if (scan.marker !== -1 && scan.marker < heading.eol) {
    scan.marker = text.indexOf(`\n${MARKER_PREFIX}`, heading.eol);
  }
  if (scan.marker !== -1 && scan.marker < end) {
    return readDatumEntry(text, heading, end, scan.marker + 1, line, problems);
  }

  const region = text.slice(heading.eol + 1, end).trimEnd();
  const closed = region.slice(region.lastIndexOf("\n") + 1).trim() === "---";
  if (!closed && isLast) {
    problems.push({
      line,
      message: `entry at line ${line} is incomplete: torn append`,
    });
    return undefined;
  }
  let body = withoutSeparators(region);
  const nl = body.lastIndexOf("\n");
  const tags = tagsAt(body, nl + 1, body.length);
  if (tags !== undefined) body = nl === -1 ? "" : body.slice(0, nl).trim();
  if (!closed) {
    // A later append hid a torn entry, or a union merge split one from its body;
    // keep what text there is, and say so.
    const empty = body === "" && tags === undefined;
    problems.push({
      line,
      message: empty
        ? `entry at line ${line} is empty and does not end with "---": ignored`
        : `entry at line ${line} does not end with "---": it may be torn`,
    });
    if (empty) return undefined;
  }
  return {
    id: undefined,
    time: heading.time,
    author: heading.author,
    category: heading.category,
    body,
    tags: tags ?? [],
    form: "0.3",
    line,
  };
}

function readDatumEntry(
  text: string,
  heading: Heading,
  end: number,
  markerStart: number,
  line: number,
  problems: JournalProblem[],
): JournalEntry | undefined {
  let markerEnd = text.indexOf("\n", markerStart);
  if (markerEnd === -1 || markerEnd > end) markerEnd = end;
  const marker = parseMarker(text, markerStart, markerEnd);
  if (marker === undefined) {
    problems.push({
      line,
      message:
        `entry at line ${line} has a malformed integrity marker: torn or edited`,
    });
    return undefined;
  }
  if (!isBlankOrSeparators(text, markerEnd, end)) {
    const lines = text.slice(markerEnd + 1, end).split("\n");
    const at = lineFrom(text, heading.start, line, markerEnd) + 1 +
      lines.findIndex((l) => !isBlankOrSeparators(l, 0, l.length));
    problems.push({
      line: at,
      message:
        `unexpected text at line ${at} after the entry at line ${line}: ignored`,
    });
  }
  // The body and tags between the heading and the marker, without the blank lines
  // around them. Whitespace is ASCII here: datum trimmed the body when it wrote it.
  let from = heading.eol + 1;
  let to = markerStart - 1;
  while (from < to && isSpace(text.charCodeAt(from))) from++;
  while (to > from && isSpace(text.charCodeAt(to - 1))) to--;
  const author = heading.author ?? "";
  // A body may end in a line that looks like tags; the checksum says which it was.
  const nl = text.lastIndexOf("\n", to - 1);
  let tags = nl < from ? undefined : tagsAt(text, nl + 1, to);
  let body: string | undefined;
  if (tags !== undefined) {
    let bodyEnd = nl;
    while (bodyEnd > from && isSpace(text.charCodeAt(bodyEnd - 1))) bodyEnd--;
    body = unescapeBody(text.slice(from, bodyEnd));
    if (
      checksum(heading.time, author, heading.category, body, tags) !==
        marker.sum
    ) {
      body = undefined;
    }
  }
  if (body === undefined) {
    tags = [];
    body = unescapeBody(text.slice(from, to));
    if (
      checksum(heading.time, author, heading.category, body, tags) !==
        marker.sum
    ) {
      problems.push({
        line,
        message: `entry at line ${line} fails its checksum: torn or edited`,
      });
      return undefined;
    }
  }
  return {
    id: marker.id,
    time: heading.time,
    author: heading.author,
    category: heading.category,
    body,
    tags: tags ?? [],
    form: "datum",
    line,
  };
}

/**
 * Reads `<!-- datum:entry id=ID sum=XXXXXXXX -->` between `from` and `to`;
 * `key=value` pairs after the sum are allowed, so a later datum may add some.
 */
function parseMarker(
  text: string,
  from: number,
  to: number,
): { id: string; sum: number } | undefined {
  const marker = text.slice(from, to).trimEnd();
  if (!marker.startsWith(MARKER_ID) || !marker.endsWith(" -->")) {
    return undefined;
  }
  const space = marker.indexOf(" ", MARKER_ID.length);
  const id = marker.slice(MARKER_ID.length, space);
  const hex = marker.slice(space + 5, space + 13);
  if (
    !marker.startsWith(" sum=", space) ||
    marker.charCodeAt(space + 13) !== 32 ||
    !ID.test(id) || !HEX8.test(hex)
  ) {
    return undefined;
  }
  return { id, sum: parseInt(hex, 16) };
}

/** Whether `code` is an ASCII space, tab or line break. */
function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13 ||
    code === 12 || code === 11;
}

/** Whether `text` between `from` and `to` holds only blank lines and `---` lines. */
function isBlankOrSeparators(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (isSpace(code)) continue;
    if (code !== 45) return false;
    let eol = text.indexOf("\n", i);
    if (eol === -1 || eol > to) eol = to;
    if (text.slice(i, eol).trim() !== "---") return false;
    i = eol;
  }
  return true;
}

/** `text` trimmed, without the `---` lines and blank lines that end it. */
function withoutSeparators(text: string): string {
  let body = text.trim();
  while (body.endsWith("---")) {
    const nl = body.lastIndexOf("\n");
    if (body.slice(nl + 1).trim() !== "---") break;
    body = nl === -1 ? "" : body.slice(0, nl).trimEnd();
  }
  return body;
}

function unescapeBody(body: string): string {
  if (body.charCodeAt(0) !== 92 && !body.includes("\n\\")) return body;
  return body.split("\n").map((line) =>
    line.charCodeAt(0) === 92 && ESCAPED.test(line) ? line.slice(1) : line
  ).join("\n");
}

/**
 * The tags of a line of backticked words such as `` `urgent` `fleet` `` between
 * `from` and `to` (trimmed), or `undefined` when the line is something else.
 */
function tagsAt(text: string, from: number, to: number): string[] | undefined {
  if (text.charCodeAt(from) !== 96) return undefined;
  const line = text.slice(from, to);
  if (!TAG_LINE.test(line)) return undefined;
  const tags: string[] = [];
  for (let open = 0; open !== -1;) {
    const close = line.indexOf("`", open + 1);
    tags.push(line.slice(open + 1, close));
    open = line.indexOf("`", close + 1);
  }
  return tags;
}

interface BuiltEntry {
  text: string;
  entry: Omit<JournalEntry, "line">;
}

function buildEntry(input: NewJournalEntry): BuiltEntry {
  const category = input.category.toWellFormed().trim();
  if (category === "" || /[\r\n]/.test(category)) {
    throw invalid(
      `category ${JSON.stringify(input.category)} must be one non-empty line`,
      {
        code: "journal_bad_category",
        hint: "pass a short one-line category such as NOTE",
      },
    );
  }
  const author = input.author.toWellFormed().trim();
  if (author === "" || /[\r\n—–]/.test(author)) {
    throw invalid(
      `author ${
        JSON.stringify(input.author)
      } must be one line without "—" or "–"`,
      {
        code: "journal_bad_author",
        hint: "use the agent's name, e.g. datum",
      },
    );
  }
  const tags = [...(input.tags ?? [])];
  for (const tag of tags) {
    if (!TAG.test(tag)) {
      throw invalid(
        `tag ${
          JSON.stringify(tag)
        } may only contain letters, digits and . _ : / -`,
        {
          code: "journal_bad_tag",
          hint: "write tags as single words, e.g. urgent or fleet/scan",
        },
      );
    }
  }
  const body = input.body.toWellFormed().replace(/\r\n/g, "\n").trim();
  if (body === "") {
    throw invalid("the body is empty", {
      code: "journal_empty_body",
      hint: "say in the body what happened",
    });
  }
  const now = input.now ?? new Date();
  const time = now.toISOString();
  if (!DATED.test(`${time}]`)) {
    throw invalid(`time "${time}" is outside the years 0000 to 9999`, {
      code: "journal_bad_time",
      hint: "pass a date between the years 0000 and 9999",
    });
  }
  const id = input.id ?? newId(now);
  if (!ID.test(id)) {
    throw invalid(
      `id ${JSON.stringify(id)} may only contain letters, digits and . _ : -`,
      {
        code: "journal_bad_id",
        hint: "omit the id to get a new one",
      },
    );
  }
  const sum = checksum(time, author, category, body, tags).toString(16)
    .padStart(8, "0");
  const escaped = body.split("\n").map((line) =>
    NEEDS_ESCAPE.test(line) ? `\\${line}` : line
  ).join("\n");
  const tagLine = tags.length === 0
    ? ""
    : `${tags.map((tag) => `\`${tag}\``).join(" ")}\n\n`;
  const text =
    `\n### [${time}] ${author} — ${category}\n\n${escaped}\n\n${tagLine}` +
    `<!-- datum:entry id=${id} sum=${sum} -->\n\n---\n`;
  return {
    text,
    entry: { id, time, author, category, body, tags, form: "datum" },
  };
}

function invalid(
  detail: string,
  options: { code: string; hint: string },
): DatumError {
  return new DatumError(`Cannot write journal entry: ${detail}`, {
    code: options.code,
    exitCode: ExitCode.Usage,
    hint: options.hint,
  });
}

/**
 * FNV-1a 32-bit over the UTF-8 of the canonical text
 * `time\nauthor\ncategory\nbody\ntags joined by space`, hashed part by part so that
 * parsing builds no strings for it.
 */
function checksum(
  time: string,
  author: string,
  category: string,
  body: string,
  tags: readonly string[],
): number {
  let hash = fnv1a(0x811c9dc5, time);
  hash = fnv1a(Math.imul(hash ^ 10, FNV_PRIME), author);
  hash = fnv1a(Math.imul(hash ^ 10, FNV_PRIME), category);
  hash = fnv1a(Math.imul(hash ^ 10, FNV_PRIME), body);
  hash = Math.imul(hash ^ 10, FNV_PRIME);
  for (let i = 0; i < tags.length; i++) {
    if (i > 0) hash = Math.imul(hash ^ 32, FNV_PRIME);
    hash = fnv1a(hash, tags[i]!);
  }
  return hash >>> 0;
}

const FNV_PRIME = 0x01000193;

/** Continues an FNV-1a hash over the UTF-8 of `text`, lone surrogates as U+FFFD. */
function fnv1a(seed: number, text: string): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      hash = Math.imul(hash ^ code, FNV_PRIME);
      continue;
    }
    if (code < 0x800) {
      hash = Math.imul(hash ^ (0xc0 | (code >> 6)), FNV_PRIME);
      hash = Math.imul(hash ^ (0x80 | (code & 0x3f)), FNV_PRIME);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
        hash = Math.imul(hash ^ (0xf0 | (code >> 18)), FNV_PRIME);
        hash = Math.imul(hash ^ (0x80 | ((code >> 12) & 0x3f)), FNV_PRIME);
        hash = Math.imul(hash ^ (0x80 | ((code >> 6) & 0x3f)), FNV_PRIME);
        hash = Math.imul(hash ^ (0x80 | (code & 0x3f)), FNV_PRIME);
        continue;
      }
      code = 0xfffd;
    }
    hash = Math.imul(hash ^ (0xe0 | (code >> 12)), FNV_PRIME);
    hash = Math.imul(hash ^ (0x80 | ((code >> 6) & 0x3f)), FNV_PRIME);
    hash = Math.imul(hash ^ (0x80 | (code & 0x3f)), FNV_PRIME);
  }
  return hash;
}

/**
 * Creates the journal with its header unless it exists. The header goes to a temp
 * file that is then hard-linked into place, which fails when the journal appeared
 * meanwhile: two first appenders never write the header twice or after an entry.
 */
async function ensureJournal(path: string): Promise<void> {
  if (await kindOf(path) !== undefined) return;
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const temp = `${path.slice(0, cut + 1)}.${path.slice(cut + 1)}.${
    crypto.randomUUID().slice(0, 8)
  }.tmp`;
  const bytes = new TextEncoder().encode(JOURNAL_HEADER);
  try {
    {
      using file = await Deno.open(temp, { write: true, createNew: true });
      await writeAll(file, bytes);
      await file.sync();
    }
    try {
      await Deno.link(temp, path);
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) return;
      if (error instanceof Deno.errors.NotCapable) throw error;
      // No hard links on this file system: create exclusively, lock at once.
      await createWithHeader(path, bytes);
    }
  } catch (error) {
    throw fileError("create", path, error);
  } finally {
    await Deno.remove(temp).catch(() => {});
  }
}

async function createWithHeader(
  path: string,
  bytes: Uint8Array,
): Promise<void> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { write: true, createNew: true });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return;
    throw error;
  }
  using locked = file;
  await locked.lock(true);
  try {
    await writeAll(locked, bytes);
    await locked.syncData();
  } finally {
    await locked.unlock();
  }
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    written += await file.write(bytes.subarray(written));
  }
}
