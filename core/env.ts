/**
 * The one place datum reads environment variables. Only `DATUM_*` names, and only
 * when granted, so a binary run with `--allow-env=DATUM_* --ignore-env` never trips
 * over a library that sniffs `TERM` or `CI`.
 *
 * @module
 */

/** The environment variables datum reads. */
export type DatumVariable = "DATUM_WORKSHOP" | "DATUM_AGENT";

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
