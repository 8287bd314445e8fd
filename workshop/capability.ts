/**
 * `CAPABILITY.toml`: the machine-readable declaration of what a vessel's agent is and
 * can do, in datum 0.3's schema, read leniently enough for the variants that fleet
 * vessels write.
 *
 * Validation reports only syntax errors and wrong types of the keys datum uses, each
 * with its file, line and dotted key; every other key is kept in
 * {@linkcode CapabilityDoc.raw}. Needs no permissions: callers read the file.
 *
 * @module
 */

import { DocumentError } from "../core/errors.ts";
import { formatKey, formatTomlValue, lineOfKey, parseToml } from "./_toml.ts";

/** The file name of the declaration in a vessel. */
const CAPABILITY_FILE = "CAPABILITY.toml";

/** One capability an agent declares. */
export interface Capability {
  /** The key under `[capabilities]`, e.g. `"dependency-mapping"`. */
  name: string;
  /** How sure the agent is of it, from 0 to 1; `undefined` when not declared. */
  confidence: number | undefined;
  /** What it covers. */
  description: string | undefined;
}

/** A parsed `CAPABILITY.toml`. */
export interface CapabilityDoc {
  /** The `[agent]` table's keys that datum uses. */
  agent: {
    /** The agent's name; never empty. */
    name: string;
    /** Its role, e.g. `"navigator"`. */
    role: string | undefined;
    /** One sentence on what it does. */
    description: string | undefined;
    /** The version of the agent (not of datum). */
    version: string | undefined;
  };
  /** The declared capabilities, in document order. */
  capabilities: Capability[];
  /** The `[domains]` table as written (each domain is free-form). */
  domains: Record<string, unknown>;
  /** Where bottles come in and go out. */
  communication: {
    /** Folders this agent reads bottles from. */
    incoming: string[];
    /** Folder patterns it writes bottles to, e.g. `"message-in-a-bottle/for-{agent}/"`. */
    outgoing: string[];
    /** The protocol name, e.g. `"MiB"`. */
    protocol: string | undefined;
  };
  /**
   * The vessel's git URL: `[agent] vessel`, or else the fleet variant's
   * `[agent] home_repo` as written (which may be an `owner/name` shorthand).
   */
  vesselUrl: string | undefined;
  /** The whole document, unknown keys included. */
  raw: Record<string, unknown>;
}

/** The identity written into a fresh `CAPABILITY.toml` by {@linkcode formatCapability}. */
export interface CapabilityInit {
  /** The agent's name; must not be empty. */
  name: string;
  /** Its role. */
  role: string;
  /** One sentence on what it does. */
  description: string;
  /** The version of the agent. */
  version: string;
  /** The vessel's git URL, written as `[agent] vessel`. */
  vesselUrl?: string;
}

/**
 * Parses and validates a `CAPABILITY.toml`.
 *
 * Accepts datum 0.3's schema and the fleet variants: extra `[agent]` keys and tables
 * such as `[agent.runtime]`, and capabilities either as inline tables under
 * `[capabilities]` or as `[capabilities.<name>]` tables. Checks only what datum uses:
 * `agent.name` is a non-empty string; `agent.role`, `agent.description`,
 * `agent.version` and `agent.vessel` are strings when present; each
 * `capabilities.<name>` is a table whose `confidence` is a number from 0 to 1 and whose
 * `description` is a string; `domains` is a table; `communication.incoming` and
 * `communication.outgoing` are arrays of strings and `communication.protocol` a string.
 *
 * @param text The file's content.
 * @param path The file named in errors; `"CAPABILITY.toml"` by default.
 * @returns The declaration, with every key of the file kept in `raw`.
 * @throws {DocumentError} On the first syntax error or wrong type, with its line and
 * dotted key.
 *
 * @example Read a declaration
 * ```ts
 * import { parseCapability } from "./capability.ts";
 * const doc = parseCapability(`
 * [agent]
 * name = "cartographer"
 *
 * [capabilities]
 * audit = { confidence = 0.8, description = "Structural audits" }
 * `);
 * console.assert(doc.agent.name === "cartographer");
 * console.assert(doc.capabilities[0]?.confidence === 0.8);
 * ```
 */
