/**
 * Reading bottles, leniently: the four header forms and the many places that real
 * fleets keep them in (see `shared/compat/README-fleet-bottles.md`). Reading never
 * changes the vessel; writing bottles is a separate concern.
 *
 * @module
 */

import { DatumError, ExitCode } from "../core/errors.ts";
import { fileError } from "../core/fs.ts";
import { isI2I, parseI2I } from "./i2i.ts";

/** A field that {@linkcode Bottle.inferred} can name. */
export type BottleField = "from" | "to" | "date" | "subject";

/**
 * Where an inferred field came from: the title or first heading, the file name,
 * the folder (`for-<agent>/`, a dated folder), or the git author of the commit
 * that added the file.
 */
export type FieldSource = "title" | "heading" | "file-name" | "folder" | "git";

/** How a bottle wrote its header. */
export type BottleForm = "front-matter" | "bold-fields" | "i2i-text" | "free";

/** One bottle as read from a vessel. Fields the bottle does not give are `undefined`. */
export interface Bottle {
  /** The file, relative to the vessel root, with forward slashes. */
  path: string;
  /** The sender as written, e.g. `Cartographer (Navigator vessel)`. */
  from: string | undefined;
  /** The recipient as written, else the one the folder or file name names. */
  to: string | undefined;
  /** The date as written, else the `YYYY-MM-DD` of the title, file name or folder. */
  date: string | undefined;
  /** The bottle type in lower case, e.g. `handoff`. */
  type: string | undefined;
  /** The subject; else the first heading, else words from the file name. */
  subject: string;
  /** The bottle's own id, when its header gives one. */
  id: string | undefined;
  /** The priority as written, e.g. `high` (lower case). */
  priority: string | undefined;
  /** The id of the bottle this one answers. */
  inReplyTo: string | undefined;
  /** The conversation this bottle belongs to. */
  thread: string | undefined;
  /** When the bottle stops mattering, as written. */
  expires: string | undefined;
  /**
   * The fields among `from`, `to`, `date` and `subject` that no header line
   * gives, each with where it was taken from instead.
   */
  inferred: Partial<Record<BottleField, FieldSource>>;
  /** What is wrong with the file, when something is (e.g. unclosed front matter). */
  problem?: string;
  /** The text after the header, without datum 0.3's repeated header and footer. */
  body: string;
  /** How the header was written. */
  form: BottleForm;
}

/** Options of {@linkcode listInbox}. */
export interface InboxOptions {
  /** The reading agent's name, as in its `for-<agent>/` folder. */
  agent: string;
  /**
   * Keep broadcasts the agent sent itself. They are left out by default: in an
   * agent's own vessel, `for-any-vessel/` is its outbox. Bottles addressed to the
   * agent by name are always kept, whoever sent them.
   */
  includeOwnBroadcasts?: boolean;
}

interface Fields {
  from?: string;
  to?: string;
  date?: string;
  type?: string;
  subject?: string;
  id?: string;
  priority?: string;
  inReplyTo?: string;
  thread?: string;
  expires?: string;
}

const FIELD_KEYS = [
  "from",
  "to",
  "date",
  "type",
  "subject",
  "id",
  "priority",
  "inReplyTo",
  "thread",
  "expires",
] as const;

interface Header {
  fields: Fields;
  /** Index of the first line after the header. */
  next: number;
  sawField: boolean;
  /** The text on a `Content:` line, which starts the body. */
  inlineBody: string | undefined;
}

interface TitleInfo {
  /** The title names a bottle (`BOTTLE:` or an I2I tag), so its parts are fields. */
  marked: boolean;
  fields: Fields;
}

interface NameInfo {
  from?: string;
  to?: string;
  date?: string;
  slug?: string;
}

// Headers sit at the top; looking no further keeps odd files cheap, and no regular
// expression ever runs over a line longer than MAX_LINE, so a megabyte without a
// newline costs one split and nothing more.
const MAX_HEADER_LINES = 80;
const MAX_LINE = 2000;
const MAX_DEPTH = 8;

const KEY_ALIASES: Readonly<Record<string, keyof Fields>> = {
  from: "from",
  sender: "from",
  author: "from",
  to: "to",
  recipient: "to",
  recipients: "to",
  date: "date",
  sent: "date",
  timestamp: "date",
  type: "type",
  kind: "type",
  subject: "subject",
  title: "subject",
  re: "subject",
  id: "id",
  "bottle-id": "id",
  "message-id": "id",
  priority: "priority",
  urgency: "priority",
  "in-reply-to": "inReplyTo",
  "reply-to": "inReplyTo",
  thread: "thread",
  expires: "expires",
};
// Plain `Key: value` lines under a heading are header only for these keys, so a
// body line such as `Status: done` is not swallowed.
const PLAIN_HEADER_KEYS = new Set([
  ...Object.keys(KEY_ALIASES),
  "priority",
  "cc",
]);
const CONTENT_KEYS = new Set(["content", "body"]);
const GROUP_WORDS = new Set([
  "all",
  "any",
  "anyone",
  "every",
  "everyone",
  "everybody",
  "fleet",
  "broadcast",
]);

