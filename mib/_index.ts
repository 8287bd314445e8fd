/**
 * The inbox index: a machine-local cache in `.datum/cache/mib/<reader>.json` of the
 * parsed headers of a reader's bottles, so `bottle check` costs what is new, not
 * what the inbox holds.
 *
 * The file is a JSON header line (`version`, `head`, `folders`), then one line per
 * bottle, oldest first:
 *
 * ```text
 * KEY \t FLAG \t TIME \t PATH \t ROW-JSON
 * ```
 *
 * KEY is the bottle's receipt key, FLAG `-` (in the inbox), `x` (not for this
 * reader, e.g. its own broadcast) or `g` (names no sender yet: read again once a
 * commit may have added it), TIME its date in epoch milliseconds (empty when it has
 * none), PATH its path; tabs, newlines and `%` in KEY and PATH are %-escaped.
 *
 * - While no folder's mtime has changed (see {@linkcode stableMtime}), a check
 *   stats a few folders, splits the file into lines and parses only the rows it
 *   lists.
 * - When something changed, the folders that changed are listed again, only new
 *   files are read, and their lines are merged into the old ones, which are kept
 *   as text.
 * - Bottles are immutable once dropped; a bottle edited in place is seen again with
 *   `rescan`. A damaged or foreign index is rebuilt, never trusted.
 *
 * @module
 */

import { DatumError, ExitCode } from "../core/errors.ts";
import { atomicWrite, fileError, readTextIfExists } from "../core/fs.ts";
import { git } from "../core/git.ts";
import { parentOf } from "../core/path.ts";
import {
  admits,
  type Bottle,
  findInboxFiles,
  type FolderCache,
  type InboxFile,
  parseBottle,
  stableMtime,
  timeOf,
} from "./bottle.ts";
import { MAX_BOTTLE_BYTES } from "./write.ts";

const VERSION = 7;

/** A bottle without its body, as the index keeps it. */
export type Header = Omit<Bottle, "body">;

/** A reader's inbox: receipt keys, oldest bottle first, and each header on demand. */
export interface InboxRows {
  /** Receipt keys, oldest bottle first. */
  keys: string[];
  /** The header of the bottle at `index`. */
  header(index: number): Header;
}

type Row = [
  path: string,
  from: string | null,
  to: string | null,
  date: string | null,
  type: string | null,
  subject: string,
  id: string | null,
  priority: string | null,
  inReplyTo: string | null,
  thread: string | null,
  expires: string | null,
  form: Bottle["form"],
  inferred: Bottle["inferred"] | null,
  problem: string | null,
];

interface IndexFile {
  version: number;
  /** The commit checked out when the index was saved. */
  head?: string;
  /** What the folders looked like. */
  folders: FolderCache;
  /** The bottle lines, unparsed. */
  lines: string[];
}

/**
 * The receipt key of a bottle: its id, else `path:` and its path, with tabs,
 * newlines and `%` escaped so a key is always one field of one line.
 *
 * @param bottle The bottle.
 * @returns The key.
 */
export function receiptKey(bottle: Pick<Bottle, "id" | "path">): string {
  return bottle.id !== undefined
    ? escapeField(bottle.id)
    : `path:${escapeField(bottle.path)}`;
}

/**
 * The bottles of `reader`'s inbox in the vessel at `root`, oldest first, with the
 * index brought up to date.
 *
 * @param root The vessel's root.
 * @param reader The reader (a checked agent name).
 * @param rescan Read every bottle again.
 * @returns Keys and headers.
 */
