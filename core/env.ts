/**
 * The one place datum reads environment variables. Only `DATUM_*` names, and only
 * when granted, so a binary run with `--allow-env=DATUM_* --ignore-env` never trips
 * over a library that sniffs `TERM` or `CI`.
 *
 * @module
 */

/** The environment variables datum reads. */
export type DatumVariable =
  | "DATUM_WORKSHOP"
  | "DATUM_AGENT"
  | "DATUM_HOME"
  | "DATUM_KEEPER_PASSPHRASE"
  | "DATUM_KEEPER_IMPORT_PASSPHRASE";

/**
 * The value of `name`, or `undefined` when unset or not granted.
 *
 * @param name One of datum's variables.
 * @returns Its value.
 *
 * @example
 * ```ts
 * import { datumEnv } from "./env.ts";
 * const workshop = datumEnv("DATUM_WORKSHOP") ?? ".";
 * ```
 */
export function datumEnv(name: DatumVariable): string | undefined {
  const { state } = Deno.permissions.querySync({ name: "env", variable: name });
  return state === "granted" ? Deno.env.get(name) : undefined;
}

/**
 * The environment variable a keeper started with `--env-fallback` reads for a
 * secret missing from its store: `DATUM_SECRET_` and the key in upper case, every
 * character other than a letter or digit as `_`.
 *
 * @param key The secret's name.
 * @returns The variable's name.
 *
 * @example
 * ```ts
 * import { secretVariable } from "./env.ts";
 * console.assert(secretVariable("github.pat") === "DATUM_SECRET_GITHUB_PAT");
 * ```
 */
export function secretVariable(key: string): string {
  return `DATUM_SECRET_${key.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/**
 * The value of {@linkcode secretVariable}`(key)`, or `undefined` when unset or not
 * granted.
 *
 * @param key The secret's name.
 * @returns Its value from the environment.
 *
 * @example
 * ```ts
 * import { datumSecretEnv } from "./env.ts";
 * const token = datumSecretEnv("github_pat");
 * ```
 */
export function datumSecretEnv(key: string): string | undefined {
  const variable = secretVariable(key);
  const { state } = Deno.permissions.querySync({ name: "env", variable });
  return state === "granted" ? Deno.env.get(variable) : undefined;
}

/**
 * The user's home folder (`HOME`), or `undefined` when unset or not granted: the
 * keeper's default folder is `~/.datum/keeper`.
 *
 * @returns The home folder.
 *
 * @example
 * ```ts
 * import { homeDir } from "./env.ts";
 * const home = homeDir() ?? "/tmp";
 * ```
 */
export function homeDir(): string | undefined {
  const { state } = Deno.permissions.querySync({
    name: "env",
    variable: "HOME",
  });
  return state === "granted" ? Deno.env.get("HOME") : undefined;
}
