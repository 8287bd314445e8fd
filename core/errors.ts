/**
 * Errors that datum's callers are meant to catch, and the exit codes the CLI maps
 * them to.
 *
 * @module
 */

/** Exit codes of the `datum` CLI, as STYLE.md and the README document them. */
export const ExitCode = {
  /** Success. */
  Ok: 0,
  /** A failure that fits no other code. */
  Failure: 1,
  /** Bad usage: unknown command or flag, missing argument. */
  Usage: 2,
  /** Invalid data or configuration: a malformed document, a vessel that fails validation. */
  Invalid: 3,
  /** Something named does not exist: no vessel, no such file. */
  NotFound: 4,
  /** A conflict or a lock held by another process. */
  Conflict: 5,
  /** A network peer or remote is unavailable. */
  Unavailable: 6,
  /** A Deno permission is missing. */
  Permission: 7,
  /** Interrupted by a signal. */
  Interrupted: 130,
} as const;

/** One of the values of {@linkcode ExitCode}. */
export type ExitCodeValue = typeof ExitCode[keyof typeof ExitCode];

/** Options of {@linkcode DatumError}. */
export interface DatumErrorOptions {
  /** A stable machine-readable code, e.g. `"vessel_invalid"`. */
  code: string;
  /** The CLI exit code; {@linkcode ExitCode.Failure} when omitted. */
  exitCode?: ExitCodeValue;
  /** What the user can do about it. */
  hint?: string;
  /** The error this one wraps. */
  cause?: unknown;
}

/**
 * The base of every condition datum's callers are meant to catch.
 *
 * @example Throw and inspect
 * ```ts
 * import { DatumError, ExitCode } from "./errors.ts";
 * const err = new DatumError('Cannot open workshop "./ws": not a vessel', {
 *   code: "not_a_vessel",
 *   exitCode: ExitCode.NotFound,
 *   hint: "run `datum boot -w ./ws` to create one",
 * });
 * console.assert(err.exitCode === 4);
 * ```
 */
export class DatumError extends Error {
  /** A stable machine-readable code. */
  readonly code: string;
  /** The CLI exit code. */
  readonly exitCode: ExitCodeValue;
  /** What the user can do about it, if anything. */
  readonly hint: string | undefined;

  /**
   * Makes the error.
   *
   * @param message Sentence case, action first, detail after a colon.
   * @param options The code, exit code, hint and cause.
   */
  constructor(message: string, options: DatumErrorOptions) {
    super(
      message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "DatumError";
    this.code = options.code;
    this.exitCode = options.exitCode ?? ExitCode.Failure;
    this.hint = options.hint;
  }
}

/**
 * A document that does not parse or has a wrong type, with where it went wrong.
 *
 * @example Report a bad key
 * ```ts
 * import { DocumentError } from "./errors.ts";
 * const err = new DocumentError("CAPABILITY.toml", 'key "agent.name" must be a string', {
 *   line: 3,
 *   key: "agent.name",
 * });
 * console.assert(err.message.startsWith("Invalid CAPABILITY.toml:3"));
 * ```
 */
export class DocumentError extends DatumError {
  /** The file, relative to the workshop where possible. */
  readonly path: string;
  /** 1-based line, when known. */
  readonly line: number | undefined;
  /** The dotted key at fault, when known. */
  readonly key: string | undefined;

  /**
   * Makes the error.
   *
   * @param path The file at fault.
   * @param detail What is wrong.
   * @param options Line, key, hint and cause.
   */
  constructor(
    path: string,
    detail: string,
    options: { line?: number; key?: string; hint?: string; cause?: unknown } =
      {},
  ) {
    const where = options.line === undefined ? path : `${path}:${options.line}`;
    super(`Invalid ${where}: ${detail}`, {
      code: "document_invalid",
      exitCode: ExitCode.Invalid,
      hint: options.hint ?? `fix ${path} and run the command again`,
      cause: options.cause,
    });
    this.name = "DocumentError";
    this.path = path;
    this.line = options.line;
    this.key = options.key;
  }
}
