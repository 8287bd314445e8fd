/**
 * The post office: drop, check, read, mark read, broadcast, summary and flush over
 * a vessel.
 *
 * - A drop writes the bottle into the sender's own vessel first
 *   (`message-in-a-bottle/for-<to>/` is its outbox, as in datum 0.3), created
 *   atomically and never over another file. With a target vessel (a folder or a git
 *   URL) it is then delivered there; `message-in-a-bottle/deliveries.log` records
 *   what was queued and what arrived, so a successor can finish a delivery its
 *   predecessor started (`flush`).
 * - Reading never deletes. Each reader's receipts are appended to
 *   `message-in-a-bottle/receipts/<reader>.log` and committed, so a successor on
 *   another machine knows what was read.
^ * - `check` keeps a machine-local index of parsed headers in `.datum/cache/`, so
 *   its cost grows with the bottles that are new, not with the whole inbox.
 *   Bottles are immutable once dropped; an edited one is read again with `rescan`.
 *
 * @module
 */

import { DatumError, ExitCode } from "../core/errors.ts";
import {
  appendLocked,
  atomicWrite,
  fileError,
  readTextIfExists,
} from "../core/fs.ts";
import { git } from "../core/git.ts";
import { parentOf, resolvePath } from "../core/path.ts";
import { commit } from "../core/commit.ts";
import type { SyncResult } from "../workshop/boot.ts";
import type { Vessel } from "../workshop/vessel.ts";
import { type Bottle, parseBottle } from "./bottle.ts";
import { formatI2I } from "./i2i.ts";
import { inboxRows, machineCache, readBounded, receiptKey } from "./_index.ts";
import { deliver, type DeliveryFile, redactTarget } from "./transport.ts";
import {
  type BottleDraft,
  BROADCAST,
  checkAgentName,
  formatBottle,
  type FormattedBottle,
  i2iTypeOf,
} from "./write.ts";

/** A bottle in an inbox listing: the header without the body, and its read state. */
export type InboxEntry = Omit<Bottle, "body"> & {
  /** Whether the reader has a receipt for it. */
  read: boolean;
};

/** Options of {@linkcode checkInbox} and {@linkcode inboxSummary}. */
export interface CheckOptions {
  /** Whose inbox and receipts; the vessel's own agent when omitted. */
  reader?: string;
  /** List read bottles too. */
  all?: boolean;
  /** Pull the vessel's own remote first (default true). */
  pull?: boolean;
  /** Parse every bottle again instead of trusting the index. */
  rescan?: boolean;
}

/** What {@linkcode checkInbox} found. */
export interface InboxReport {
  /** The reader. */
  reader: string;
  /** Bottles in the inbox. */
  total: number;
  /** Of those, how many have no receipt. */
  unread: number;
  /** The bottles listed: unread ones, or all with `all`; oldest first. */
  bottles: InboxEntry[];
  /** What pulling the vessel's remote did. */
  sync: SyncResult | undefined;
}

/** Counts by sender, type and priority; see {@linkcode inboxSummary}. */
export interface InboxSummary {
  /** The reader. */
  reader: string;
  /** Bottles in the inbox. */
  total: number;
  /** Of those, unread. */
  unread: number;
  /** Per sender: total and unread. */
  senders: Record<string, { total: number; unread: number }>;
  /** Unread bottles per type. */
  unreadByType: Record<string, number>;
  /** Unread bottles per priority (`none` when a bottle gives none). */
  unreadByPriority: Record<string, number>;
  /** The five newest unread bottles, newest first. */
  newestUnread: InboxEntry[];
  /** Bottles with something wrong in their file. */
  problems: number;
}

/** Options of {@linkcode dropBottle}. */
export interface DropOptions {
  /** Deliver to this vessel too: a folder, a bare repository or a git URL. */
  toVessel?: string;
  /** Commit in the sender's vessel (default: when it is a git repository). */
  commit?: boolean;
  /** The time of sending. */
  now?: Date;
  /** Bound on push attempts against a remote vessel. */
  maxAttempts?: number;
}

