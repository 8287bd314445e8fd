/**
 * The I2I commit-message grammar that agents use to tell each other what a commit
 * is: `[I2I:TYPE] sender:action — description`, optionally followed by a blank
 * line and a body.
 *
 * Formatting is strict (only what parses back unchanged is written); parsing is
 * lenient where fleets are: the tag, the type and the action are read in any case,
 * and ` - `, `--` and `–` are accepted as well as `—` between action and
 * description.
 *
 * @module
 */

import { DatumError, ExitCode } from "../core/errors.ts";

/** An I2I message type: the seven of v1 and the nine that v2 adds. */
export type I2IType =
  | "SIGNAL"
  | "PING"
  | "CHECK-IN"
  | "DELIVERABLE"
  | "HANDOFF"
  | "QUESTION"
  | "ALERT"
  | "ACK"
  | "LOG"
  | "BROADCAST"
  | "REQUEST"
  | "RESPONSE"
  | "COORDINATE"
  | "NOMINATE"
  | "ESCALATE"
  | "REVOKE";

// A Record keyed by the union makes the compiler reject a type missing here, so
// the lists below can never drift from `I2IType`.
const VERSION_OF: Readonly<Record<I2IType, 1 | 2>> = {
  SIGNAL: 1,
  PING: 1,
  "CHECK-IN": 1,
  DELIVERABLE: 1,
  HANDOFF: 1,
  QUESTION: 1,
  ALERT: 1,
  ACK: 2,
  LOG: 2,
  BROADCAST: 2,
  REQUEST: 2,
  RESPONSE: 2,
  COORDINATE: 2,
  NOMINATE: 2,
  ESCALATE: 2,
  REVOKE: 2,
};

const ALL_TYPES = Object.keys(VERSION_OF) as I2IType[];

/**
 * The message types of I2I v1, in the order the protocol lists them.
 *
 * @example Check a type
 * ```ts
 * import { I2I_V1_TYPES } from "./i2i.ts";
 * console.assert(I2I_V1_TYPES.includes("HANDOFF"));
 * ```
 */
export const I2I_V1_TYPES: readonly string[] = Object.freeze(
  ALL_TYPES.filter((type) => VERSION_OF[type] === 1),
);

/**
 * The message types that I2I v2 adds to v1 (only the additions).
 *
 * @example Check a type
 * ```ts
 * import { I2I_V2_TYPES } from "./i2i.ts";
 * console.assert(I2I_V2_TYPES.includes("ACK"));
 * console.assert(!I2I_V2_TYPES.includes("PING"));
 * ```
 */
export const I2I_V2_TYPES: readonly string[] = Object.freeze(
  ALL_TYPES.filter((type) => VERSION_OF[type] === 2),
);

/** One I2I message, as {@linkcode parseI2I} reads it. */
export interface I2IMessage {
  /** The message type, upper case. */
  type: I2IType;
  /** Who sends it: letters, digits, `.`, `_`, `-`. */
  sender: string;
  /** What the sender did: lower-case letters, digits, `.`, `_`, `-`. */
  action: string;
  /** One line saying what the commit is. */
  description: string;
  /** The protocol version that introduced `type`. */
  version: 1 | 2;
  /** The text after the first line and its blank line, when there is any. */
  body?: string;
}

/** What {@linkcode formatI2I} takes: an {@linkcode I2IMessage} without its version. */
export interface I2IMessageInput {
  /** The message type. */
  type: I2IType;
  /** Who sends it: letters, digits, `.`, `_`, `-`. */
  sender: string;
  /** What the sender did: lower-case letters, digits, `.`, `_`, `-`. */
  action: string;
  /** One line; surrounding whitespace is trimmed. */
  description: string;
  /** Written after a blank line when it holds more than whitespace. */
  body?: string;
}

/**
 * A text that is not an I2I message, with the text kept for the caller.
 *
 * @example Catch a bad message
 * ```ts
 * import { I2ISyntaxError, parseI2I } from "./i2i.ts";
 * try {
 *   parseI2I("fix typo");
 * } catch (error) {
 *   console.assert(error instanceof I2ISyntaxError && error.text === "fix typo");
 * }
 * ```
 */
