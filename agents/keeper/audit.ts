/**
 * The keeper's audit log: append-only JSONL, one record per request, each record
 * carrying the hash of the one before and its own, so `verify` finds an edited,
 * removed or reordered record and says which.
 *
 * A record line is the JSON of `{seq, time, event, …fields, prev}` with
 * `,"hash":"<sha256 of everything before it, plus the closing brace>"` spliced in
 * before the closing brace: the hash covers the record's bytes as written, so no
 * canonical form is needed to check it. The first record's `prev` is 64 zeros.
 *
 * Writes use group commit: records appended while an `fdatasync` is running are
 * written together in one `write` and made durable by one `fdatasync`, and each
 * caller's promise resolves only after the sync that covers its record. Several
 * processes may append (a running keeper and a `datum keeper set`): each batch is
 * written under an exclusive lock, after reading the chain's head from the file.
 *
 * @module
 */

import { DatumError, ExitCode } from "../../core/errors.ts";
import { fileError, readTextIfExists } from "../../core/fs.ts";
import { setImmediate } from "node:timers";
import { sha256Hex, utf8 } from "./_crypto.ts";

/** The `prev` of the first record. */
export const GENESIS: string = "0".repeat(64);

/** What a record says happened; never a secret's value. */
export interface AuditEvent {
  /** E.g. `secret.request`, `secret.set`, `agent.enroll`. */
  event: string;
  /** Who acted: an agent's name, `admin` (HTTP with the admin token), or `operator` (the CLI). */
  actor?: string | null;
  /** The secret involved. */
  key?: string | null;
  /** The purpose a request stated. */
  purpose?: string | null;
  /** The host the secret is to be sent to. */
  destination?: string | null;
  /** The TTL asked for, in seconds. */
  ttl?: number | null;
  /** Whether the secret was released (or the change made). */
  approved?: boolean;
  /** Why, in a few words. */
  reason?: string;
  /** Where a released value came from: `store`, or `env` with the fallback on. */
  source?: string;
  /** The agent a command was about (enroll, revoke). */
  agent?: string;
}

/** A record as the log holds it. */
export interface AuditRecord extends AuditEvent {
  /** 1, 2, 3, … in file order. */
  seq: number;
  /** ISO 8601 time of the request. */
  time: string;
  /** The hash of the previous record. */
  prev: string;
  /** The SHA-256 of this record's line up to this field. */
  hash: string;
}

/** One thing `verifyAudit` found wrong. */
export interface AuditProblem {
  /** 1-based line in the file. */
  line: number;
  /** The record's sequence number, when readable. */
  seq: number | undefined;
  /** What kind of damage. */
  kind:
    | "malformed"
    | "edited"
    | "removed"
    | "reordered"
    | "duplicate"
    | "broken";
  /** One sentence naming the record. */
  message: string;
}

/** What `verifyAudit` returns. */
export interface AuditVerification {
  /** Whether the chain is intact. */
  ok: boolean;
  /** How many lines were read. */
  records: number;
  /** The problems, in file order. */
  problems: AuditProblem[];
}

const HASH_TAIL = /^(.*),"hash":"([0-9a-f]{64})"\}$/;
const TAIL_BYTES = 65536;

interface Pending {
  event: AuditEvent;
  resolve(record: AuditRecord): void;
  reject(error: unknown): void;
}

function auditError(path: string, cause: unknown): DatumError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new DatumError(`Cannot write audit log "${path}": ${detail}`, {
    code: "audit_unavailable",
    exitCode: ExitCode.Failure,
    hint: "no secret is released until the audit log can be written",
    cause,
  });
}

/**
 * Builds the line of a record.
 *
 * @returns The line without its newline, and its hash.
 */
function formatRecord(
  seq: number,
  time: string,
  event: AuditEvent,
  prev: string,
): { line: string; hash: string } {
  const body = JSON.stringify({ seq, time, ...event, prev });
  const hash = sha256Hex(body);
  return { line: `${body.slice(0, -1)},"hash":"${hash}"}`, hash };
}

/**
 * An open audit log. `append` resolves once the record is durable.
 *
 * @example
 * ```ts ignore
 * await using log = await AuditLog.open("/tmp/k/audit.jsonl");
 * await log.append({ event: "secret.set", actor: "operator", key: "github_pat", approved: true });
 * ```
 */
export class AuditLog implements AsyncDisposable {
  /** The log's path. */
  readonly path: string;
  #file: Deno.FsFile;
  #pending: Pending[] = [];
  #flushing: Promise<void> = Promise.resolve();
  #draining = false;
  #headSeq = 0;
  #headHash = GENESIS;
  #end = -1;
  #closed = false;

  private constructor(path: string, file: Deno.FsFile) {
    this.path = path;
    this.#file = file;
  }

