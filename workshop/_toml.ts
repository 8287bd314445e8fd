/**
 * The one adapter over `smol-toml`: datum's TOML parse and stringify, with the
 * library's errors turned into {@linkcode DocumentError}, plus a small scanner that
 * finds the line on which a key is defined so that type errors found after parsing
 * can name a line too.
 *
 * Private to `workshop/`. Needs no permissions.
 *
 * @module
 */

import { parse, stringify, TomlError } from "smol-toml";
import { DocumentError } from "../core/errors.ts";

const TOML_PREFIX = "Invalid TOML document: ";
const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/**
 * Parses a TOML document into plain objects (ordinary prototypes, arrays, strings,
 * numbers, booleans, and `Date` subclasses for TOML dates and times).
 *
 * A leading byte order mark is ignored. Integers that a JavaScript number cannot hold
 * exactly are a syntax error rather than a silent loss of digits.
 *
 * @param text The document.
 * @param path The file it came from, named in errors.
 * @returns The root table.
 * @throws {DocumentError} On a syntax error, with the 1-based line of the parser and
 * a one-line detail that includes the column.
 *
 * @example Parse a table
 * ```ts
 * import { parseToml } from "./_toml.ts";
 * const doc = parseToml('[agent]\nname = "cartographer"\n', "CAPABILITY.toml");
 * console.assert((doc.agent as { name: string }).name === "cartographer");
 * ```
 */
export function parseToml(text: string, path: string): Record<string, unknown> {
  const source = text.startsWith("\uFEFF") ? text.slice(1) : text;
  let parsed: unknown;
  try {
    parsed = parse(source);
  } catch (error) {
    if (error instanceof TomlError) {
      throw new DocumentError(
        path,
        `${syntaxDetail(error.message)} at column ${error.column}`,
        { line: error.line, cause: error },
      );
    }
    const detail = error instanceof Error ? error.message : String(error);
    throw new DocumentError(path, `cannot parse TOML: ${firstLine(detail)}`, {
      cause: error,
    });
  }
  return toPlain(parsed) as Record<string, unknown>;
}

/**
 * Serialises a table as TOML: plain keys first, then sub-tables as `[table]`
 * sections.
 *
 * @param value The root table; values are strings, numbers, booleans, dates, arrays
 * and tables.
 * @returns The TOML text, ending with a newline when not empty.
 *
 * @example Round trip
 * ```ts
 * import { parseToml, stringifyToml } from "./_toml.ts";
 * const text = stringifyToml({ agent: { name: "cartographer" } });
 * console.assert(text.includes('[agent]\nname = "cartographer"'));
 * console.assert(parseToml(text, "x.toml").agent !== undefined);
 * ```
 */
export function stringifyToml(value: Record<string, unknown>): string {
  return stringify(value);
}

/**
 * Formats one value as TOML, as it would appear after `key = `.
 *
 * @param value A string, number, boolean, date, array or table.
 * @returns The value in TOML syntax, on one line (tables become inline tables).
 *
 * @example Quote a string
 * ```ts
 * import { formatTomlValue } from "./_toml.ts";
 * console.assert(formatTomlValue('say "hi"') === '"say \\"hi\\""');
 * ```
 */
export function formatTomlValue(value: unknown): string {
  const line = stringify({ v: value }).trim();
  return line.slice(line.indexOf("=") + 1).trim();
}

/**
 * Formats a key path as a TOML dotted key: bare segments as they are, others quoted.
 *
 * @param path The key's segments, outermost first.
 * @returns The dotted key, e.g. `capabilities."v1.2".confidence`.
 *
 * @example Quote a segment that holds a dot
 * ```ts
 * import { formatKey } from "./_toml.ts";
 * console.assert(formatKey(["capabilities", "v1.2"]) === 'capabilities."v1.2"');
 * ```
 */
export function formatKey(path: readonly string[]): string {
  return path.map((s) => BARE_KEY.test(s) ? s : JSON.stringify(s)).join(".");
}

/**
 * Finds the 1-based line on which a key is defined in a TOML document.
 *
 * Understands `[table]` and `[[array]]` headers, dotted and quoted keys, inline tables
 * (also across lines), and skips comments, strings and arrays so that their content is
 * never taken for a key. A key that is only defined implicitly (`[a.b]` or `a.b = 1`
 * defines `a`) gets the first line that mentions it. Meant for valid documents; on
 * anything it cannot read it gives up on that line and carries on.
 *
 * @param text The document.
 * @param dottedKey The key in TOML syntax, e.g. `capabilities.audit.confidence` or
 * `capabilities."v1.2"`.
 * @returns The line, or `undefined` when the key is not in the document.
 *
 * @example Find a key in an inline table
 * ```ts
 * import { lineOfKey } from "./_toml.ts";
 * const text = '[capabilities]\naudit = { confidence = 0.8 }\n';
 * console.assert(lineOfKey(text, "capabilities.audit.confidence") === 2);
 * console.assert(lineOfKey(text, "capabilities") === 1);
 * ```
 */
