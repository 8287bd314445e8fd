/**
 * Record ids that never collide across machines: time first (so they sort), then
 * randomness (so two writers in the same millisecond differ).
 *
 * @module
 */

/**
 * A new id: UTC time to the millisecond, then 8 random hex digits,
 * e.g. `20261130T034000123Z-9f3a1c0b`.
 *
 * @param now The time to stamp; the current time when omitted.
 * @returns The id.
 *
 * @example
 * ```ts
 * import { newId } from "./ids.ts";
 * const id = newId(new Date("2026-11-30T03:40:00.123Z"));
 * console.assert(id.startsWith("20261130T034000123Z-"));
 * ```
 */
export function newId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(".", "");
  const random = crypto.getRandomValues(new Uint8Array(4));
  return `${stamp}-${
    Array.from(random, (b) => b.toString(16).padStart(2, "0")).join("")
  }`;
}
