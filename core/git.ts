/**
 * The one place datum runs `git`: the system binary through `Deno.Command`, never a
 * shell. Every failure becomes a {@linkcode DatumError} carrying git's own words.
 *
 * Needs `--allow-run=git`.
 *
 * @module
 */

import { DatumError, ExitCode } from "./errors.ts";
import { requirePermission } from "./permissions.ts";

/** Options of {@linkcode git}. */
export interface GitOptions {
  /** Return the result instead of throwing when git exits non-zero. */
  allowFailure?: boolean;
  /** Extra environment variables for git. */
  env?: Record<string, string>;
  /** Data written to git's standard input. */
  stdin?: string;
  /** Aborts the call. */
  signal?: AbortSignal;
}

/** What one git call printed, and how it ended. */
export interface GitResult {
  /** Exit code of git. */
  code: number;
  /** Standard output, untrimmed. */
  stdout: string;
  /** Standard error, untrimmed. */
  stderr: string;
}

const decoder = new TextDecoder();

/**
 * Runs `git ARGS` in `cwd`.
 *
 * @param cwd The folder git runs in.
 * @param args git's arguments, e.g. `["status", "--porcelain"]`.
 * @param options See {@linkcode GitOptions}.
 * @returns What git printed and its exit code.
 * @throws {DatumError} When git is missing, or exits non-zero without `allowFailure`.
 *
 * @example Read the current branch
 * ```ts ignore
 * const { stdout } = await git(".", ["branch", "--show-current"]);
 * ```
 */
export async function git(
  cwd: string,
  args: readonly string[],
  options: GitOptions = {},
): Promise<GitResult> {
  requireGit();
  const command = new Deno.Command("git", {
    args: [...args],
    cwd,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: { GIT_TERMINAL_PROMPT: "0", LC_ALL: "C", ...options.env },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  let output: Deno.CommandOutput;
  try {
    if (options.stdin === undefined) {
      output = await command.output();
    } else {
      const child = command.spawn();
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(options.stdin));
      await writer.close();
      output = await child.output();
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw gitMissing(error);
    throw error;
  }
  const result: GitResult = {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
  if (result.code !== 0 && !options.allowFailure) {
    const lines = result.stderr.trim().split("\n").filter(Boolean);
    // git's own verdict is its `fatal:`/`error:` line; advice follows it.
    const said = lines.find((l) => /^(?:fatal|error): /.test(l)) ??
      lines.at(-1) ?? result.stdout.trim().split("\n").at(-1) ?? "";
    const locked = result.stderr.includes(".lock': File exists") ||
      result.stderr.includes("cannot lock ref");
    throw new DatumError(
      // git quotes remote URLs; a password in one never reaches a message.
      `Cannot run "git ${args[0] ?? ""}" in "${cwd}": ${
        said.replace(/(\/\/)[^/@\s]+@/g, "$1***@")
      }`,
      locked
        ? {
          code: "git_locked",
          exitCode: ExitCode.Conflict,
          hint: "another git process is working in this repository; try again",
        }
        : { code: "git_failed", exitCode: ExitCode.Failure },
    );
  }
  return result;
}

/**
 * Checks up front that datum may run git, telling a missing permission from a
 * missing git: Deno reports both as an ungranted permission when `--allow-run=git`
 * cannot be resolved on PATH.
 *
 * @throws {DatumError} Exit 7 naming `--allow-run=git`, or exit 1 when git is not on PATH.
 *
 * @example
 * ```ts ignore
 * requireGit();
 * ```
 */
export function requireGit(): void {
  const { state } = Deno.permissions.querySync({ name: "run", command: "git" });
  if (state === "granted") return;
  try {
    new Deno.Command("git", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    })
      .outputSync();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw gitMissing(error);
  }
  requirePermission({ name: "run", command: "git" });
}

function gitMissing(cause: unknown): DatumError {
  return new DatumError("Cannot run git: it is not on PATH", {
    code: "git_missing",
    exitCode: ExitCode.Failure,
    hint:
      "install git (e.g. `apt-get install git`) and make sure PATH includes it",
    cause,
  });
}