export async function inboxRows(
  root: string,
  reader: string,
  rescan: boolean,
): Promise<InboxRows> {
  const path = `${root}/.datum/cache/mib/${reader}.json`;
  const [index, head] = await Promise.all([
    rescan ? emptyIndex() : loadIndex(path),
    headOf(root),
  ]);
  if (unchanged(root, index, head)) return fromLines(index.lines);

  const lines: string[] = [];
  const times: (number | null)[] = [];
  restoreListings(index);
  const before = JSON.stringify(index.folders.mtimes);
  const files = new Map<string, InboxFile>();
  for (const file of await findInboxFiles(root, reader, index.folders)) {
    files.set(file.path, file);
  }
  let changed = rescan || before !== JSON.stringify(index.folders.mtimes);
  // Old lines stay text, in order; only their prefix is read.
  for (const line of index.lines) {
    const [, flag, time, linePath] = prefix(line);
    const retry = flag === "g" && head !== index.head;
    if (!retry && files.delete(linePath)) {
      lines.push(line);
      times.push(time);
    } else changed = true;
  }
  const fresh: { file: InboxFile; header: Header }[] = [];
  for (const file of files.values()) {
    const bottle = readHeader(root, file.path);
    if (bottle === undefined) continue;
    const { body: _body, ...header } = bottle;
    fresh.push({ file, header });
  }
  if (fresh.length) {
    changed = true;
    await inferSenders(root, fresh.map((f) => f.header));
    const added = fresh.map(({ file, header }) => {
      // Whether a bottle in a shared place is for this reader depends on its
      // header; one that is not stays in the index so it is not read again.
      const excluded = file.rule !== "direct" && !admits(file, header, reader);
      return { time: timeOf(header.date), line: toLine(header, excluded) };
    }).sort((a, b) => compareTime(a.time, b.time) || compare(a.line, b.line));
    merge(lines, times, added);
  }
  if (changed || head !== index.head) {
    await saveIndex(root, path, {
      version: VERSION,
      ...(head === undefined ? {} : { head }),
      folders: index.folders,
      lines,
    });
  }
  return fromLines(lines);
}

/**
 * Reads a bottle file of at most {@linkcode MAX_BOTTLE_BYTES}.
 *
 * @param path The file.
 * @returns Its text.
 * @throws {DatumError} `invalid_bottle` (exit 3) for a larger file; a read error.
 */
export function readBounded(path: string): string {
  let bytes: Uint8Array;
  try {
    using file = Deno.openSync(path);
    const { size } = file.statSync();
    if (size > MAX_BOTTLE_BYTES) {
      throw new DatumError(
        `Cannot read bottle "${path}": it is ${size} bytes, over the limit of ${MAX_BOTTLE_BYTES} (1 MiB)`,
        {
          code: "invalid_bottle",
          exitCode: ExitCode.Invalid,
          hint: "bottles are short messages; move large data elsewhere",
        },
      );
    }
    bytes = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      const read = file.readSync(bytes.subarray(filled));
      if (read === null) break;
      filled += read;
    }
    bytes = bytes.subarray(0, filled);
  } catch (error) {
    throw fileError("read", path, error);
  }
  return new TextDecoder().decode(bytes);
}

/**
 * The vessel's machine-local cache folder, `.datum/cache/`, created with a
 * `.gitignore` of its own, so nothing in it is committed even in a vessel whose
 * `.gitignore` does not list it (a datum 0.3 vessel).
 *
 * @param root The vessel's root.
 * @returns The folder's path.
 */
export async function machineCache(root: string): Promise<string> {
  const dir = `${root}/.datum/cache`;
  const ignore = `${dir}/.gitignore`;
  if ((await readTextIfExists(ignore)) === undefined) {
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(ignore, "# machine-local: never committed\n*\n");
  }
  return dir;
}

// ---------------------------------------------------------------------------

function fromLines(lines: readonly string[]): InboxRows {
  const keys: string[] = [];
  const rows: string[] = [];
  for (const line of lines) {
    const tab = line.indexOf("\t");
    if (line[tab + 1] === "x") continue;
    keys.push(line.slice(0, tab));
    rows.push(line);
  }
  return {
    keys,
    header: (i) => fromRow(JSON.parse(prefix(rows[i]!)[4]) as Row),
  };
}