export class I2ISyntaxError extends SyntaxError {
  /** The whole text that was given to parse. */
  readonly text: string;

  /**
   * Creates the error for `text`, naming what is wrong with it.
   *
   * @param text The text that failed to parse.
   * @param detail What is wrong with it.
   */
  constructor(text: string, detail: string) {
    super(`Cannot parse I2I message ${quote(firstLine(text))}: ${detail}`);
    this.name = "I2ISyntaxError";
    this.text = text;
  }
}

const SENDER = /^[A-Za-z0-9._-]+$/;
const ACTION = /^[a-z0-9._-]+$/;
const ACTION_ANY_CASE = /^[A-Za-z0-9._-]+$/;
const TAG_START = /^\[\s*I2I\s*:/i;
// The action is the shortest run of non-space text that a separator follows, so a
// dash inside an action (`re-sync`) is kept and the first separator wins.
const ACTION_AND_REST = /^(\S*?)(?:\s*[—–]|\s*--|\s+-(?=\s|$))\s*(.*)$/;
const CHARSET = 'letters, digits, ".", "_" and "-"';

/**
 * Formats an I2I commit message: `[I2I:TYPE] sender:action — description`, then a
 * blank line and the body when there is one.
 *
 * @param message The type, sender, action, description and optional body.
 * @returns The commit message.
 * @throws {DatumError} `i2i_invalid`, exit code 2, when the type is unknown, the
 * sender or action holds other characters, or the description is empty or spans
 * lines.
 *
 * @example Format a handoff
 * ```ts
 * import { formatI2I } from "./i2i.ts";
 * const text = formatI2I({
 *   type: "HANDOFF",
 *   sender: "oracle1",
 *   action: "handoff",
 *   description: "ISA v3 to datum",
 * });
 * console.assert(text === "[I2I:HANDOFF] oracle1:handoff — ISA v3 to datum");
 * ```
 */
export function formatI2I(message: I2IMessageInput): string {
  const { type, sender, action, body } = message;
  if (!Object.hasOwn(VERSION_OF, type)) {
    throw usage(
      `unknown type ${quote(String(type))}`,
      `use one of ${ALL_TYPES.join(", ")}`,
    );
  }
  if (!SENDER.test(sender)) {
    throw usage(
      sender === ""
        ? "the sender is empty"
        : `sender ${quote(sender)} may only hold ${CHARSET}`,
      "name the sender with letters, digits, '.', '_' or '-'",
    );
  }
  if (!ACTION.test(action)) {
    throw usage(
      action === ""
        ? "the action is empty"
        : `action ${quote(action)} may only hold lower-case ${CHARSET}`,
      'name the action in lower case, e.g. "handoff" or "check-in"',
    );
  }
  const description = message.description.trim();
  if (/[\r\n]/.test(description)) {
    throw usage(
      "the description spans more than one line",
      "put the first line in the description and the rest in the body",
    );
  }
  if (description === "") {
    throw usage(
      "the description is empty",
      "say in one line what the commit is",
    );
  }
  const head = `[I2I:${type}] ${sender}:${action} — ${description}`;
  return body === undefined || body.trim() === "" ? head : `${head}\n\n${body}`;
}

/**
 * Parses an I2I commit message. The type, the `I2I` tag and the action are read in
 * any case (and returned as upper-case type, lower-case action); ` - `, `--` and
 * `–` are accepted in place of `—`. A colon or dash inside the description is kept.
 *
 * @param text The commit message: its first line, then optionally a blank line and
 * a body.
 * @returns The message, with the version that introduced its type.
 * @throws {I2ISyntaxError} naming the part that is missing or wrong.
 *
 * @example Parse a subject with a colon in the description
 * ```ts
 * import { parseI2I } from "./i2i.ts";
 * const message = parseI2I("[I2I:ACK] datum:ack — Re: fleet audit");
 * console.assert(message.type === "ACK" && message.version === 2);
 * console.assert(message.description === "Re: fleet audit");
 * ```
 */
export function parseI2I(text: string): I2IMessage {
  const result = parseText(text);
  if (typeof result === "string") throw new I2ISyntaxError(text, result);
  return result;
}

/**
 * Whether a commit subject is a well-formed I2I message. Only the first line is
 * looked at.
 *
 * @param subjectLine The commit subject.
 * @returns `true` when {@linkcode parseI2I} would accept it.
 *
 * @example Tell I2I commits from others
 * ```ts
 * import { isI2I } from "./i2i.ts";
 * console.assert(isI2I("[I2I:PING] datum:ping — anyone there?"));
 * console.assert(!isI2I("Merge branch 'main'"));
 * ```
 */
export function isI2I(subjectLine: string): boolean {
  return typeof parseText(firstLine(subjectLine)) !== "string";
}

/** The message, or what is wrong with the text. */
function parseText(text: string): I2IMessage | string {
  const newline = text.search(/\r?\n/);
  const line = (newline === -1 ? text : text.slice(0, newline)).trim();
  if (line === "") return "it is empty";
  if (!line.startsWith("[")) {
    return 'it does not start with the tag "[I2I:TYPE]"';
  }
  if (!TAG_START.test(line)) return 'the tag does not start with "[I2I:"';
  const close = line.indexOf("]");
  if (close === -1) return 'the tag has no closing "]"';
  const typeText = line.slice(line.indexOf(":") + 1, close).trim();
  if (typeText === "") return "the tag names no type";
  // `check in` and `CHECK_IN` are slips for `CHECK-IN`, not other types.
  const type = typeText.toUpperCase().replace(/[\s_]+/g, "-");
  if (!isType(type)) {
    return `unknown type ${quote(typeText)}: expected one of ${
      ALL_TYPES.join(", ")
    }`;
  }

  const rest = line.slice(close + 1).trim();
  if (rest === "") {
    return 'nothing follows the tag: expected "sender:action — description"';
  }
  const colon = /^([^\s:]*)\s*:\s*/.exec(rest);
  if (colon === null) {
    return `expected "sender:action" after the tag, found ${
      quote(rest.split(/\s/, 1)[0] ?? "")
    }`;
  }
  const sender = colon[1] ?? "";
  if (sender === "") return 'the sender is missing before ":"';
  if (!SENDER.test(sender)) {
    return `sender ${quote(sender)} may only hold ${CHARSET}`;
  }

  const afterColon = rest.slice(colon[0].length);
  const split = ACTION_AND_REST.exec(afterColon);
  if (split === null) {
    return `expected " — description" after ${
      quote(`${sender}:${afterColon}`)
    }`;
  }
  const action = split[1] ?? "";
  if (action === "") {
    return `the action is missing after ${quote(`${sender}:`)}`;
  }
  if (!ACTION_ANY_CASE.test(action)) {
    return `action ${quote(action)} may only hold ${CHARSET}`;
  }
  const description = (split[2] ?? "").trim();
  if (description === "") return 'the description after "—" is empty';

  const message: I2IMessage = {
    type,
    sender,
    action: action.toLowerCase(),
    description,
    version: VERSION_OF[type],
  };
  if (newline !== -1) {
    const body = text.slice(newline).replace(/^(?:[ \t]*\r?\n)+/, "").trimEnd();
    if (body !== "") message.body = body;
  }
  return message;
}

function isType(value: string): value is I2IType {
  return Object.hasOwn(VERSION_OF, value);
}

function usage(detail: string, hint: string): DatumError {
  return new DatumError(`Cannot format I2I message: ${detail}`, {
    code: "i2i_invalid",
    exitCode: ExitCode.Usage,
    hint,
  });
}

function firstLine(text: string): string {
  const newline = text.search(/\r?\n/);
  return newline === -1 ? text : text.slice(0, newline);
}

function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}