export function lineOfKey(text: string, dottedKey: string): number | undefined {
  const target = splitKey(dottedKey);
  if (target === undefined || target.length === 0) return undefined;
  return new KeyScanner(text, target).find();
}

function syntaxDetail(message: string): string {
  const head = message.startsWith(TOML_PREFIX)
    ? message.slice(TOML_PREFIX.length)
    : message;
  return firstLine(head);
}

function firstLine(message: string): string {
  return message.split(/\r?\n/, 1)[0]?.trim() ?? "";
}

/** Copies smol-toml's null-prototype tables into ordinary objects. */
function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain);
  if (value === null || typeof value !== "object" || value instanceof Date) {
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    // defineProperty, not assignment: a "__proto__" key must stay an own key
    Object.defineProperty(out, key, {
      value: toPlain(inner),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** Splits a dotted key written in TOML syntax; `undefined` when it is malformed. */
function splitKey(dottedKey: string): string[] | undefined {
  const scanner = new KeyScanner(dottedKey, []);
  const path = scanner.readKeyPath();
  scanner.skipSpaces();
  return path !== undefined && scanner.atEnd() ? path : undefined;
}

function sameKey(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

function startsWithKey(
  full: readonly string[],
  prefix: readonly string[],
): boolean {
  return prefix.length < full.length && prefix.every((s, i) => s === full[i]);
}

/** Thrown inside the scanner to abandon the current line. */
class Unreadable extends Error {}

/** A forgiving TOML reader that only tracks where keys are defined. */
class KeyScanner {
  readonly #text: string;
  readonly #target: readonly string[];
  #pos = 0;
  #line = 1;
  #implicitLine: number | undefined;

  constructor(text: string, target: readonly string[]) {
    this.#text = text;
    this.#target = target;
  }

  atEnd(): boolean {
    return this.#pos >= this.#text.length;
  }

  find(): number | undefined {
    let table: string[] = [];
    while (!this.atEnd()) {
      const lineStart = this.#line;
      try {
        this.skipSpaces();
        const ch = this.#peek();
        if (ch === "\n" || ch === "\r" || ch === "#" || ch === undefined) {
          this.#skipToLineEnd();
          continue;
        }
        if (ch === "[") {
          table = this.#readHeader();
          if (this.#matches(table, lineStart)) return lineStart;
          this.#skipToLineEnd();
          continue;
        }
        const found = this.#readKeyValue(table);
        if (found !== undefined) return found;
        this.#skipToLineEnd();
      } catch (error) {
        if (!(error instanceof Unreadable)) throw error;
        // resume on the line after the one that could not be read
        this.#skipToLineEnd();
      }
    }
    return this.#implicitLine;
  }

  /** Records an implicit definition; true on an exact match. */
  #matches(full: readonly string[], line: number): boolean {
    if (sameKey(full, this.#target)) return true;
    if (this.#implicitLine === undefined && startsWithKey(full, this.#target)) {
      this.#implicitLine = line;
    }
    return false;
  }

  #readHeader(): string[] {
    this.#pos++;
    const array = this.#peek() === "[";
    if (array) this.#pos++;
    this.skipSpaces();
    const path = this.readKeyPath();
    if (path === undefined) throw new Unreadable();
    this.skipSpaces();
    if (this.#peek() !== "]") throw new Unreadable();
    this.#pos++;
    if (array) {
      if (this.#peek() !== "]") throw new Unreadable();
      this.#pos++;
    }
    return path;
  }

  /** Reads `key = value`; the line of the target when defined here. */
  #readKeyValue(base: readonly string[] | undefined): number | undefined {
    const line = this.#line;
    const key = this.readKeyPath();
    if (key === undefined) throw new Unreadable();
    this.skipSpaces();
    if (this.#peek() !== "=") throw new Unreadable();
    this.#pos++;
    // keys inside arrays have no dotted name; `undefined` stops matching below them
    const full = base === undefined ? undefined : [...base, ...key];
    if (full !== undefined && this.#matches(full, line)) return line;
    this.skipSpaces();
    return this.#readValue(full);
  }

  #readValue(base: readonly string[] | undefined): number | undefined {
    const ch = this.#peek();
    if (ch === "{") return this.#readInlineTable(base);
    if (ch === "[") return this.#readArray();
    if (ch === '"' || ch === "'") {
      this.#readString();
      return undefined;
    }
    // a date-time may separate its date and time with one space
    const dateTime = /\d{4}-\d{2}-\d{2} \d{2}:/y;
    dateTime.lastIndex = this.#pos;
    if (dateTime.test(this.#text)) this.#pos += 11;
    while (!this.atEnd() && !/[\s,\]}#]/.test(this.#peek() ?? "")) this.#pos++;
    return undefined;
  }

  #readInlineTable(base: readonly string[] | undefined): number | undefined {
    this.#pos++;
    for (;;) {
      this.#skipBlank();
      const ch = this.#peek();
      if (ch === undefined) throw new Unreadable();
      if (ch === "}") {
        this.#pos++;
        return undefined;
      }
      if (ch === ",") {
        this.#pos++;
        continue;
      }
      const found = this.#readKeyValue(base);
      if (found !== undefined) return found;
    }
  }

  #readArray(): undefined {
    this.#pos++;
    for (;;) {
      this.#skipBlank();
      const ch = this.#peek();
      if (ch === undefined) throw new Unreadable();
      if (ch === "]") {
        this.#pos++;
        return undefined;
      }
      if (ch === ",") {
        this.#pos++;
        continue;
      }
      const before = this.#pos;
      this.#readValue(undefined);
      if (this.#pos === before) throw new Unreadable();
    }
  }

  /** Reads a basic, literal or multi-line string and returns its raw content. */
  #readString(): string {
    const quote = this.#peek() ?? "";
    const multi = this.#text.startsWith(quote.repeat(3), this.#pos);
    const close = multi ? quote.repeat(3) : quote;
    this.#pos += close.length;
    const start = this.#pos;
    while (!this.atEnd()) {
      const ch = this.#text[this.#pos];
      if (ch === "\\" && quote === '"') {
        if (this.#text[this.#pos + 1] === "\n") this.#line++;
        this.#pos += 2;
        continue;
      }
      if (ch === "\n") {
        if (!multi) throw new Unreadable();
        this.#line++;
      }
      if (this.#text.startsWith(close, this.#pos)) {
        // a multi-line string may end with up to two extra quotes before the closer
        let end = this.#pos;
        if (multi) {
          while (this.#text.startsWith(close, end + 1) && end - this.#pos < 2) {
            end++;
          }
        }
        const raw = this.#text.slice(start, end);
        this.#pos = end + close.length;
        return raw;
      }
      this.#pos++;
    }
    throw new Unreadable();
  }

  /** Reads a dotted key of bare and quoted segments; `undefined` if there is none. */
  readKeyPath(): string[] | undefined {
    const path: string[] = [];
    for (;;) {
      this.skipSpaces();
      const ch = this.#peek();
      if (ch === '"' || ch === "'") {
        if (this.#text.startsWith(ch.repeat(3), this.#pos)) return undefined;
        const raw = this.#readString();
        path.push(ch === '"' ? unescapeBasic(raw) : raw);
      } else {
        const bare = /[A-Za-z0-9_-]+/y;
        bare.lastIndex = this.#pos;
        const match = bare.exec(this.#text);
        if (match === null) return undefined;
        path.push(match[0]);
        this.#pos += match[0].length;
      }
      this.skipSpaces();
      if (this.#peek() !== ".") return path;
      this.#pos++;
    }
  }

  skipSpaces(): void {
    while (this.#peek() === " " || this.#peek() === "\t") this.#pos++;
  }

  /** Skips spaces, newlines and comments, as allowed inside arrays. */
  #skipBlank(): void {
    for (;;) {
      const ch = this.#peek();
      if (ch === " " || ch === "\t" || ch === "\r") {
        this.#pos++;
      } else if (ch === "\n") {
        this.#pos++;
        this.#line++;
      } else if (ch === "#") {
        while (!this.atEnd() && this.#peek() !== "\n") this.#pos++;
      } else {
        return;
      }
    }
  }

  #skipToLineEnd(): void {
    while (!this.atEnd() && this.#peek() !== "\n") {
      const ch = this.#peek();
      if (ch === "#") {
        while (!this.atEnd() && this.#peek() !== "\n") this.#pos++;
        break;
      }
      // a multi-line string opened on this line ends on a later one
      if (ch === '"' || ch === "'") {
        const [pos, line] = [this.#pos, this.#line];
        try {
          this.#readString();
        } catch (error) {
          if (!(error instanceof Unreadable)) throw error;
          [this.#pos, this.#line] = [pos + 1, line];
        }
        continue;
      }
      this.#pos++;
    }
    if (!this.atEnd()) {
      this.#pos++;
      this.#line++;
    }
  }

  #peek(): string | undefined {
    return this.#text[this.#pos];
  }
}

/** Decodes the escapes of a TOML basic string; unknown escapes are kept as written. */
function unescapeBasic(raw: string): string {
  const simple: Record<string, string> = {
    b: "\b",
    t: "\t",
    n: "\n",
    f: "\f",
    r: "\r",
    e: "\x1b",
    '"': '"',
    "\\": "\\",
  };
  return raw.replace(
    /\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2}|.)/g,
    (whole, esc: string) => {
      if (esc.length > 1) {
        const code = Number.parseInt(esc.slice(1), 16);
        return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return simple[esc] ?? whole;
    },
  );
}