const BOLD_FIELD =
  /^(?:[-*+]\s+)?\*\*\s*([^*:]{1,40}?)\s*(?::\s*\*\*|\*\*\s*:)[ \t]*(.*)$/;
const PLAIN_FIELD =
  /^(?:[-*+]\s+)?([A-Za-z][A-Za-z _-]{0,30}?)[ \t]*:(?:[ \t]+(.*))?$/;
const HEADING = /^#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^(?:-{3,}|\*{3,}|_{3,})$/;
const DAY = /\d{4}-\d{2}-\d{2}/;
const MIB_FOOTER = /^[*_]MiB v[\d.]+ \|.*[*_]$/;
const ARROW = /\s*(?:→|⟶|->)\s*/;
const AFTER_RECIPIENT = /\s*(?:—|–|--|\|)\s*|\s+-\s+|:\s+/;
const DECODER = new TextDecoder();

/**
 * Reads one bottle from its text, whatever form its header takes. Never throws:
 * text that is not a bottle becomes a `free` bottle whose subject comes from the
 * file name.
 *
 * @param text The file's content.
 * @param path The file, relative to the vessel root; its folder and name supply
 * the recipient, sender and date when the text does not.
 * @returns The bottle.
 *
 * @example Read a bold-fields bottle
 * ```ts
 * import { parseBottle } from "./bottle.ts";
 * const bottle = parseBottle(
 *   "# BOTTLE: Cartographer → Fleet — Weekly routing update\n\n" +
 *     "**From:** Cartographer  \n**Date:** 2026-04-19 12:51 UTC\n\n---\n\nAll routes open.\n",
 *   "for-fleet/weekly.md",
 * );
 * console.assert(bottle.form === "bold-fields");
 * console.assert(bottle.subject === "Weekly routing update");
 * console.assert(bottle.to === "Fleet" && bottle.body === "All routes open.");
 * ```
 */