/** Where a bottle's delivery stands. */
export interface DeliveryState {
  /** The target vessel, as given (without credentials). */
  vessel: string;
  /** `delivered`, or `queued` for `flush` to retry. */
  state: "delivered" | "queued";
  /** The commit in the target, when git made one. */
  commit?: string;
  /** Why it is still queued. */
  reason?: string;
}

/** What {@linkcode dropBottle} did. */
export interface DropResult {
  /** The bottle's id. */
  id: string;
  /** The bottle in the sender's vessel, relative to its root. */
  path: string;
  /** The recipient. */
  to: string;
  /** Whether the sender's vessel got a commit. */
  committed: boolean;
  /** The delivery to `toVessel`, when one was asked for. */
  delivery?: DeliveryState;
}

/** What {@linkcode readBottle} returns. */
export interface ReadResult {
  /** The bottle, body included. */
  bottle: Bottle;
  /** Whether the reader had read it before. */
  wasRead: boolean;
  /** Whether the receipt was committed. */
  committed: boolean;
}

/** What {@linkcode flushQueue} did. */
export interface FlushResult {
  /** Bottles delivered now. */
  delivered: DeliveryRecord[];
  /** Bottles still queued, with the reason. */
  queued: (DeliveryRecord & { reason: string })[];
}

/** A bottle waiting for (or past) delivery, as `deliveries.log` records it. */
export interface DeliveryRecord {
  /** The bottle's id. */
  id: string;
  /** The bottle in the sender's vessel, relative to its root. */
  path: string;
  /** The target vessel. */
  vessel: string;
}

const MIB = "message-in-a-bottle";
const DELIVERIES = `${MIB}/deliveries.log`;
const MERGE_ATTRIBUTES = [
  `${MIB}/receipts/*.log merge=union`,
  `${DELIVERIES} merge=union`,
];

/**
 * Writes a bottle into the sender's vessel and, with `toVessel`, delivers it there.
 *
 * @param vessel The sender's vessel.
 * @param draft The bottle; `from` defaults to the vessel's agent.
 * @param options See {@linkcode DropOptions}.
 * @returns Where the bottle is and how its delivery went.
 * @throws {DatumError} For bad input (nothing written), and `delivery_failed`
 * (exit 6) when delivery failed: the bottle stays queued for `flush`.
 */
export async function dropBottle(
  vessel: Vessel,
  draft: Omit<BottleDraft, "from"> & { from?: string },
  options: DropOptions = {},
): Promise<DropResult> {
  const bottle = formatBottle(
    { ...draft, from: draft.from ?? vessel.agent },
    options.now,
  );
  const target = options.toVessel === undefined
    ? undefined
    : checkTarget(options.toVessel);
  const own = relativeMib(vessel, bottle.path);
  const absolute = `${vessel.root}/${own}`;
  await ensureParent(absolute);
  await atomicWrite(absolute, bottle.text, { exclusive: true });
  const paths = [own];
  if (target !== undefined) {
    await record(vessel, {
      event: "queued",
      id: bottle.id,
      path: own,
      vessel: target,
    });
    paths.push(...await trackedLogs(vessel, relativeMib(vessel, DELIVERIES)));
  }
  const message = commitMessage(bottle);
  const committed = await maybeCommit(
    vessel,
    bottle.draft.from,
    message,
    paths,
    options.commit,
  );
  const result: DropResult = {
    id: bottle.id,
    path: own,
    to: bottle.draft.to,
    committed,
  };
  if (target === undefined) return result;

  const pending: DeliveryRecord = { id: bottle.id, path: own, vessel: target };
  const outcome = await deliverBatch(vessel, target, [pending], {
    agent: bottle.draft.from,
    message,
    ...(options.maxAttempts === undefined
      ? {}
      : { maxAttempts: options.maxAttempts }),
  });
  await settle(vessel, bottle.draft.from, [pending], outcome, options.commit);
  result.delivery = outcome.ok
    ? { vessel: target, state: "delivered", ...commitOf(outcome) }
    : { vessel: target, state: "queued", reason: outcome.error.message };
  if (!outcome.ok) {
    throw new DatumError(
      `Bottle ${bottle.id} was not delivered to ${target}: ${outcome.error.message}`,
      {
        code: "delivery_failed",
        exitCode: ExitCode.Unavailable,
        hint:
          `it is kept in ${own} and queued; run \`datum bottle flush\` to retry${
            outcome.error.hint ? ` (${outcome.error.hint})` : ""
          }`,
        cause: outcome.error,
      },
    );
  }
  return result;
}

