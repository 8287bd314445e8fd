/**
 * Up-front permission checks, so a command without a permission it needs stops
 * before it changes anything, with the exact flag to add.
 *
 * @module
 */

import { DatumError, ExitCode } from "./errors.ts";

/**
 * The `--allow-…` flag that grants `descriptor`.
 *
 * @param descriptor A permission descriptor.
 * @returns The flag, e.g. `--allow-run=git`.
 *
 * @example
 * ```ts
 * import { flagFor } from "./permissions.ts";
 * console.assert(flagFor({ name: "run", command: "git" }) === "--allow-run=git");
 * ```
 */
export function flagFor(descriptor: Deno.PermissionDescriptor): string {
  switch (descriptor.name) {
    case "run":
      return `--allow-run${descriptor.command ? `=${descriptor.command}` : ""}`;
    case "read":
      return `--allow-read${descriptor.path ? `=${descriptor.path}` : ""}`;
    case "write":
      return `--allow-write${descriptor.path ? `=${descriptor.path}` : ""}`;
    case "env":
      return `--allow-env${
        descriptor.variable ? `=${descriptor.variable}` : ""
      }`;
    case "net":
      return `--allow-net${descriptor.host ? `=${descriptor.host}` : ""}`;
    case "sys":
      return `--allow-sys${descriptor.kind ? `=${descriptor.kind}` : ""}`;
    case "ffi":
      return "--allow-ffi";
    case "import":
      return "--allow-import";
  }
}

/**
 * Throws exit code 7 with the flag to add when `descriptor` is not granted.
 *
 * @param descriptor The permission the caller is about to use.
 * @throws {DatumError} `permission_missing`, exit code 7.
 *
 * @example
 * ```ts ignore
 * requirePermission({ name: "run", command: "git" });
 * ```
 */
export function requirePermission(descriptor: Deno.PermissionDescriptor): void {
  const { state } = Deno.permissions.querySync(descriptor);
  if (state === "granted") return;
  const flag = flagFor(descriptor);
  throw new DatumError(
    `Cannot continue without permission: run again with ${flag}`,
    {
      code: "permission_missing",
      exitCode: ExitCode.Permission,
      hint: `add ${flag} to the deno command, or use \`deno task datum\``,
    },
  );
}

/**
 * Turns Deno's own `NotCapable` error into datum's, naming the flag Deno named.
 *
 * @param error A `Deno.errors.NotCapable`.
 * @returns A {@linkcode DatumError} with exit code 7.
 *
 * @example
 * ```ts
 * import { fromNotCapable } from "./permissions.ts";
 * const err = fromNotCapable(
 *   new Deno.errors.NotCapable('Requires run access to "git", run again with the --allow-run flag'),
 * );
 * console.assert(err.exitCode === 7);
 * ```
 */
export function fromNotCapable(error: Error): DatumError {
  const what = /Requires (\w+) access to "([^"]+)"/.exec(error.message);
  const flag = what
    ? `--allow-${what[1]}=${what[2]}`
    : /--allow-[a-z]+/.exec(error.message)?.[0] ??
      "the missing --allow-… flag";
  return new DatumError(
    `Cannot continue without permission: run again with ${flag}`,
    {
      code: "permission_missing",
      exitCode: ExitCode.Permission,
      hint: `add ${flag} to the deno command, or use \`deno task datum\``,
      cause: error,
    },
  );
}