export function parseBottle(text: string, path: string): Bottle {
  const slashed = path.replace(/\\/g, "/");
  const lines = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").split("\n");
  const fields: Fields = {};
  let form: BottleForm = "free";
  let bodyLines: string[];
  let bodyPrefix: string | undefined;
  let titleSubject: string | undefined;
  let titleDate: string | undefined;

  const start = firstFilledLine(lines, 0);
  const first = start === -1 ? "" : lines[start] ?? "";
  const frontMatterEnd = first.length <= MAX_LINE
    ? findFrontMatter(lines, start)
    : -1;
  let problem: string | undefined;
  if (frontMatterEnd === UNCLOSED) {
    problem = "its front matter opens with --- and never closes";
  } else if (text.includes("\0")) {
    problem = "it holds binary content (NUL bytes)";
  }

  if (frontMatterEnd >= 0) {
    form = "front-matter";
    for (let i = start + 1; i < frontMatterEnd; i++) {
      const field = splitKeyValue(lines[i] ?? "");
      if (field !== undefined) setField(fields, field[0], unquote(field[1]));
    }
    // datum 0.3 repeats the header as a title and bold fields under the front
    // matter; read it for anything missing and keep it out of the body.
    const inner = readTitledHeader(lines, frontMatterEnd + 1);
    if (inner.header.sawField) {
      mergeFields(fields, inner.header.fields);
      mergeFields(fields, inner.title.fields);
      titleSubject = inner.titleText;
      bodyLines = lines.slice(inner.header.next);
      bodyPrefix = inner.header.inlineBody;
    } else {
      bodyLines = lines.slice(frontMatterEnd + 1);
    }
  } else if (
    start !== -1 && first.length <= MAX_LINE && /^\s*\[\s*I2I\s*:/i.test(first)
  ) {
    form = "i2i-text";
    const header = readHeader(lines, start + 1, "any");
    mergeFields(fields, header.fields);
    mergeFields(fields, titleFields(first.trim()).fields);
    bodyLines = lines.slice(header.next);
    bodyPrefix = header.inlineBody;
  } else if (start !== -1) {
    const titled = readTitledHeader(lines, start);
    mergeFields(fields, titled.header.fields);
    if (titled.title.marked) mergeFields(fields, titled.title.fields);
    if (titled.header.sawField || titled.title.marked) form = "bold-fields";
    if (!titled.title.marked) titleDate = titled.title.fields.date;
    // A bottle title that names only sender and recipient says nothing of the
    // subject; the file name says more.
    if (!titled.title.marked) titleSubject = titled.titleText;
    bodyLines = lines.slice(titled.header.next);
    bodyPrefix = titled.header.inlineBody;
  } else {
    bodyLines = [];
  }

  const body = cleanBody(bodyPrefix, bodyLines);
  const name = nameInfo(slashed);
  const folder = folderInfo(slashed);
  const inferred: Bottle["inferred"] = {};
  const pick = (
    field: BottleField,
    ...candidates: [string | undefined, FieldSource | undefined][]
  ): string | undefined => {
    for (const [value, source] of candidates) {
      if (value === undefined) continue;
      if (source !== undefined) inferred[field] = source;
      return value;
    }
    return undefined;
  };
  const subject = pick(
    "subject",
    [fields.subject, undefined],
    [titleSubject, "title"],
    [firstHeading(body), "heading"],
    [subjectFromName(name, slashed), "file-name"],
  )!;
  const from = pick("from", [fields.from, undefined], [name.from, "file-name"]);
  const to = pick(
    "to",
    [fields.to, undefined],
    [name.to, "file-name"],
    [folder.to, "folder"],
  );
  const date = pick(
    "date",
    [fields.date, undefined],
    [titleDate, "title"],
    [name.date, "file-name"],
    [folder.date, "folder"],
  );
  const rawType = fields.type?.trim().toLowerCase();
  const bottle: Bottle = {
    path: slashed,
    from,
    to,
    date,
    type: rawType === "" ? undefined : rawType,
    subject,
    id: fields.id,
    priority: fields.priority?.toLowerCase(),
    inReplyTo: fields.inReplyTo,
    thread: fields.thread,
    expires: fields.expires,
    body,
    form,
    inferred,
  };
  if (problem !== undefined) bottle.problem = problem;
  return bottle;
}

/**
 * Lists the bottles addressed to `agent` or to everyone in a vessel, oldest
 * first (by date, undated last, then by path). Looks in `for-<agent>/`,
 * `for-any-vessel/` and `for-fleet/` both under `message-in-a-bottle/` and at the
 * root, in `bottles/` at any depth, in `data/bottles/direct|fleet|<agent>/`, and
 * at loose root `BOTTLE-*.md` files (those whose name says `TO-<agent>` or
 * `TO-FLEET`, or names no recipient). Bottles in shared places are kept when
 * their `to` names the agent or everyone, or names nobody. Folder names match in
 * any case; hidden files, `README.md` and symbolic links are skipped; missing
 * folders are fine. Reading never changes the vessel.
 *
 * @param root The vessel's folder.
 * @param options The reading agent.
 * @returns The bottles, sorted.
 * @throws {DatumError} `vessel_not_found` (exit 4) when `root` is not a folder;
 * `usage` (exit 2) when the agent name is empty; a read error from the file system.
 *
 * @example Read datum's inbox
 * ```ts ignore
 * import { listInbox } from "./bottle.ts";
 * for (const bottle of await listInbox("ws", { agent: "datum" })) {
 *   console.log(bottle.date, bottle.from, bottle.subject);
 * }
 * ```
 */
export async function listInbox(
  root: string,
  options: InboxOptions,
): Promise<Bottle[]> {
  const agent = canonicalName(options.agent);
  const base = root.length > 1 ? root.replace(/[\\/]+$/, "") : root;
  const bottles: Bottle[] = [];
  for (const file of await findInboxFiles(root, options.agent)) {
    const text = readText(`${base}/${file.path}`);
    if (text === undefined) continue;
    const bottle = parseBottle(text, file.path);
    if (admits(file, bottle, agent, options.includeOwnBroadcasts ?? false)) {
      bottles.push(bottle);
    }
  }
  return sortBottles(bottles);
}

/**
 * A folder's bottle files and subfolders, with the folder's modification time:
 * while the time stays the same, nothing was added, removed or renamed in it.
 */
export interface FolderListing {
  /** The folder's mtime in milliseconds. */
  mtime: number;
  /** Names of the bottle files in it. */
  files: string[];
  /** Names of its subfolders. */
  dirs: string[];
}

/**
 * What {@linkcode findInboxFiles} saw of the folders, kept between calls: while a
 * folder's mtime is unchanged, nothing in it was added, removed or renamed.
 */
export interface FolderCache {
  /** Bottle folders' listings by path relative to the vessel root (`.` is the root). */
  listings: Record<string, FolderListing>;
  /**
   * The mtime of every folder the last call looked at; `-1` for one changed too
   * recently to trust (within a second of being looked at).
   */
  mtimes: Record<string, number>;
}

/** A file that may be in an agent's inbox, and how it joins. */
export interface InboxFile {
  /** Relative to the vessel root, forward slashes. */
  path: string;
  /** Whether its place addresses the agent, everyone, or leaves it to the header. */
  rule: InboxRule;
}

/**
 * How a found file joins the inbox: `direct` (addressed to the agent by its
 * place), `broadcast` (to everyone), `addressed` (decided by the bottle's `to`).
 */
export type InboxRule = "direct" | "broadcast" | "addressed";

/**
 * Lists the files that may be bottles for `agentName`, by place and name alone:
 * see {@linkcode listInbox} for the places. Reads folders, never files.
 *
 * @param root The vessel's folder.
 * @param agentName The reading agent.
 * @param folders Listings of earlier calls: a folder whose mtime is unchanged is
 * not listed again. Updated in place.
 * @returns The files, in no particular order.
 * @throws {DatumError} As {@linkcode listInbox}.
 */
export async function findInboxFiles(
  root: string,
  agentName: string,
  folders?: FolderCache,
): Promise<InboxFile[]> {
  const agent = canonicalName(agentName);
  if (agent === "") {
    throw new DatumError("Cannot list the inbox: the agent name is empty", {
      code: "usage",
      exitCode: ExitCode.Usage,
      hint: 'name the agent whose inbox to read, e.g. "datum"',
    });
  }
  const base = root.length > 1 ? root.replace(/[\\/]+$/, "") : root;
  let top: Deno.DirEntry[];
  if (folders !== undefined) folders.mtimes = {};
  try {
    if (folders !== undefined) folders.mtimes["."] = stableMtime(base);
    top = await readDirectory(base);
  } catch (error) {
    if (
      error instanceof Deno.errors.NotFound ||
      error instanceof Deno.errors.NotADirectory
    ) {
      const detail = error instanceof Deno.errors.NotFound
        ? "it does not exist"
        : "it is not a folder";
      throw new DatumError(`Cannot read the inbox in "${root}": ${detail}`, {
        code: "vessel_not_found",
        exitCode: ExitCode.NotFound,
        hint: "pass the folder of a vessel, or run `datum boot` to create one",
        cause: error,
      });
    }
    throw fileError("read", root, error);
  }

  const found = new Map<string, Rule>();
  const add = (rel: string, rule: Rule): void => {
    if (!found.has(rel)) found.set(rel, rule);
  };
  const scans: Promise<void>[] = [];
  const track = (scan: Promise<void>): void => {
    // Awaited below in order; the no-op handler only stops a later scan that fails
    // first from counting as an unhandled rejection.
    scan.catch(() => {});
    scans.push(scan);
  };
  const scan = (rel: string, rule: Rule, depth: number): void => {
    track(collect(base, rel, rule, depth, add, folders));
  };

  for (const entry of top) {
    const lower = entry.name.toLowerCase();
    if (entry.isSymlink || lower.startsWith(".")) continue;
    if (entry.isFile && /^bottle-.*\.(?:md|markdown)$/i.test(entry.name)) {
      const to = nameInfo(entry.name).to;
      add(
        entry.name,
        to === undefined ? "addressed" : ruleForRecipient(to, agent),
      );
    } else if (entry.isDirectory) {
      if (lower === "message-in-a-bottle") {
        track(
          subfolders(base, entry.name, folders).then((dirs) => {
            for (const dir of dirs) {
              const rule = folderRule(dir, agent);
              if (rule !== undefined) scan(`${entry.name}/${dir}`, rule, 0);
            }
          }),
        );
      } else if (lower === "bottles") {
        scan(entry.name, "addressed", MAX_DEPTH);
      } else if (lower === "data") {
        track(
          subfolders(base, entry.name, folders).then(async (dirs) => {
            for (const dir of dirs) {
              if (dir.toLowerCase() !== "bottles") continue;
              const channels = await subfolders(
                base,
                `${entry.name}/${dir}`,
                folders,
              );
              for (const channel of channels) {
                const rule = channelRule(channel, agent);
                if (rule !== undefined) {
                  scan(`${entry.name}/${dir}/${channel}`, rule, 0);
                }
              }
            }
          }),
        );
      } else {
        const rule = folderRule(entry.name, agent);
        if (rule !== undefined) scan(entry.name, rule, 0);
      }
    }
  }
  // Scans may start further scans; wait until none is left.
  for (let done = 0; done < scans.length; done++) await scans[done];
  const files: InboxFile[] = [];
  for (const [path, rule] of found) {
    if (rule !== "skip") files.push({ path, rule });
  }
  if (folders !== undefined) {
    for (const rel of Object.keys(folders.listings)) {
      if (!(rel in folders.mtimes)) delete folders.listings[rel];
    }
  }
  return files;
}

/**
 * Whether `bottle`, found as `file`, belongs in `agentName`'s inbox: bottles in the
 * agent's own places always do; those in shared places when their `to` names the
 * agent or everyone, or names nobody; the agent's own broadcasts only when asked.
 *
 * @param file Where the bottle was found.
 * @param bottle The bottle, as {@linkcode parseBottle} read it (the body may be empty).
 * @param agentName The reading agent.
 * @param includeOwnBroadcasts Keep broadcasts the agent sent itself.
 * @returns Whether it is in the inbox.
 */
export function admits(
  file: InboxFile,
  bottle: Pick<Bottle, "from" | "to">,
  agentName: string,
  includeOwnBroadcasts = false,
): boolean {
  return keeps(
    bottle,
    file.rule,
    canonicalName(agentName),
    includeOwnBroadcasts,
  );
}

/**
 * Sorts bottles oldest first (by date, undated last, then by path), in place.
 *
 * @param bottles The bottles.
 * @returns The same array, sorted.
 */
export function sortBottles<T extends Pick<Bottle, "date" | "path">>(
  bottles: T[],
): T[] {
  const keys = new Map(bottles.map((bottle) => [bottle, dateKey(bottle.date)]));
  return bottles.sort((a, b) => {
    const ka = keys.get(a) ?? Infinity;
    const kb = keys.get(b) ?? Infinity;
    if (ka !== kb) return ka < kb ? -1 : 1;
    return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  });
}

/**
 * How a found file joins the inbox: `direct` (addressed to the agent by its
 * place), `broadcast` (to everyone), `addressed` (decided by the bottle's `to`),
 * `skip` (addressed elsewhere by its name).
 */
type Rule = InboxRule | "skip";

function folderRule(name: string, agent: string): Rule | undefined {
  const lower = name.toLowerCase();
  if (!lower.startsWith("for-")) return undefined;
  const who = canonicalName(name.slice(4));
  if (who === agent) return "direct";
  if (who === "any-vessel" || who === "fleet") return "broadcast";
  return undefined;
}

function channelRule(channel: string, agent: string): Rule | undefined {
  const who = canonicalName(channel);
  if (who === agent) return "direct";
  if (who === "fleet") return "broadcast";
  if (who === "direct") return "addressed";
  return undefined;
}

function ruleForRecipient(to: string, agent: string): Rule {
  const names = recipientNames(to);
  if (names.includes(agent)) return "direct";
  if (names.some(isGroup)) return "broadcast";
  return "skip";
}

function keeps(
  bottle: Pick<Bottle, "from" | "to">,
  rule: Rule,
  agent: string,
  includeOwn: boolean,
): boolean {
  const ownBroadcastOk = includeOwn || !sentBy(bottle, agent);
  switch (rule) {
    case "direct":
      return true;
    case "broadcast":
      return ownBroadcastOk;
    case "skip":
      return false;
    case "addressed": {
      if (bottle.to === undefined) return ownBroadcastOk;
      const verdict = ruleForRecipient(bottle.to, agent);
      return verdict === "direct" ||
        (verdict === "broadcast" && ownBroadcastOk);
    }
  }
}

function sentBy(bottle: Pick<Bottle, "from">, agent: string): boolean {
  return bottle.from !== undefined &&
    recipientNames(bottle.from).includes(agent);
}

/** The names a `to` or `from` value holds, canonical; a parenthesised role is dropped. */
function recipientNames(value: string): string[] {
  if (value.trim() === "*") return ["all"];
  return value
    .replace(/\([^)]*\)/g, " ")
    .split(/[,;&/+]|\band\b/i)
    .map(canonicalName)
    .filter((name) => name !== "");
}