/**
 * Retries every queued delivery, one commit and push per target vessel.
 *
 * @param vessel The sender's vessel.
 * @param options `commit`: commit the log in the sender's vessel (default: when it
 * is a git repository); `maxAttempts`: bound on push attempts.
 * @returns What was delivered and what is still queued.
 */
export async function flushQueue(
  vessel: Vessel,
  options: { commit?: boolean; maxAttempts?: number } = {},
): Promise<FlushResult> {
  const queue = await listQueue(vessel);
  const byTarget = Map.groupBy(queue, (entry) => entry.vessel);
  const result: FlushResult = { delivered: [], queued: [] };
  for (const [target, entries] of byTarget) {
    const outcome = await deliverBatch(vessel, target, entries, {
      agent: vessel.agent,
      message: formatI2I({
        type: "DELIVERABLE",
        sender: vessel.agent,
        action: "flush",
        description: `${entries.length} queued bottle(s)`,
      }),
      ...(options.maxAttempts === undefined
        ? {}
        : { maxAttempts: options.maxAttempts }),
    });
    await settle(vessel, vessel.agent, entries, outcome, options.commit);
    if (outcome.ok) result.delivered.push(...entries);
    else {
      result.queued.push(
        ...entries.map((entry) => ({
          ...entry,
          reason: outcome.error.message,
        })),
      );
    }
  }
  return result;
}

/**
 * The bottles whose delivery has not succeeded yet, oldest first.
 *
 * @param vessel The sender's vessel.
 * @returns The queue.
 */
export async function listQueue(vessel: Vessel): Promise<DeliveryRecord[]> {
  const text = await readTextIfExists(
    `${vessel.root}/${relativeMib(vessel, DELIVERIES)}`,
  ) ?? "";
  const state = new Map<string, DeliveryRecord & { done: boolean }>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line);
    } catch {
      continue; // a record torn by a crash
    }
    const { event, id, path, vessel: target } = entry;
    if (
      typeof id !== "string" || typeof path !== "string" ||
      typeof target !== "string"
    ) continue;
    const key = `${id}\u0000${target}`;
    if (event === "queued" && !state.has(key)) {
      state.set(key, { id, path, vessel: target, done: false });
    } else if (event === "delivered") {
      state.set(key, { id, path, vessel: target, done: true });
    }
  }
  return [...state.values()].filter((entry) => !entry.done).map((
    { id, path, vessel: target },
  ) => ({ id, path, vessel: target }));
}

/**
 * Lists the bottles in `reader`'s inbox, unread ones unless `all`.
 *
 * @param vessel The vessel holding the inbox.
 * @param options See {@linkcode CheckOptions}.
 * @returns The listing.
 */
export async function checkInbox(
  vessel: Vessel,
  options: CheckOptions = {},
): Promise<InboxReport> {
  const reader = checkAgentName(options.reader ?? vessel.agent, "reader");
  const sync = options.pull === false ? undefined : await pull(vessel);
  const [rows, receipts] = await Promise.all([
    inboxRows(vessel.root, reader, options.rescan ?? false),
    readReceipts(vessel, reader),
  ]);
  let unread = 0;
  const bottles: InboxEntry[] = [];
  for (let i = 0; i < rows.keys.length; i++) {
    const read = receipts.has(rows.keys[i]!);
    if (!read) unread++;
    if (options.all || !read) bottles.push({ ...rows.header(i), read });
  }
  return {
    reader,
    total: rows.keys.length,
    unread,
    bottles,
    sync,
  };
}

