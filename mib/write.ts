/**
 * Writing bottles: names checked, subjects slugged, and the text laid out as datum
 * 0.3 laid it out (a `---` block of `key: value` lines, a title, bold fields, the
 * body, the `*MiB v1.0 | a → b | date*` footer), so a 0.3 runtime still reads it.
 * datum adds `id` and the optional keys `priority`, `in-reply-to`, `thread` and
 * `expires`.
 *
 * @module
 */

import { DatumError, ExitCode } from "../core/errors.ts";
import { newId } from "../core/ids.ts";
import type { I2IType } from "./i2i.ts";

/** The largest bottle datum writes or reads: 1 MiB of UTF-8. */
export const MAX_BOTTLE_BYTES = 1024 * 1024;

/** The folder, under `message-in-a-bottle/`, of broadcasts: `for-any-vessel/`. */
export const BROADCAST = "any-vessel";

/** Bottle types: datum 0.3's seven, then those of I2I v2. */
export const BOTTLE_TYPES: readonly string[] = Object.freeze([
  "message",
  "signal",
  "check-in",
  "alert",
  "deliverable",
  "handoff",
  "question",
  "ping",
  "ack",
  "log",
  "broadcast",
  "request",
  "response",
  "coordinate",
  "nominate",
  "escalate",
  "revoke",
]);

/** What a new bottle says; {@linkcode formatBottle} adds the id and the date. */
export interface BottleDraft {
  /** The sending agent. */
  from: string;
  /** The receiving agent, or {@linkcode BROADCAST}. */
  to: string;
  /** One line. */
  subject: string;
  /** Markdown. */
  body: string;
  /** One of {@linkcode BOTTLE_TYPES}; `message` when omitted. */
  type?: string;
  /** e.g. `high`. */
  priority?: string;
  /** The id of the bottle this answers. */
  inReplyTo?: string;
  /** A conversation id. */
  thread?: string;
  /** When the bottle stops mattering (ISO 8601). */
  expires?: string;
}