  /**
   * Opens (or creates, mode 0600) the log at `path`.
   *
   * @param path The JSONL file.
   * @returns The log.
   */
  static async open(path: string): Promise<AuditLog> {
    try {
      const file = await Deno.open(path, {
        read: true,
        append: true,
        create: true,
        mode: 0o600,
      });
      return new AuditLog(path, file);
    } catch (error) {
      throw fileError("open", path, error);
    }
  }

  /**
   * Appends a record and waits until it is on disk.
   *
   * @param event What happened.
   * @returns The record as written.
   * @throws {DatumError} `audit_unavailable` when it could not be written.
   */
  append(event: AuditEvent): Promise<AuditRecord> {
    if (this.#closed) {
      return Promise.reject(auditError(this.path, new Error("log is closed")));
    }
    return new Promise((resolve, reject) => {
      this.#pending.push({ event, resolve, reject });
      // A drain in progress picks the record up after its current sync: that is
      // the group commit.
      if (!this.#draining) this.#flushing = this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#pending.length) {
        // Before cutting a batch, let requests already in flight reach the log:
        // one event-loop turn (~15 us) at a time, while the batch keeps growing.
        // Alone, a record waits one turn; under load, batches fill up.
        for (
          let n = -1, turns = 0;
          n !== this.#pending.length && turns < 8;
          turns++
        ) {
          n = this.#pending.length;
          await new Promise((resolve) => setImmediate(resolve));
        }
        const batch = this.#pending.splice(0);
        try {
          const records = await this.#write(batch.map((p) => p.event));
          batch.forEach((p, i) => p.resolve(records[i]!));
        } catch (error) {
          this.#end = -1;
          const wrapped = auditError(this.path, error);
          for (const p of batch) p.reject(wrapped);
        }
      }
    } finally {
      // Cleared in the same synchronous run as the last emptiness check (no await
      // between them), so no record can be queued with nobody left to write it.
      this.#draining = false;
    }
  }

  async #write(events: AuditEvent[]): Promise<AuditRecord[]> {
    const file = this.#file;
    // Lock, stat and write are synchronous: each is a few microseconds, where an
    // async op costs a thread-pool round trip (~100-300 µs on a small VM). The
    // lock is released before the fdatasync, the one wait for the disk: it is
    // never held across an await, so a second log on the same file in this
    // process cannot block the event loop on it, and another process waits for
    // one write, not a sync. Answers still wait for the sync below.
    let records: AuditRecord[];
    file.lockSync(true);
    try {
      const { size } = file.statSync();
      if (size !== this.#end) this.#readHead(size);
      const time = new Date().toISOString();
      records = [];
      let text = "";
      let seq = this.#headSeq;
      let prev = this.#headHash;
      for (const event of events) {
        seq++;
        const { line, hash } = formatRecord(seq, time, event, prev);
        records.push({ seq, time, ...event, prev, hash });
        text += `${line}\n`;
        prev = hash;
      }
      const bytes = utf8(text);
      for (let done = 0; done < bytes.length;) {
        done += file.writeSync(bytes.subarray(done));
      }
      this.#headSeq = seq;
      this.#headHash = prev;
      this.#end = size + bytes.length;
    } finally {
      file.unlockSync();
    }
    await file.syncData();
    return records;
  }

  /** Reads the chain's head (last seq and hash) from the end of the file. */
  #readHead(size: number): void {
    if (size === 0) {
      this.#headSeq = 0;
      this.#headHash = GENESIS;
      return;
    }
    const start = Math.max(0, size - TAIL_BYTES);
    const buffer = new Uint8Array(size - start);
    this.#file.seekSync(start, Deno.SeekMode.Start);
    let filled = 0;
    while (filled < buffer.length) {
      const n = this.#file.readSync(buffer.subarray(filled));
      if (n === null) break;
      filled += n;
    }
    const text = new TextDecoder().decode(buffer.subarray(0, filled));
    const lines = text.split("\n").filter((l) => l.length > 0);
    const last = lines.at(-1) ?? "";
    const match = HASH_TAIL.exec(last);
    const seq = /^\{"seq":(\d+),/.exec(last);
    if (!text.endsWith("\n") || !match || !seq) {
      throw new Error(
        "its last record is damaged; run `datum keeper audit verify`",
      );
    }
    this.#headSeq = Number(seq[1]);
    this.#headHash = match[2]!;
  }

  /** Waits for pending records, then closes the file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#draining) await this.#flushing;
    this.#file.close();
  }

  /** Same as {@linkcode AuditLog.close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * Reads the log's records (the last `tail` of them when given), skipping lines that
 * do not parse: `verifyAudit` is the place that reports those.
 *
 * @param path The JSONL file.
 * @param options `tail`: how many of the last records.
 * @returns The records, oldest first; none when the file does not exist.
 *
 * @example
 * ```ts ignore
 * const last = await readAudit("/tmp/k/audit.jsonl", { tail: 20 });
 * ```
 */
export async function readAudit(
  path: string,
  options: { tail?: number } = {},
): Promise<AuditRecord[]> {
  const text = await readTextIfExists(path) ?? "";
  const records: AuditRecord[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      records.push(JSON.parse(line) as AuditRecord);
    } catch {
      // Reported by verifyAudit.
    }
  }
  return options.tail === undefined ? records : records.slice(
    Math.max(0, records.length - options.tail),
  );
}

/**
 * Checks the log's chain: every record's own hash, its sequence number, and that it
 * carries the hash of the record before it. Names each edited, removed or reordered
 * record. Records removed from the end leave no trace in the file itself.
 *
 * @param path The JSONL file.
 * @returns Whether it is intact, and what is wrong.
 *
 * @example
 * ```ts ignore
 * const { ok, problems } = await verifyAudit("/tmp/k/audit.jsonl");
 * ```
 */
export async function verifyAudit(path: string): Promise<AuditVerification> {
  const text = await readTextIfExists(path) ?? "";
  const lines = text.split("\n");
  const complete = text.endsWith("\n") || text === "";
  if (complete) lines.pop();
  const problems: AuditProblem[] = [];
  const parsed: { line: number; seq: number; prev: string; hash: string }[] =
    [];
  for (let i = 0; i < lines.length; i++) {
    const number = i + 1;
    const line = lines[i]!;
    if (!complete && i === lines.length - 1) {
      problems.push({
        line: number,
        seq: undefined,
        kind: "malformed",
        message: `line ${number} is incomplete: the log was cut off mid-record`,
      });
      break;
    }
    const match = HASH_TAIL.exec(line);
    let record: Partial<AuditRecord> | undefined;
    try {
      record = JSON.parse(line);
    } catch {
      record = undefined;
    }
    if (
      !match || !record || !Number.isInteger(record.seq) ||
      typeof record.prev !== "string"
    ) {
      problems.push({
        line: number,
        seq: undefined,
        kind: "malformed",
        message:
          `line ${number} is not an audit record: it was edited or damaged`,
      });
      continue;
    }
    const seq = record.seq as number;
    if (sha256Hex(`${match[1]}}`) !== match[2]) {
      problems.push({
        line: number,
        seq,
        kind: "edited",
        message:
          `record ${seq} (line ${number}) was edited: its content does not match its hash`,
      });
    }
    parsed.push({ line: number, seq, prev: record.prev, hash: match[2]! });
  }
  const bySeq = new Map<number, (typeof parsed)[number]>();
  let previous: (typeof parsed)[number] | undefined;
  for (const entry of parsed) {
    if (bySeq.has(entry.seq)) {
      problems.push({
        line: entry.line,
        seq: entry.seq,
        kind: "duplicate",
        message: `record ${entry.seq} (line ${entry.line}) appears twice`,
      });
    } else bySeq.set(entry.seq, entry);
    if (previous && entry.seq < previous.seq) {
      problems.push({
        line: entry.line,
        seq: entry.seq,
        kind: "reordered",
        message:
          `record ${entry.seq} (line ${entry.line}) is out of order: it comes after record ${previous.seq}`,
      });
    }
    previous = entry;
  }
  const seqs = [...bySeq.keys()].sort((a, b) => a - b);
  const max = seqs.at(-1) ?? 0;
  const missing: number[] = [];
  for (let s = 1; s <= max; s++) if (!bySeq.has(s)) missing.push(s);
  for (const run of runs(missing)) {
    const after = bySeq.get(run[1] + 1);
    problems.push({
      line: after?.line ?? 0,
      seq: run[0],
      kind: "removed",
      message: run[0] === run[1]
        ? `record ${run[0]} was removed${
          after ? ` (before line ${after.line})` : ""
        }`
        : `records ${run[0]}–${run[1]} were removed${
          after ? ` (before line ${after.line})` : ""
        }`,
    });
  }
  for (const entry of bySeq.values()) {
    const expected = entry.seq === 1 ? GENESIS : bySeq.get(entry.seq - 1)?.hash;
    if (expected !== undefined && entry.prev !== expected) {
      problems.push({
        line: entry.line,
        seq: entry.seq,
        kind: "broken",
        message:
          `record ${entry.seq} (line ${entry.line}) does not chain to record ${
            entry.seq - 1
          }: one of them was altered`,
      });
    }
  }
  problems.sort((a, b) => a.line - b.line);
  return { ok: problems.length === 0, records: lines.length, problems };
}

function runs(sorted: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const n of sorted) {
    const last = out.at(-1);
    if (last && last[1] === n - 1) last[1] = n;
    else out.push([n, n]);
  }
  return out;
}