/**
 * The unread bottles of the vessel's own agent, without pulling: what a brief lists.
 *
 * @param vessel The vessel.
 * @returns The unread bottles, oldest first.
 */
export async function unreadBottles(vessel: Vessel): Promise<InboxEntry[]> {
  return (await checkInbox(vessel, { pull: false })).bottles;
}

/**
 * Counts the bottles in `reader`'s inbox by sender, type and priority.
 *
 * @param vessel The vessel holding the inbox.
 * @param options `reader`, `pull` and `rescan` as for {@linkcode checkInbox}.
 * @returns The summary.
 */
export async function inboxSummary(
  vessel: Vessel,
  options: Omit<CheckOptions, "all"> = {},
): Promise<InboxSummary> {
  const report = await checkInbox(vessel, { ...options, all: true });
  const summary: InboxSummary = {
    reader: report.reader,
    total: report.total,
    unread: report.unread,
    senders: {},
    unreadByType: {},
    unreadByPriority: {},
    newestUnread: report.bottles.filter((entry) => !entry.read).slice(-5)
      .reverse(),
    problems: report.bottles.filter((entry) => entry.problem !== undefined)
      .length,
  };
  for (const entry of report.bottles) {
    const sender = entry.from ?? "unknown";
    const counts = summary.senders[sender] ??= { total: 0, unread: 0 };
    counts.total++;
    if (entry.read) continue;
    counts.unread++;
    const type = entry.type ?? "message";
    summary.unreadByType[type] = (summary.unreadByType[type] ?? 0) + 1;
    const priority = entry.priority ?? "none";
    summary.unreadByPriority[priority] =
      (summary.unreadByPriority[priority] ?? 0) + 1;
  }
  return summary;
}

/**
 * Reads one bottle of `reader`'s inbox and records a receipt for it.
 *
 * @param vessel The vessel holding the inbox.
 * @param ref The bottle: its path (relative to the vessel or the working folder),
 * its file name, its id, or an unambiguous start of its id.
 * @param options `reader`; `commit` the receipt (default: when the vessel is a git
 * repository); `cwd` to resolve a relative path against.
 * @returns The bottle and whether it had been read before.
 * @throws {DatumError} `not_in_inbox` (exit 4) for a file that is not in the
 * inbox (outside it, or not there at all); `ambiguous` (exit 2) for an id start
 * that names several; `invalid_bottle` (exit 3) for a file over the size limit,
 * binary, or with front matter that never closes.
 */
export async function readBottle(
  vessel: Vessel,
  ref: string,
  options: { reader?: string; commit?: boolean; cwd?: string } = {},
): Promise<ReadResult> {
  const reader = checkAgentName(options.reader ?? vessel.agent, "reader");
  const rows = await inboxRows(vessel.root, reader, false);
  // A whole id (or a path the index keys by) is found by its key alone; only a
  // name, a relative path or an id's start needs every header.
  const refKey = receiptKey({ id: ref, path: "" });
  const exact = rows.keys.indexOf(refKey);
  const entry = exact !== -1 && rows.keys.lastIndexOf(refKey) === exact
    ? { ...rows.header(exact), read: false }
    : findEntry(
      vessel,
      rows.keys.map((_, i) => ({ ...rows.header(i), read: false })),
      ref,
      reader,
      options.cwd,
    );
  const text = readBounded(`${vessel.root}/${entry.path}`);
  const bottle = parseBottle(text, entry.path);
  if (bottle.problem !== undefined) {
    throw new DatumError(
      `Cannot read bottle "${entry.path}": ${bottle.problem}`,
      {
        code: "invalid_bottle",
        exitCode: ExitCode.Invalid,
        hint: "fix the file in the vessel (close the front matter with ---)",
      },
    );
  }
  if (entry.from !== undefined) bottle.from = entry.from;
  bottle.inferred = entry.inferred;
  const receipts = await readReceipts(vessel, reader);
  const key = keyOf(bottle);
  const wasRead = receipts.has(key);
  let committed = false;
  if (!wasRead) {
    committed = await markRead(vessel, [bottle], {
      reader,
      ...(options.commit === undefined ? {} : { commit: options.commit }),
    });
  }
  return { bottle, wasRead, committed };
}