/** A bottle ready to be written. */
export interface FormattedBottle {
  /** Unique: time + random. */
  id: string;
  /** `YYYY-MM-DD_sender_slug-<random>.md`: never the same twice. */
  fileName: string;
  /** Relative to the vessel root: `message-in-a-bottle/for-<to>/<fileName>`. */
  path: string;
  /** The file's content. */
  text: string;
  /** The date as written, `YYYY-MM-DD HH:MM:SS UTC`. */
  date: string;
  /** The draft, checked and normalised. */
  draft: Required<Pick<BottleDraft, "from" | "to" | "subject" | "type">>;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * Checks an agent name for use as a folder name: `for-<name>/`. Upper case is
 * folded to lower case.
 *
 * @param name The name as given.
 * @param role What the name is, for the message: "recipient", "sender"…
 * @returns The name in lower case.
 * @throws {DatumError} `invalid_name` (exit 2) for `/`, `..`, NUL, control
 * characters, spaces, or an empty or over-long name.
 *
 * @example
 * ```ts
 * import { checkAgentName } from "./write.ts";
 * console.assert(checkAgentName("Navigator", "recipient") === "navigator");
 * ```
 */
export function checkAgentName(name: string, role: string): string {
  const lower = name.toLowerCase();
  if (NAME.test(lower) && !lower.includes("..")) return lower;
  // deno-lint-ignore no-control-regex
  const why = /[\x00-\x1f\x7f]/.test(name)
    ? "it holds a control character"
    : name.includes("/") || name.includes("\\")
    ? "it holds a path separator"
    : name.includes("..")
    ? 'it holds ".."'
    : name === ""
    ? "it is empty"
    : name.length > 64
    ? "it is longer than 64 characters"
    : "it may hold only letters, digits, '.', '_' and '-', starting with a letter or digit";
  throw new DatumError(
    `Invalid ${role} name ${JSON.stringify(name)}: ${why}`,
    {
      code: "invalid_name",
      exitCode: ExitCode.Usage,
      hint: "agent names look like `navigator` or `oracle-1`",
    },
  );
}

/**
 * The file-name slug of a subject: letters and digits of any script, lower case,
 * joined by `-`, at most 60 characters.
 *
 * @param subject The subject.
 * @returns The slug; empty when the subject holds no letter or digit.
 *
 * @example
 * ```ts
 * import { slugOf } from "./write.ts";
 * console.assert(slugOf("Handoff: ISA v3") === "handoff-isa-v3");
 * ```
 */
export function slugOf(subject: string): string {
  const slug = subject.normalize("NFC").toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  return [...slug].slice(0, 60).join("").replace(/-+$/, "");
}

/**
 * Checks a bottle body: text, not binary, and not over {@linkcode MAX_BOTTLE_BYTES}.
 *
 * @param bytes The body as bytes (e.g. read from stdin).
 * @returns The body as text.
 * @throws {DatumError} `invalid_content` (exit 3) naming the problem.
 */
export function bodyFromBytes(bytes: Uint8Array): string {
  if (bytes.length > MAX_BOTTLE_BYTES) {
    throw invalidContent(
      `it is ${bytes.length} bytes, over the limit of ${MAX_BOTTLE_BYTES} (1 MiB)`,
      "put large data in the vessel and send its path in the bottle",
    );
  }
  if (bytes.includes(0)) {
    throw invalidContent(
      "it holds NUL bytes (binary data)",
      "send text; put binary files in the vessel and send their path",
    );
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalidContent(
      "it is not valid UTF-8 (binary data?)",
      "send UTF-8 text",
    );
  }
}

function invalidContent(why: string, hint: string): DatumError {
  return new DatumError(`Cannot use the bottle's content: ${why}`, {
    code: "invalid_content",
    exitCode: ExitCode.Invalid,
    hint,
  });
}

/**
 * Lays out a bottle as datum 0.3 did, with a fresh id and file name.
 *
 * @param draft What the bottle says.
 * @param now The time of sending.
 * @returns The text, id and file name.
 * @throws {DatumError} For a bad name (exit 2), a subject that is empty, spans
 * lines or slugs to nothing (exit 2), an unknown type (exit 2), or a body that is
 * binary or too large (exit 3).
 *
 * @example
 * ```ts
 * import { formatBottle } from "./write.ts";
 * const bottle = formatBottle(
 *   { from: "scout", to: "navigator", subject: "Route tables", body: "All open." },
 *   new Date("2026-11-30T04:50:00Z"),
 * );
 * console.assert(bottle.text.startsWith("---\nfrom: scout\nto: navigator\n"));
 * console.assert(bottle.path.startsWith("message-in-a-bottle/for-navigator/2026-11-30_scout_route-tables-"));
 * ```
 */
export function formatBottle(
  draft: BottleDraft,
  now: Date = new Date(),
): FormattedBottle {
  const from = checkAgentName(draft.from, "sender");
  const to = checkAgentName(draft.to, "recipient");
  const subject = draft.subject.trim();
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f\x7f]/.test(subject)) {
    throw usage(
      "The subject holds a line break or control character",
      "give a one-line subject; put the rest in the content",
    );
  }
  const slug = slugOf(subject);
  if (slug === "") {
    throw usage(
      `The subject ${JSON.stringify(draft.subject)} has no letter or digit`,
      'give a subject with words, e.g. "Route tables for the north"',
    );
  }
  const type = (draft.type ?? "message").toLowerCase();
  if (!BOTTLE_TYPES.includes(type)) {
    throw usage(
      `Unknown bottle type "${draft.type}"`,
      `use one of: ${BOTTLE_TYPES.join(", ")}`,
    );
  }
  const body = bodyFromBytes(new TextEncoder().encode(draft.body)).replace(
    /\r\n?/g,
    "\n",
  ).trim();
  const id = newId(now);
  const date = `${now.toISOString().slice(0, 19).replace("T", " ")} UTC`;
  const extra: [string, string | undefined][] = [
    ["priority", draft.priority],
    ["in-reply-to", draft.inReplyTo],
    ["thread", draft.thread],
    ["expires", draft.expires],
  ];
  for (const [key, value] of extra) {
    // deno-lint-ignore no-control-regex
    if (value !== undefined && /[\x00-\x1f\x7f]/.test(value)) {
      throw usage(`The ${key} holds a line break`, `give ${key} on one line`);
    }
  }
  const broadcast = to === BROADCAST;
  const lines = [
    "---",
    `from: ${from}`,
    `to: ${to}`,
    `date: ${date}`,
    `type: ${type}`,
    `subject: ${subject}`,
    `id: ${id}`,
    ...extra.filter(([, value]) => value !== undefined && value.trim() !== "")
      .map(([key, value]) => `${key}: ${value!.trim()}`),
    "---",
    "",
    `# ${subject}`,
    "",
    `**From:** ${from}`,
    `**To:** ${broadcast ? "All Fleet Vessels" : to}`,
    `**Date:** ${date}`,
    `**Type:** ${type}`,
    "",
    "---",
    "",
    body,
    "",
    "---",
    "",
    `*MiB v1.0 | ${from} → ${broadcast ? "fleet" : to} | ${date}*`,
    "",
  ];
  const text = lines.join("\n");
  if (new TextEncoder().encode(text).length > MAX_BOTTLE_BYTES) {
    throw invalidContent(
      `with its header it is over the limit of ${MAX_BOTTLE_BYTES} bytes (1 MiB)`,
      "shorten the content",
    );
  }
  const fileName = `${date.slice(0, 10)}_${from}_${slug}-${id.slice(-8)}.md`;
  return {
    id,
    fileName,
    path: `message-in-a-bottle/for-${to}/${fileName}`,
    text,
    date,
    draft: { from, to, subject, type },
  };
}

/**
 * The I2I commit type of a bottle type: the same word for I2I types; a plain
 * message is a `SIGNAL`, or a `BROADCAST` when it goes to every vessel.
 *
 * @param type A bottle type.
 * @param broadcast Whether the bottle goes to every vessel.
 * @returns The I2I type.
 */
export function i2iTypeOf(type: string, broadcast: boolean): I2IType {
  const upper = type.toUpperCase();
  if (upper !== "MESSAGE") return upper as I2IType;
  return broadcast ? "BROADCAST" : "SIGNAL";
}

function usage(message: string, hint: string): DatumError {
  return new DatumError(message, {
    code: "usage",
    exitCode: ExitCode.Usage,
    hint,
  });
}
