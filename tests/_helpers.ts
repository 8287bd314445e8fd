/**
 * Test helpers: disposable temp folders, the real CLI as a subprocess with the same
 * permissions the binary bakes, and git.
 *
 * @module
 */

const ROOT = new URL("../", import.meta.url);
const CONFIG = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));

/** The repository's root folder. */
export const ROOT_DIR: string = ROOT.pathname.replace(/\/$/, "");

/**
 * The `--allow-…` flags of a named permission set in deno.json.
 *
 * @param name The set's name, e.g. `cli`.
 * @returns The flags.
 */
export function permissionFlags(name: string): string[] {
  const set = CONFIG.permissions[name] as Record<string, boolean | string[]>;
  const flags: string[] = [];
  for (const [kind, value] of Object.entries(set)) {
    if (value === true) flags.push(`--allow-${kind}`);
    else if (Array.isArray(value)) {
      flags.push(`--allow-${kind}=${value.join(",")}`);
    }
  }
  return flags;
}

/** The flags the CLI runs with: the `cli` set, and environment outside it ignored. */
export const CLI_FLAGS: string[] = [...permissionFlags("cli"), "--ignore-env"];

/** A temp folder removed when disposed. */
export interface TempDir extends AsyncDisposable {
  /** Its absolute path. */
  path: string;
}

/**
 * Makes a temp folder that `await using` removes.
 *
 * @returns The folder.
 */
export async function tempDir(): Promise<TempDir> {
  const path = await Deno.makeTempDir({ prefix: "datum-test-" });
  return {
    path,
    async [Symbol.asyncDispose](): Promise<void> {
      await Deno.remove(path, { recursive: true }).catch(() => {});
    },
  };
}

/** What a CLI run printed. */
export interface RunResult {
  /** Exit code. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** Options of {@linkcode datum}. */
export interface DatumRunOptions {
  /** Working directory. */
  cwd?: string;
  /** Extra environment. */
  env?: Record<string, string>;
  /** Permission flags instead of {@linkcode CLI_FLAGS}. */
  flags?: string[];
  /** The script to run instead of main.ts. */
  script?: string;
  /** Bytes for standard input (else it is closed). */
  stdin?: string | Uint8Array;
}

const decoder = new TextDecoder();

/**
 * The `deno` arguments that run the CLI (or a bundle) with `args`, for tests that
 * need their own `Deno.Command` (a piped stdin, a kill).
 *
 * @param args The arguments after `datum`.
 * @param options Permissions and the script to run.
 * @returns The arguments after the `deno` executable.
 */
export function datumArgs(
  args: string[],
  options: Pick<DatumRunOptions, "flags" | "script"> = {},
): string[] {
  return [
    "run",
    "--quiet",
    "--no-prompt",
    // A bundle must run on its own, without the project's import map.
    options.script ? "--no-config" : `--config=${ROOT_DIR}/deno.json`,
    ...(options.flags ?? CLI_FLAGS),
    options.script ?? `${ROOT_DIR}/main.ts`,
    ...args,
  ];
}

/**
 * Runs the real CLI (`main.ts`) as a subprocess.
 *
 * @param args The arguments after `datum`.
 * @param options Working directory, environment, permissions.
 * @returns Exit code and output.
 */
export async function datum(
  args: string[],
  options: DatumRunOptions = {},
): Promise<RunResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: datumArgs(args, options),
    cwd: options.cwd ?? ROOT_DIR,
    env: { NO_COLOR: "1", ...options.env },
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    // The CLI may stop reading early (an oversized body): that is not an error here.
    await writer.write(
      typeof options.stdin === "string"
        ? new TextEncoder().encode(options.stdin)
        : options.stdin,
    ).catch(() => {});
    await writer.close().catch(() => {});
  }
  const output = await child.output();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/**
 * Runs git in `cwd` as a test user and returns its trimmed stdout; throws on failure.
 *
 * @param cwd Where git runs.
 * @param args git's arguments.
 * @returns Trimmed standard output.
 */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const output = await new Deno.Command("git", {
    args: [
      "-c",
      "user.name=tester",
      "-c",
      "user.email=tester@example.invalid",
      ...args,
    ],
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { GIT_TERMINAL_PROMPT: "0" },
  }).output();
  if (output.code !== 0) {
    throw new Error(
      `git ${args.join(" ")} failed: ${decoder.decode(output.stderr)}`,
    );
  }
  return decoder.decode(output.stdout).trim();
}

/**
 * Copies a folder tree.
 *
 * @param from Source folder.
 * @param to Destination folder (created).
 */
export async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    const source = `${from}/${entry.name}`;
    const target = `${to}/${entry.name}`;
    if (entry.isDirectory) await copyTree(source, target);
    else await Deno.copyFile(source, target);
  }
}

/** The path of a file under tests/fixtures. */
export function fixture(path: string): string {
  return new URL(`./fixtures/${path}`, import.meta.url).pathname;
}

/**
 * Parses the one JSON document a `--json` run printed.
 *
 * @param result The run.
 * @returns The parsed value.
 */
export function json<T = Record<string, unknown>>(result: RunResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(
      `stdout is not one JSON value (exit ${result.code}):\n${result.stdout}\n${result.stderr}`,
    );
  }
}

/**
 * Boots a vessel named `scout` in `DIR/NAME` with a bare `DIR/origin.git` as its
 * upstream, pushed.
 *
 * @param dir A temp folder.
 * @param name The vessel's folder name.
 * @returns The vessel's path and the origin's.
 */
export async function vesselWithOrigin(
  dir: string,
  name: string,
): Promise<{ path: string; origin: string }> {
  const origin = `${dir}/origin.git`;
  await git(dir, "init", "-q", "--bare", "-b", "main", origin);
  const path = `${dir}/${name}`;
  const booted = await datum(["boot", "-w", path, "--name", "scout"]);
  if (booted.code !== 0) throw new Error(`boot failed: ${booted.stderr}`);
  await git(path, "remote", "add", "origin", origin);
  await git(path, "push", "-q", "-u", "origin", "main");
  return { path, origin };
}