/**
 * Appends receipts for `bottles` to `reader`'s log and commits it.
 *
 * @param vessel The vessel holding the inbox.
 * @param bottles The bottles read.
 * @param options `reader`; `commit` (default: when the vessel is a git repository).
 * @returns Whether a commit was made.
 */
export async function markRead(
  vessel: Vessel,
  bottles: readonly Pick<Bottle, "id" | "path" | "subject">[],
  options: { reader?: string; commit?: boolean; now?: Date } = {},
): Promise<boolean> {
  if (bottles.length === 0) return false;
  const reader = checkAgentName(options.reader ?? vessel.agent, "reader");
  const rel = receiptsPath(vessel, reader);
  const at = (options.now ?? new Date()).toISOString();
  await ensureParent(`${vessel.root}/${rel}`);
  await appendLocked(
    `${vessel.root}/${rel}`,
    bottles.map((bottle) => `${at}\t${keyOf(bottle)}\n`).join(""),
    { lineStart: true },
  );
  const first = bottles[0]!;
  return await maybeCommit(
    vessel,
    reader,
    formatI2I({
      type: "ACK",
      sender: reader,
      action: "read",
      description: bottles.length === 1
        ? first.subject
        : `${bottles.length} bottles`,
    }),
    await trackedLogs(vessel, rel),
    options.commit,
  );
}

// ---------------------------------------------------------------------------
// Receipts

async function readReceipts(
  vessel: Vessel,
  reader: string,
): Promise<Set<string>> {
  const text = await readTextIfExists(
    `${vessel.root}/${receiptsPath(vessel, reader)}`,
  ) ?? "";
  const keys = new Set<string>();
  for (const line of text.split("\n")) {
    const tab = line.indexOf("\t");
    if (tab > 0) keys.add(line.slice(tab + 1));
  }
  return keys;
}

function receiptsPath(vessel: Vessel, reader: string): string {
  return relativeMib(vessel, `${MIB}/receipts/${reader}.log`);
}

const keyOf = receiptKey;

function findEntry(
  vessel: Vessel,
  entries: InboxEntry[],
  ref: string,
  reader: string,
  cwd: string | undefined,
): InboxEntry {
  const notHere = (): DatumError =>
    new DatumError(`"${ref}" is not a bottle in ${reader}'s inbox`, {
      code: "not_in_inbox",
      exitCode: ExitCode.NotFound,
      hint: `list the inbox with \`datum bottle check --all\`${
        reader === vessel.agent ? "" : ` --inbox ${reader}`
      }`,
    });
  if (ref.trim() === "") throw notHere();
  const byPath = new Map(entries.map((entry) => [entry.path, entry]));
  const direct = byPath.get(ref.replace(/\\/g, "/"));
  if (direct) return direct;
  if (ref.includes("/") || ref.includes("\\")) {
    const absolute = resolvePath(ref, cwd === undefined ? {} : { cwd });
    const prefix = `${vessel.root}/`;
    if (!absolute.startsWith(prefix)) throw notHere();
    const inside = byPath.get(absolute.slice(prefix.length));
    if (inside) return inside;
    throw notHere();
  }
  const byName = entries.filter((entry) =>
    entry.path.slice(entry.path.lastIndexOf("/") + 1) === ref
  );
  if (byName.length === 1) return byName[0]!;
  const byId = entries.filter((entry) => entry.id === ref);
  if (byId.length === 1) return byId[0]!;
  const byStart = entries.filter((entry) =>
    entry.id !== undefined && ref.length >= 6 && entry.id.startsWith(ref)
  );
  if (byStart.length === 1) return byStart[0]!;
  if (byStart.length > 1 || byName.length > 1 || byId.length > 1) {
    throw new DatumError(`"${ref}" names several bottles`, {
      code: "ambiguous",
      exitCode: ExitCode.Usage,
      hint: "give the whole id or the bottle's path",
    });
  }
  throw notHere();
}