/** The fields of a line: key, flag, time, path, and the row's JSON. */
function prefix(
  line: string,
): [
  key: string,
  flag: string,
  time: number | null,
  path: string,
  json: string,
] {
  const t1 = line.indexOf("\t");
  const t2 = line.indexOf("\t", t1 + 1);
  const t3 = line.indexOf("\t", t2 + 1);
  const t4 = line.indexOf("\t", t3 + 1);
  return [
    line.slice(0, t1),
    line.slice(t1 + 1, t2),
    t3 > t2 + 1 ? Number(line.slice(t2 + 1, t3)) : null,
    unescapeField(line.slice(t3 + 1, t4)),
    line.slice(t4 + 1),
  ];
}

function toLine(header: Header, excluded: boolean): string {
  const row: Row = [
    header.path,
    header.from ?? null,
    header.to ?? null,
    header.date ?? null,
    header.type ?? null,
    header.subject,
    header.id ?? null,
    header.priority ?? null,
    header.inReplyTo ?? null,
    header.thread ?? null,
    header.expires ?? null,
    header.form,
    Object.keys(header.inferred).length ? header.inferred : null,
    header.problem ?? null,
  ];
  const flag = excluded ? "x" : header.from === undefined ? "g" : "-";
  return `${receiptKey(header)}\t${flag}\t${timeOf(header.date) ?? ""}\t${
    escapeField(header.path)
  }\t${JSON.stringify(row)}`;
}

function fromRow(row: Row): Header {
  const header: Header = {
    path: row[0],
    from: row[1] ?? undefined,
    to: row[2] ?? undefined,
    date: row[3] ?? undefined,
    type: row[4] ?? undefined,
    subject: row[5],
    id: row[6] ?? undefined,
    priority: row[7] ?? undefined,
    inReplyTo: row[8] ?? undefined,
    thread: row[9] ?? undefined,
    expires: row[10] ?? undefined,
    form: row[11],
    inferred: row[12] ?? {},
  };
  if (row[13] !== null) header.problem = row[13];
  return header;
}

/** Merges `added` (sorted) into `lines`/`times` (sorted), in place. */
function merge(
  lines: string[],
  times: (number | null)[],
  added: readonly { time: number | null; line: string }[],
): void {
  const outLines: string[] = [];
  const outTimes: (number | null)[] = [];
  let i = 0;
  for (const item of added) {
    while (i < lines.length && compareTime(times[i]!, item.time) <= 0) {
      outLines.push(lines[i]!);
      outTimes.push(times[i++]!);
    }
    outLines.push(item.line);
    outTimes.push(item.time);
  }
  while (i < lines.length) {
    outLines.push(lines[i]!);
    outTimes.push(times[i++]!);
  }
  lines.splice(0, lines.length, ...outLines);
  times.splice(0, times.length, ...outTimes);
}