function isGroup(name: string): boolean {
  return GROUP_WORDS.has(name.split("-", 1)[0] ?? "");
}

/** Lower case, emoji and punctuation dropped, spaces and `_` as `-`. */
function canonicalName(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^\p{L}\p{N}._\s-]+/gu, " ")
    .trim()
    .replace(/[\s_]+/g, "-");
}

async function collect(
  base: string,
  rel: string,
  rule: Rule,
  depth: number,
  add: (rel: string, rule: Rule) => void,
  folders: FolderCache | undefined,
): Promise<void> {
  const listing = await listFolder(base, rel, folders);
  for (const name of listing.files) add(`${rel}/${name}`, rule);
  if (depth > 0) {
    await Promise.all(
      listing.dirs.map((dir) =>
        collect(base, `${rel}/${dir}`, rule, depth - 1, add, folders)
      ),
    );
  }
}

/**
 * The bottle files and subfolders of `rel`, from `folders` while the folder's
 * mtime is unchanged. A listing is kept only when the folder's mtime is over a
 * second older than the listing: a file added within the same clock tick as an
 * earlier change could otherwise go unseen.
 */
async function listFolder(
  base: string,
  rel: string,
  folders: FolderCache | undefined,
): Promise<FolderListing> {
  const path = `${base}/${rel}`;
  if (folders !== undefined) {
    const mtime = stableMtime(path);
    folders.mtimes[rel] = mtime;
    const cached = folders.listings[rel];
    if (cached !== undefined && mtime !== -1 && cached.mtime === mtime) {
      return cached;
    }
    delete folders.listings[rel];
  }
  const listing: FolderListing = {
    mtime: folders?.mtimes[rel] ?? -1,
    files: [],
    dirs: [],
  };
  for (const entry of await readDirectoryIfAny(path)) {
    if (entry.isSymlink || entry.name.startsWith(".")) continue;
    if (entry.isFile && isBottleName(entry.name)) {
      listing.files.push(entry.name);
    } else if (entry.isDirectory) listing.dirs.push(entry.name);
  }
  if (folders !== undefined && listing.mtime !== -1) {
    folders.listings[rel] = listing;
  }
  return listing;
}