// ---------------------------------------------------------------------------
// Delivery

type Outcome =
  | { ok: true; commit: string | undefined }
  | { ok: false; error: DatumError };

function commitOf(outcome: Outcome): { commit?: string } {
  return outcome.ok && outcome.commit !== undefined
    ? { commit: outcome.commit }
    : {};
}

async function deliverBatch(
  vessel: Vessel,
  target: string,
  entries: readonly DeliveryRecord[],
  options: { agent: string; message: string; maxAttempts?: number },
): Promise<Outcome> {
  try {
    const files: DeliveryFile[] = [];
    for (const entry of entries) {
      files.push({
        path: targetPath(entry.path),
        content: readBounded(`${vessel.root}/${entry.path}`),
      });
    }
    const kind = await targetKind(target);
    if (kind === "folder" || kind === "worktree") {
      for (const file of files) {
        const path = `${target}/${file.path}`;
        await ensureParent(path);
        const existing = await readTextIfExists(path);
        if (existing === file.content) continue;
        await atomicWrite(path, file.content, { exclusive: true });
      }
      if (kind === "worktree") {
        await commit(target, options.agent, options.message, [
          ...files.map((file) => file.path),
        ]).catch(async (error) => {
          // Nothing to commit: the bottles were there already.
          const status = await git(target, [
            "status",
            "--porcelain",
            "--",
            ...files.map((f) => f.path),
          ]);
          if (status.stdout.trim() !== "") throw error;
        });
        const head = await git(target, ["rev-parse", "HEAD"]);
        return { ok: true, commit: head.stdout.trim() };
      }
      return { ok: true, commit: undefined };
    }
    const delivered = await deliver(target, files, {
      cacheDir: `${await machineCache(vessel.root)}/vessels`,
      agent: options.agent,
      message: options.message,
      ...(options.maxAttempts === undefined
        ? {}
        : { maxAttempts: options.maxAttempts }),
    });
    return { ok: true, commit: delivered.commit };
  } catch (error) {
    if (error instanceof DatumError) return { ok: false, error };
    return {
      ok: false,
      error: new DatumError(String((error as Error)?.message ?? error), {
        code: "delivery_failed",
        exitCode: ExitCode.Unavailable,
      }),
    };
  }
}

/** Records how a delivery went and commits the log. */
async function settle(
  vessel: Vessel,
  agent: string,
  entries: readonly DeliveryRecord[],
  outcome: Outcome,
  wantCommit: boolean | undefined,
): Promise<void> {
  for (const entry of entries) {
    await record(
      vessel,
      outcome.ok
        ? { event: "delivered", ...entry, ...commitOf(outcome) }
        : { event: "failed", ...entry, reason: outcome.error.message },
    );
  }
  await maybeCommit(
    vessel,
    agent,
    formatI2I({
      type: "LOG",
      sender: agent,
      action: "deliver",
      description: `${entries.length} bottle(s) ${
        outcome.ok ? "delivered" : "queued"
      } for ${displayTarget(entries[0]?.vessel ?? "")}`,
    }),
    await trackedLogs(vessel, relativeMib(vessel, DELIVERIES)),
    wantCommit,
  );
}

async function record(
  vessel: Vessel,
  entry: Record<string, string>,
): Promise<void> {
  const path = `${vessel.root}/${relativeMib(vessel, DELIVERIES)}`;
  await ensureParent(path);
  await appendLocked(
    path,
    `${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`,
    { lineStart: true },
  );
}

/** The bottle's place in the target vessel: always under `message-in-a-bottle/`. */
function targetPath(ownPath: string): string {
  const at = ownPath.indexOf(`${MIB}/`);
  return at === -1 ? ownPath : ownPath.slice(at);
}

type TargetKind = "folder" | "worktree" | "git";