export function parseCapability(
  text: string,
  path: string = CAPABILITY_FILE,
): CapabilityDoc {
  const raw = parseToml(text, path);
  const check = new Checker(text, path);

  if (Object.keys(raw).length === 0) {
    throw new DocumentError(
      path,
      'the file is empty: expected an [agent] table with a "name" key',
      { key: "agent.name" },
    );
  }

  const agentTable = check.table(raw, ["agent"]) ?? {};
  const nameKey = ["agent", "name"];
  const name = own(agentTable, nameKey);
  if (name === undefined) {
    throw check.error(nameKey, "is required and must be a non-empty string");
  }
  if (typeof name !== "string" || name.trim() === "") {
    throw check.error(
      nameKey,
      `must be a non-empty string, got ${describe(name)}`,
    );
  }
  const agent = {
    name,
    role: check.string(agentTable, ["agent", "role"]),
    description: check.string(agentTable, ["agent", "description"]),
    version: check.string(agentTable, ["agent", "version"]),
  };
  const vessel = check.string(agentTable, ["agent", "vessel"]);
  const homeRepo = check.string(agentTable, ["agent", "home_repo"]);

  const capabilities: Capability[] = [];
  const declared = check.table(raw, ["capabilities"]) ?? {};
  for (const capName of Object.keys(declared)) {
    const key = ["capabilities", capName];
    const entry = check.table(declared, key) ?? {};
    capabilities.push({
      name: capName,
      confidence: check.confidence(entry, [...key, "confidence"]),
      description: check.string(entry, [...key, "description"]),
    });
  }

  const domains = check.table(raw, ["domains"]) ?? {};
  const communication = check.table(raw, ["communication"]) ?? {};

  return {
    agent,
    capabilities,
    domains,
    communication: {
      incoming: check.strings(communication, ["communication", "incoming"]) ??
        [],
      outgoing: check.strings(communication, ["communication", "outgoing"]) ??
        [],
      protocol: check.string(communication, ["communication", "protocol"]),
    },
    vesselUrl: vessel ?? homeRepo,
    raw,
  };
}

/**
 * Writes a fresh, commented `CAPABILITY.toml` in datum 0.3's schema for a new vessel.
 *
 * The vessel's git URL, when given, goes in the `[agent]` table as `vessel = "…"`:
 * it is part of the agent's identity (where its successor and its peers find it),
 * whereas `[metadata]` holds counters that change from session to session. Readers
 * that predate it ignore the extra key. Capabilities and domains start empty, with a
 * commented example; bottles come in through `message-in-a-bottle/for-<name>/`.
 *
 * @param doc The agent's identity and, optionally, the vessel's git URL.
 * @returns The TOML text, which {@linkcode parseCapability} reads back.
 * @throws {TypeError} When the name is empty.
 *
 * @example Write and read back
 * ```ts
 * import { formatCapability, parseCapability } from "./capability.ts";
 * const text = formatCapability({
 *   name: "cartographer",
 *   role: "navigator",
 *   description: "Maps repository dependencies",
 *   version: "0.1.0",
 *   vesselUrl: "https://git.example/fleet/cartographer.git",
 * });
 * const doc = parseCapability(text);
 * console.assert(doc.vesselUrl === "https://git.example/fleet/cartographer.git");
 * ```
 */