/**
 * A folder's mtime in milliseconds, or `-1` when it is missing or changed within
 * the last second: a file added in the same clock tick as an earlier change would
 * leave the time as it was, so so recent a time proves nothing.
 *
 * @param path The folder.
 * @returns The mtime, or -1.
 */
export function stableMtime(path: string): number {
  try {
    const mtime = Deno.statSync(path).mtime?.getTime();
    return mtime !== undefined && mtime < Date.now() - 1000 ? mtime : -1;
  } catch (error) {
    if (
      error instanceof Deno.errors.NotFound ||
      error instanceof Deno.errors.NotADirectory
    ) {
      return -1;
    }
    throw fileError("inspect", path, error);
  }
}

function isBottleName(name: string): boolean {
  return /\.(?:md|markdown)$/i.test(name) && !/^readme\./i.test(name);
}

async function subfolders(
  base: string,
  rel: string,
  folders: FolderCache | undefined,
): Promise<string[]> {
  if (folders !== undefined) {
    folders.mtimes[rel] = stableMtime(`${base}/${rel}`);
  }
  const entries = await readDirectoryIfAny(`${base}/${rel}`);
  return entries
    .filter((entry) =>
      entry.isDirectory && !entry.isSymlink && !entry.name.startsWith(".")
    )
    .map((entry) => entry.name);
}