async function targetKind(target: string): Promise<TargetKind> {
  if (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(target) || /^[^/]+@[^/:]+:/.test(target)
  ) {
    return "git";
  }
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(target);
  } catch {
    return "git"; // missing: let git say so, in the transport's words
  }
  if (!info.isDirectory) return "git";
  if (await exists(`${target}/.git`)) return "worktree";
  if (await exists(`${target}/HEAD`) && await exists(`${target}/objects`)) {
    return "git";
  }
  return "folder";
}

/**
 * Checks a target vessel: a folder (made absolute) or a git URL without a password.
 */
function checkTarget(target: string): string {
  if (target.trim() === "") {
    throw new DatumError("The target vessel is empty", {
      code: "usage",
      exitCode: ExitCode.Usage,
      hint: "give a folder, a bare repository or a git URL",
    });
  }
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(target);
  if (url && /^[a-z][a-z0-9+.-]*:\/\/[^/@]*:[^/@]*@/i.test(target)) {
    throw new DatumError(
      "The target vessel's URL holds a password; datum does not write credentials into the vessel's log",
      {
        code: "usage",
        exitCode: ExitCode.Usage,
        hint:
          "drop the user:password@ part and let a git credential helper or SSH key authenticate",
      },
    );
  }
  if (url || /^[^/]+@[^/:]+:/.test(target)) return target;
  return resolvePath(target);
}

function displayTarget(target: string): string {
  return redactTarget(target);
}

// ---------------------------------------------------------------------------
// Git and paths

async function pull(vessel: Vessel): Promise<SyncResult | undefined> {
  if (!(await exists(`${vessel.root}/.git`))) return undefined;
  const { syncWithUpstream } = await import("../workshop/boot.ts");
  return await syncWithUpstream(vessel);
}

async function maybeCommit(
  vessel: Vessel,
  agent: string,
  message: string,
  paths: readonly string[],
  wanted: boolean | undefined,
): Promise<boolean> {
  if (wanted === false || !(await exists(`${vessel.root}/.git`))) return false;
  await commit(vessel.root, agent, message, paths);
  return true;
}

/** The log at `rel`, plus `.gitattributes` when this call added the merge rules. */
async function trackedLogs(vessel: Vessel, rel: string): Promise<string[]> {
  if (!(await exists(`${vessel.root}/.git`))) return [rel];
  const path = `${vessel.root}/.gitattributes`;
  const text = await readTextIfExists(path) ?? "";
  const missing = MERGE_ATTRIBUTES.filter((line) => !text.includes(line));
  if (missing.length === 0) return [rel];
  await appendLocked(
    path,
    `${
      text === "" || text.endsWith("\n") ? "" : "\n"
    }# Receipts and delivery records: one line each, so merging keeps every line.\n${
      missing.join("\n")
    }\n`,
  );
  return [rel, ".gitattributes"];
}

function commitMessage(bottle: FormattedBottle): string {
  const broadcast = bottle.draft.to === BROADCAST;
  return formatI2I({
    type: i2iTypeOf(bottle.draft.type, broadcast),
    sender: bottle.draft.from,
    action: "bottle",
    description: broadcast
      ? `to the fleet: ${bottle.draft.subject}`
      : `to ${bottle.draft.to}: ${bottle.draft.subject}`,
  });
}

/** `path` under the vessel's own bottle folder, relative to the vessel root. */
function relativeMib(vessel: Vessel, path: string): string {
  const prefix = `${vessel.root}/`;
  const base = vessel.paths.bottles.startsWith(prefix)
    ? vessel.paths.bottles.slice(prefix.length)
    : MIB;
  return path.startsWith(`${MIB}/`)
    ? `${base}/${path.slice(MIB.length + 1)}`
    : path;
}

/** Creates the folder that will hold `path`. */
async function ensureParent(path: string): Promise<void> {
  await Deno.mkdir(parentOf(path), { recursive: true }).catch((error) => {
    throw fileError("create", parentOf(path), error);
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}