export function formatCapability(doc: CapabilityInit): string {
  if (doc.name.trim() === "") {
    throw new TypeError(
      "Cannot write CAPABILITY.toml: the agent's name is empty",
    );
  }
  const v = formatTomlValue;
  const vessel = doc.vesselUrl === undefined
    ? [
      '# vessel = "https://git.example/you/agent.git"  # this vessel\'s git URL',
    ]
    : [
      "# This vessel's git URL: where successors and peers find the agent.",
      `vessel = ${v(doc.vesselUrl)}`,
    ];
  return [
    "# CAPABILITY.toml: what this agent is and can do, for other agents and for datum.",
    "# Schema of datum 0.3. Keys datum does not use are kept as written.",
    "",
    "[agent]",
    `name = ${v(doc.name)}`,
    `role = ${v(doc.role)}`,
    `description = ${v(doc.description)}`,
    `version = ${v(doc.version)}`,
    ...vessel,
    "",
    "[capabilities]",
    "# One entry per capability: confidence from 0 to 1, and what it covers.",
    '# audit = { confidence = 0.8, description = "Structural audits of a workshop" }',
    "",
    "[domains]",
    "# Areas of knowledge, each a table of free-form keys.",
    '# git-operations = { level = "expert" }',
    "",
    "# Where bottles come in and go out; {agent} stands for the recipient's name.",
    "[communication]",
    `incoming = [${v(`message-in-a-bottle/for-${doc.name}/`)}]`,
    `outgoing = [${v("message-in-a-bottle/for-{agent}/")}]`,
    `protocol = ${v("MiB")}`,
    "",
    "[metadata]",
    "# Free-form bookkeeping, e.g. last_active, session_count, total_commits.",
    "",
  ].join("\n");
}

/** Reads typed values out of parsed tables and reports wrong ones with their line. */
class Checker {
  readonly #text: string;
  readonly #path: string;

  constructor(text: string, path: string) {
    this.#text = text;
    this.#path = path;
  }

  table(
    parent: Record<string, unknown>,
    key: readonly string[],
  ): Record<string, unknown> | undefined {
    const value = own(parent, key);
    if (value === undefined) return undefined;
    if (isTable(value)) return value;
    throw this.error(key, `must be a table, got ${describe(value)}`);
  }

  string(
    parent: Record<string, unknown>,
    key: readonly string[],
  ): string | undefined {
    const value = own(parent, key);
    if (value === undefined || typeof value === "string") return value;
    throw this.error(key, `must be a string, got ${describe(value)}`);
  }

  strings(
    parent: Record<string, unknown>,
    key: readonly string[],
  ): string[] | undefined {
    const value = own(parent, key);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      throw this.error(
        key,
        `must be an array of strings, got ${describe(value)}`,
      );
    }
    const index = value.findIndex((item) => typeof item !== "string");
    if (index >= 0) {
      throw this.error(
        key,
        `must be an array of strings, got ${
          describe(value[index])
        } at index ${index}`,
      );
    }
    return value as string[];
  }

  confidence(
    parent: Record<string, unknown>,
    key: readonly string[],
  ): number | undefined {
    const value = own(parent, key);
    if (value === undefined) return undefined;
    if (typeof value === "number" && value >= 0 && value <= 1) return value;
    throw this.error(
      key,
      `must be a number from 0 to 1, got ${describe(value)}`,
    );
  }

  /** A DocumentError on the key's line, or its nearest defined parent's. */
  error(key: readonly string[], detail: string): DocumentError {
    const dotted = formatKey(key);
    let line: number | undefined;
    for (let n = key.length; n > 0 && line === undefined; n--) {
      line = lineOfKey(this.#text, formatKey(key.slice(0, n)));
    }
    const options = line === undefined
      ? { key: dotted }
      : { line, key: dotted };
    return new DocumentError(this.#path, `key "${dotted}" ${detail}`, options);
  }
}

/** The value at the last segment of `key`, if `parent` holds it as its own key. */
function own(parent: Record<string, unknown>, key: readonly string[]): unknown {
  const last = key[key.length - 1];
  return last !== undefined && Object.hasOwn(parent, last)
    ? parent[last]
    : undefined;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Date);
}

/** A short, quoted rendering of a value for error messages. */
function describe(value: unknown): string {
  if (typeof value === "string") {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  if (Array.isArray(value)) return "an array";
  if (value instanceof Date) return `the date ${formatTomlValue(value)}`;
  if (isTable(value)) return "a table";
  return String(value);
}