// One synchronous call lists a folder; the async iterator makes a round trip per
// entry and takes ~15x longer on an inbox of 10 000 bottles.
function readDirectory(path: string): Promise<Deno.DirEntry[]> {
  try {
    return Promise.resolve([...Deno.readDirSync(path)]);
  } catch (error) {
    return Promise.reject(error);
  }
}

async function readDirectoryIfAny(path: string): Promise<Deno.DirEntry[]> {
  try {
    return await readDirectory(path);
  } catch (error) {
    if (
      error instanceof Deno.errors.NotFound ||
      error instanceof Deno.errors.NotADirectory
    ) {
      return [];
    }
    throw fileError("read", path, error);
  }
}

// Bottles are small files in a local checkout: a synchronous read skips the
// thread-pool round trip of an async one and lists 200 bottles about a third
// faster. Folders are still listed with the async Deno.readDir.
function readText(path: string): string | undefined {
  try {
    return DECODER.decode(Deno.readFileSync(path));
  } catch (error) {
    // Gone between listing and reading: nothing to report.
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw fileError("read", path, error);
  }
}

/**
 * A bottle's date as milliseconds since the epoch, for sorting; `null` when it has
 * none or none that reads as a date.
 *
 * @param date The date as written, e.g. `2026-11-25 01:47:48 UTC`.
 * @returns The time, or `null`.
 */
export function timeOf(date: string | undefined): number | null {
  const key = dateKey(date);
  return Number.isFinite(key) ? key : null;
}

/** Milliseconds since the epoch for sorting; `Infinity` when there is no date. */
function dateKey(date: string | undefined): number {
  if (date === undefined) return Infinity;
  const match =
    /(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?/i
      .exec(date.slice(0, 200));
  if (match === null) {
    const parsed = Date.parse(date.slice(0, 200));
    return Number.isNaN(parsed) ? Infinity : parsed;
  }
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  let ms = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h ?? 0),
    Number(mi ?? 0),
    Number(s ?? 0),
    Number((frac ?? "0").slice(0, 3).padEnd(3, "0")),
  );
  const offset = zone === undefined
    ? null
    : /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (offset) {
    const minutes = Number(offset[2]) * 60 + Number(offset[3]);
    ms -= (offset[1] === "-" ? -1 : 1) * minutes * 60_000;
  }
  return ms;
}

function firstFilledLine(lines: readonly string[], from: number): number {
  for (let i = from; i < lines.length && i < from + MAX_HEADER_LINES; i++) {
    if ((lines[i] ?? "").trim() !== "") return i;
  }
  return -1;
}

/** {@linkcode findFrontMatter}'s answer for a block of fields that never closes. */
const UNCLOSED = -2;

/**
 * Index of the closing `---` of front matter opening at `start`; -1 when there is
 * none; {@linkcode UNCLOSED} when `key: value` lines run to the end of the file.
 */
function findFrontMatter(lines: readonly string[], start: number): number {
  if (start === -1 || (lines[start] ?? "").trim() !== "---") return -1;
  let keys = 0;
  let i = start + 1;
  for (; i < lines.length && i <= start + MAX_HEADER_LINES; i++) {
    const line = lines[i] ?? "";
    const trimmed = line.trim();
    if (trimmed === "---" || trimmed === "...") return keys > 0 ? i : -1;
    if (line.length > MAX_LINE) return -1;
    if (
      trimmed === "" || trimmed.startsWith("#") || /^\s/.test(line) ||
      trimmed.startsWith("- ")
    ) {
      continue;
    }
    if (splitKeyValue(line) === undefined) return -1;
    keys++;
  }
  return keys > 0 && i >= lines.length ? UNCLOSED : -1;
}

/** `key: value`, split at the first colon that a space or the line end follows. */
function splitKeyValue(line: string): [string, string] | undefined {
  if (line.length > MAX_LINE) return undefined;
  const match = /^([A-Za-z][\w -]{0,40}?)[ \t]*:[ \t]*(.*)$/.exec(line);
  if (match === null) return undefined;
  return [match[1] ?? "", match[2] ?? ""];
}

function setField(fields: Fields, rawKey: string, rawValue: string): void {
  const name = normalKey(rawKey);
  const key = Object.hasOwn(KEY_ALIASES, name) ? KEY_ALIASES[name] : undefined;
  const value = cleanValue(rawValue);
  if (key !== undefined && value !== undefined && fields[key] === undefined) {
    fields[key] = value;
  }
}