/** Oldest first; bottles without a date last. */
function compareTime(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function escapeField(value: string): string {
  return value.replace(/[%\t\n\r]/g, encodeURIComponent);
}

function unescapeField(value: string): string {
  return value.includes("%")
    ? value.replace(/%(?:25|09|0A|0D)/gi, decodeURIComponent)
    : value;
}

/**
 * Puts back the file names of the bottle folders' listings, which the file leaves
 * out because its lines hold them already: every listed file has a line.
 */
function restoreListings(index: IndexFile): void {
  const listings = index.folders.listings;
  for (const listing of Object.values(listings)) listing.files = [];
  for (const line of index.lines) {
    const path = prefix(line)[3];
    const slash = path.lastIndexOf("/");
    listings[slash === -1 ? "." : path.slice(0, slash)]?.files.push(
      path.slice(slash + 1),
    );
  }
}

/**
 * Whether every folder the index saw is as it was and, when a bottle waits for
 * its git author, no commit was made since.
 */
function unchanged(
  root: string,
  index: IndexFile,
  head: string | undefined,
): boolean {
  const folders = Object.entries(index.folders.mtimes);
  if (folders.length === 0) return false;
  for (const [rel, mtime] of folders) {
    if (mtime === -1) return false;
    if (stableMtime(rel === "." ? root : `${root}/${rel}`) !== mtime) {
      return false;
    }
  }
  if (head === index.head) return true;
  return !index.lines.some((line) => line[line.indexOf("\t") + 1] === "g");
}

/**
 * The commit checked out in the vessel's repository, read from `.git` without
 * running git; `undefined` when there is none to read.
 */
async function headOf(root: string): Promise<string | undefined> {
  const read = (path: string): Promise<string> =>
    readTextIfExists(`${root}/.git/${path}`).then((t) => t ?? "", () => "");
  const head = (await read("HEAD")).trim();
  if (!head) return undefined;
  if (!head.startsWith("ref: ")) return head;
  const ref = head.slice(5);
  const loose = (await read(ref)).trim();
  if (loose) return loose;
  const packed = (await read("packed-refs")).split("\n").find((line) =>
    line.endsWith(` ${ref}`)
  );
  return packed?.slice(0, -ref.length - 1) ?? ref;
}

function emptyIndex(): IndexFile {
  return { version: VERSION, folders: { listings: {}, mtimes: {} }, lines: [] };
}

async function loadIndex(path: string): Promise<IndexFile> {
  try {
    const text = await readTextIfExists(path);
    if (text === undefined) return emptyIndex();
    const lines = text.split("\n");
    const header = JSON.parse(lines[0]!) as Omit<IndexFile, "lines">;
    if (
      header?.version !== VERSION ||
      typeof header.folders?.listings !== "object" ||
      typeof header.folders?.mtimes !== "object" ||
      lines.at(-1) !== "" ||
      // Every line must have its five fields: a torn file is not trusted.
      lines.slice(1, -1).some((line) => line.split("\t", 5).length < 5)
    ) {
      return emptyIndex();
    }
    return { ...header, lines: lines.slice(1, -1) };
  } catch {
    return emptyIndex();
  }
}

async function saveIndex(
  root: string,
  path: string,
  index: IndexFile,
): Promise<void> {
  try {
    await machineCache(root);
    await Deno.mkdir(parentOf(path), { recursive: true });
    // File names are in the lines already; restoreListings() puts them back.
    const header = JSON.stringify(
      { version: index.version, head: index.head, folders: index.folders },
      (key, value) => key === "files" ? [] : value,
    );
    const body = index.lines.length ? `${index.lines.join("\n")}\n` : "";
    // A cache: atomic, but not worth an fsync; a torn file is rebuilt.
    await atomicWrite(path, `${header}\n${body}`, { sync: false });
  } catch {
    // The index only saves time; a vessel we cannot write to is read in full.
  }
}

function readHeader(root: string, path: string): Bottle | undefined {
  let text: string;
  try {
    text = readBounded(`${root}/${path}`);
  } catch (error) {
    if (error instanceof DatumError && error.code === "invalid_bottle") {
      const bottle = parseBottle("", path);
      bottle.problem = error.message.replace(/^[^:]*: /, "");
      return bottle;
    }
    if (error instanceof DatumError && error.code === "not_found") {
      return undefined;
    }
    throw error;
  }
  return parseBottle(text, path);
}

/** The git author of the commit that added each bottle that names no sender. */
async function inferSenders(root: string, headers: Header[]): Promise<void> {
  const missing = headers.filter((header) => header.from === undefined);
  if (missing.length === 0) return;
  try {
    await Deno.lstat(`${root}/.git`);
  } catch {
    return;
  }
  const log = await git(root, [
    "log",
    "--diff-filter=A",
    "--format=%x01%an",
    "--name-only",
    "--relative",
    "-z",
    "--",
    ...missing.map((header) => header.path),
  ], { allowFailure: true });
  if (log.code !== 0) return;
  const author = new Map<string, string>();
  let current: string | undefined;
  for (const part of log.stdout.split("\0")) {
    const text = part.replace(/^\n+/, "");
    if (text.startsWith("\u0001")) {
      const [name = "", ...files] = text.slice(1).split("\n");
      current = name;
      for (const file of files) if (file) author.set(file, current);
    } else if (text !== "" && current !== undefined && !author.has(text)) {
      author.set(text, current);
    }
  }
  for (const header of missing) {
    const name = author.get(header.path);
    if (name !== undefined) {
      header.from = name;
      header.inferred = { ...header.inferred, from: "git" };
    }
  }
}