function mergeFields(into: Fields, from: Fields): void {
  for (const key of FIELD_KEYS) {
    const value = from[key];
    if (into[key] === undefined && value !== undefined) into[key] = value;
  }
}

function normalKey(key: string): string {
  return key.trim().toLowerCase().replace(/[\s_]+/g, "-");
}

function cleanValue(value: string): string | undefined {
  const cleaned = value.trim().replace(/(?:\\|<br\s*\/?>)$/i, "").trim();
  return cleaned === "" ? undefined : cleaned;
}

function unquote(value: string): string {
  const trimmed = value.trim();
  const match = /^(["'])(.*)\1$/.exec(trimmed);
  return match ? match[2] ?? "" : trimmed;
}

/** A heading at `start` (if any), then header fields under it. */
function readTitledHeader(
  lines: readonly string[],
  start: number,
): { title: TitleInfo; titleText: string | undefined; header: Header } {
  const at = firstFilledLine(lines, start);
  const line = at === -1 ? "" : lines[at] ?? "";
  const heading = line.length <= MAX_LINE ? HEADING.exec(line.trim()) : null;
  if (heading === null) {
    return {
      title: { marked: false, fields: {} },
      titleText: undefined,
      header: readHeader(lines, start, "bold"),
    };
  }
  const titleText = heading[1] ?? "";
  return {
    title: titleFields(titleText),
    titleText: titleText === "" ? undefined : titleText,
    header: readHeader(lines, at + 1, "known"),
  };
}

/**
 * Reads header field lines from `start`. `bold` takes only `**Key:** value`;
 * `known` also plain `Key: value` lines of the header keys; `any` every plain
 * `Key: value` line (the I2I text form). A `Content:` line starts the body; a rule
 * after fields ends the header. Outside the I2I text form, a block of fields is a
 * header only when it holds a header key, so a body that opens with
 * `**Summary:** …` keeps it.
 */
function readHeader(
  lines: readonly string[],
  start: number,
  plain: "bold" | "known" | "any",
): Header {
  const fields: Fields = {};
  let sawField = false;
  let sawKnown = plain === "any";
  let next = start;
  let inlineBody: string | undefined;
  for (let i = start; i < lines.length && i < start + MAX_HEADER_LINES; i++) {
    const line = lines[i] ?? "";
    if (line.length > MAX_LINE) break;
    const trimmed = line.trim();
    if (trimmed === "") continue;
    if (sawField && RULE.test(trimmed)) {
      next = i + 1;
      break;
    }
    let field = BOLD_FIELD.exec(trimmed);
    if (field === null && plain !== "bold") {
      const candidate = PLAIN_FIELD.exec(trimmed);
      const key = normalKey(candidate?.[1] ?? "");
      if (
        plain === "any" || PLAIN_HEADER_KEYS.has(key) || CONTENT_KEYS.has(key)
      ) {
        field = candidate;
      }
    }
    if (field === null) break;
    const key = normalKey(field[1] ?? "");
    next = i + 1;
    if (CONTENT_KEYS.has(key)) {
      inlineBody = cleanValue(field[2] ?? "");
      sawField = true;
      break;
    }
    sawField = true;
    if (Object.hasOwn(KEY_ALIASES, key)) sawKnown = true;
    setField(fields, key, field[2] ?? "");
  }
  if (!sawField || !sawKnown) {
    return { fields: {}, next: start, sawField: false, inlineBody: undefined };
  }
  return { fields, next, sawField, inlineBody };
}

/** The sender, recipient, subject and type a title names, when it names a bottle. */
function titleFields(title: string): TitleInfo {
  const fields: Fields = {};
  const day = DAY.exec(title);
  if (day) fields.date = day[0];
  let rest = title.replace(/^[^\p{L}\p{N}[]+/u, "");
  if (isI2I(rest)) {
    return { marked: true, fields: { ...fields, ...i2iFields(rest) } };
  }
  let marked = false;
  const tag = /^\[\s*I2I\s*:\s*([^\]]{1,40})\]\s*/i.exec(rest);
  if (tag) {
    marked = true;
    const type = (tag[1] ?? "").trim().toLowerCase();
    if (type !== "bottle" && type !== "") fields.type = type;
    rest = rest.slice(tag[0].length);
  } else {
    const prefix = /^BOTTLE\s*(?::|\s[—–]|\s-\s)\s*/i.exec(rest);
    if (prefix) {
      marked = true;
      rest = rest.slice(prefix[0].length);
    }
  }
  if (!marked) return { marked, fields };
  Object.assign(fields, arrowFields(rest));
  return { marked, fields };
}

/** `A → B — subject`, or just a subject when there is no arrow. */
function arrowFields(text: string): Fields {
  const fields: Fields = {};
  const arrow = ARROW.exec(text);
  if (arrow === null) {
    const subject = cleanValue(text);
    if (subject !== undefined) fields.subject = subject;
    return fields;
  }
  const from = cleanValue(text.slice(0, arrow.index));
  const after = text.slice(arrow.index + arrow[0].length);
  const split = AFTER_RECIPIENT.exec(after);
  const to = cleanValue(split === null ? after : after.slice(0, split.index));
  const subject = split === null
    ? undefined
    : cleanValue(after.slice(split.index + split[0].length));
  if (from !== undefined) fields.from = from;
  if (to !== undefined) fields.to = to;
  if (subject !== undefined) fields.subject = subject;
  return fields;
}

/** Fields of a line in the I2I commit grammar, `[I2I:TYPE] sender:action — text`. */
function i2iFields(line: string): Fields {
  const message = parseI2I(line);
  return {
    from: message.sender,
    type: message.type.toLowerCase(),
    subject: message.description,
  };
}

function cleanBody(prefix: string | undefined, lines: string[]): string {
  const all = prefix === undefined ? lines : [prefix, ...lines];
  let end = all.length;
  const filled = (): number => {
    while (end > 0 && (all[end - 1] ?? "").trim() === "") end--;
    return end;
  };
  // datum 0.3 ends each bottle with `---` and an `*MiB v1.0 | a → b | time*` line.
  if (
    filled() > 0 &&
    MIB_FOOTER.test((all[end - 1] ?? "").trim().slice(0, MAX_LINE))
  ) {
    end--;
    if (filled() > 0 && RULE.test((all[end - 1] ?? "").trim())) end--;
  }
  filled();
  let begin = 0;
  while (begin < end && (all[begin] ?? "").trim() === "") begin++;
  return all.slice(begin, end).join("\n").trimEnd();
}

function firstHeading(body: string): string | undefined {
  const lines = body.split("\n", MAX_HEADER_LINES);
  for (const line of lines) {
    if (line.length > MAX_LINE) continue;
    const heading = HEADING.exec(line.trim());
    const text = heading?.[1]?.trim();
    if (text) return text;
  }
  return undefined;
}

/** Sender, recipient, date and slug from a file name in any of the fleet forms. */
function nameInfo(path: string): NameInfo {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const stem = base.replace(/\.(?:md|markdown)$/i, "").replace(/\.i2i$/i, "");
  const info: NameInfo = {};
  const day = DAY.exec(stem);
  if (day) info.date = day[0];

  const legacy = /^(\d{4}-\d{2}-\d{2})_([^_]+)_(.+)$/.exec(stem);
  if (legacy) {
    if (legacy[2]) info.from = legacy[2];
    if (legacy[3]) info.slug = legacy[3];
    return info;
  }
  const named = /^bottle[-_](from|to)[-_](.+)$/i.exec(stem);
  if (named) {
    let people = named[2] ?? "";
    let slug: string | undefined;
    if (day) {
      const at = people.indexOf(day[0]);
      slug = people.slice(at + day[0].length).replace(/^[-_]+/, "");
      people = people.slice(0, at).replace(/[-_]+$/, "");
    }
    const lowerPeople = people.toLowerCase();
    const toAt = (named[1] ?? "").toLowerCase() === "to"
      ? 0
      : lowerPeople.search(/[-_]to[-_]/);
    let from = (named[1] ?? "").toLowerCase() === "to" ? undefined : people;
    let to: string | undefined;
    if (toAt !== -1 && from !== undefined) {
      to = people.slice(toAt + 4);
      from = people.slice(0, toAt);
    } else if (from === undefined) {
      to = people;
    }
    // Without a date the names cannot be told from the slug: take one segment.
    if (!day) {
      const last = to ?? from ?? "";
      const cut = last.search(/[-_]/);
      if (cut !== -1) {
        slug = last.slice(cut + 1);
        if (to !== undefined) to = last.slice(0, cut);
        else from = last.slice(0, cut);
      }
    }
    if (from) info.from = from;
    if (to) info.to = to;
    if (slug) info.slug = slug;
    return info;
  }
  const slug = stem.replace(DAY, "").replace(/^[-_.\s]+|[-_.\s]+$/g, "");
  if (slug) info.slug = slug;
  return info;
}

/** The recipient and date the folders name: `for-<x>/`, `data/bottles/<x>/`, a day. */
function folderInfo(path: string): { to?: string; date?: string } {
  const dirs = path.split("/").slice(0, -1);
  const info: { to?: string; date?: string } = {};
  for (let i = dirs.length - 1; i >= 0; i--) {
    const dir = dirs[i] ?? "";
    if (info.to === undefined) {
      const forWho = /^for-(.+)$/i.exec(dir);
      if (forWho?.[1]) info.to = forWho[1];
      else if (
        i >= 2 && dirs[i - 1]?.toLowerCase() === "bottles" &&
        dirs[i - 2]?.toLowerCase() === "data" && dir.toLowerCase() !== "direct"
      ) {
        info.to = dir;
      }
    }
    if (info.date === undefined) {
      const day = DAY.exec(dir);
      if (day) info.date = day[0];
    }
  }
  return info;
}

function subjectFromName(name: NameInfo, path: string): string {
  const words = (name.slug ?? "").replace(/[-_]+/g, " ").trim();
  if (words !== "") return words;
  const base = path.slice(path.lastIndexOf("/") + 1);
  return base === "" ? path : base;
}
