/**
 * Bench fixtures: the CLI as a cold `deno run` subprocess with the permissions the
 * binary gets, and the vessels the cold-start benches run against, all in one temp
 * folder that {@linkcode Fixtures.cleanup} removes.
 *
 * Private to `bench/`; deliberately independent of `tests/_helpers.ts`.
 *
 * Needs `--allow-read`, `--allow-write`, `--allow-run` (deno and git) and
 * `--allow-env` (to hand `NO_COLOR` to children).
 *
 * @module
 */

import { formatJournalEntry } from "../workshop/journal.ts";

const ROOT = new URL("../", import.meta.url);

/** The repository's root folder. */
export const ROOT_DIR: string = decodeURIComponent(ROOT.pathname).replace(
  /\/$/,
  "",
);

/** The config every child runs with, so it resolves `smol-toml` and friends. */
export const CONFIG_PATH: string = `${ROOT_DIR}/deno.json`;

/** The CLI entry point. */
export const MAIN_PATH: string = `${ROOT_DIR}/main.ts`;

const CONFIG = JSON.parse(await Deno.readTextFile(CONFIG_PATH)) as {
  permissions: Record<string, Record<string, boolean | string[]>>;
};

/**
 * The flags the binary runs with: the `cli` permission set of deno.json, and the
 * environment outside it ignored. Read from deno.json so the bench follows it.
 */
export const CLI_FLAGS: readonly string[] = [
  ...Object.entries(CONFIG.permissions["cli"] ?? {}).flatMap(
    ([kind, value]) =>
      value === true
        ? [`--allow-${kind}`]
        : Array.isArray(value)
        ? [`--allow-${kind}=${value.join(",")}`]
        : [],
  ),
  "--ignore-env",
];

/** `deno run` flags shared by every cold start, the baseline included. */
export const RUN_FLAGS: readonly string[] = [
  "run",
  "--quiet",
  "--no-prompt",
  `--config=${CONFIG_PATH}`,
  ...CLI_FLAGS,
];

/** What a child printed. */
export interface RunResult {
  /** Exit code. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

const decoder = new TextDecoder();

/**
 * Runs `deno run … SCRIPT ARGS` as a fresh process: `NO_COLOR=1`, stdin null.
 *
 * @param script The module to run.
 * @param args Its arguments.
 * @returns Exit code and output.
 */
export async function coldRun(
  script: string,
  args: readonly string[] = [],
): Promise<RunResult> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [...RUN_FLAGS, script, ...args],
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/**
 * Like {@linkcode coldRun}, but a non-zero exit throws with the child's stderr, so a
 * broken command cannot pass for a fast one.
 *
 * @param script The module to run.
 * @param args Its arguments.
 * @returns What it printed.
 */
export async function coldRunOk(
  script: string,
  args: readonly string[] = [],
): Promise<RunResult> {
  const result = await coldRun(script, args);
  if (result.code !== 0) {
    throw new Error(
      `deno run ${script} ${
        args.join(" ")
      } exited ${result.code}: ${result.stderr.trim()}`,
    );
  }
  return result;
}

/**
 * Runs the CLI cold and throws unless it exits 0.
 *
 * @param args The arguments after `datum`.
 * @returns What it printed.
 */
export function datum(args: readonly string[]): Promise<RunResult> {
  return coldRunOk(MAIN_PATH, args);
}

/**
 * Runs git in `cwd` as a bench user; throws on failure.
 *
 * @param cwd Where git runs.
 * @param args git's arguments.
 */
export async function git(cwd: string, ...args: string[]): Promise<void> {
  const output = await new Deno.Command("git", {
    args: [
      "-c",
      "user.name=bench",
      "-c",
      "user.email=bench@vessel.datum.invalid",
      "-c",
      "commit.gpgsign=false",
      ...args,
    ],
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { GIT_TERMINAL_PROMPT: "0" },
  }).output();
  if (output.code !== 0) {
    throw new Error(
      `git ${args.join(" ")} failed: ${decoder.decode(output.stderr).trim()}`,
    );
  }
}

/** How many entries the big journal holds. */
export const BIG_JOURNAL_ENTRIES = 10_000;

const CATEGORIES = ["NOTE", "DECISION", "TASK", "PLAN", "CHECK"] as const;
const TAGS = ["fleet", "urgent", "bus", "scan/license", "nats", "i2i"] as const;
const WORDS = (
  "found repo license fleet bottle keeper nats stream vessel brief journal " +
  "trail task scan audit route tide lamp beacon drift signal commit merge branch"
).split(" ");

/**
 * Generates `count` journal entries in datum's own form, deterministic: bodies of
 * one to three lines, every third entry tagged, one minute apart.
 *
 * @param count How many entries.
 * @param author Their author.
 * @returns The text to append to `JOURNAL.md`.
 */
export function journalEntries(count: number, author: string): string {
  const start = Date.UTC(2026, 0, 1);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const now = new Date(start + i * 60_000);
    const lines: string[] = [];
    for (let l = 0; l <= i % 3; l++) {
      const words: string[] = [];
      for (let w = 0; w < 8 + ((i + l) % 9); w++) {
        words.push(WORDS[(i * 7 + l * 5 + w * 3) % WORDS.length]!);
      }
      lines.push(`Entry ${i} line ${l + 1}: ${words.join(" ")}.`);
    }
    const tags = i % 3 === 0
      ? [
        TAGS[i % TAGS.length]!,
        ...(i % 2 ? [TAGS[(i + 1) % TAGS.length]!] : []),
      ]
      : [];
    const stamp = now.toISOString().replace(/[-:]/g, "").replace(".", "");
    parts.push(formatJournalEntry({
      category: CATEGORIES[i % CATEGORIES.length]!,
      body: lines.join("\n"),
      author,
      tags,
      now,
      id: `${stamp}-${i.toString(16).padStart(8, "0")}`,
    }));
  }
  return parts.join("");
}

/** Everything the cold-start benches run against. */
export interface Fixtures {
  /** The temp folder holding everything below. */
  root: string;
  /** An empty module: the baseline. */
  emptyModule: string;
  /** A freshly booted vessel that only `status` reads. */
  statusVessel: string;
  /** A freshly booted vessel that `journal` appends to. */
  journalVessel: string;
  /** A vessel whose committed journal holds {@linkcode BIG_JOURNAL_ENTRIES} entries. */
  bigVessel: string;
  /** Where `boot` creates its fresh vessels; exists and is empty. */
  bootRoot: string;
  /** Removes {@linkcode root}; safe to call twice. */
  cleanup(): void;
}

/**
 * Creates the fixtures in a new temp folder. On failure the folder is removed before
 * the error propagates.
 *
 * @returns The fixtures.
 */
export async function setupFixtures(): Promise<Fixtures> {
  const root = await Deno.makeTempDir({ prefix: "datum-bench-" });
  let removed = false;
  const cleanup = (): void => {
    if (removed) return;
    removed = true;
    try {
      Deno.removeSync(root, { recursive: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  };
  try {
    const emptyModule = `${root}/empty.ts`;
    await Deno.writeTextFile(emptyModule, "");
    const boot = (dir: string): Promise<RunResult> =>
      datum(["boot", "-w", dir, "--name", "bench", "--non-interactive"]);
    const statusVessel = `${root}/status-vessel`;
    const journalVessel = `${root}/journal-vessel`;
    const bigVessel = `${root}/vessel-10k`;
    const bootRoot = `${root}/boots`;
    await Promise.all([
      boot(statusVessel),
      boot(journalVessel),
      boot(bigVessel),
      Deno.mkdir(bootRoot),
    ]);
    // One write for all entries: appending 10 000 times would bench the file system.
    const journalPath = `${bigVessel}/JOURNAL.md`;
    const existing = await Deno.readTextFile(journalPath);
    await Deno.writeTextFile(
      journalPath,
      existing + journalEntries(BIG_JOURNAL_ENTRIES, "bench"),
    );
    await git(bigVessel, "add", "JOURNAL.md");
    await git(
      bigVessel,
      "commit",
      "-q",
      "--no-verify",
      "-m",
      `bench: ${BIG_JOURNAL_ENTRIES} journal entries`,
    );
    // A bench over entries that fail their checksum would measure the wrong thing.
    const status = JSON.parse(
      (await datum(["status", "-w", bigVessel, "--json"])).stdout,
    ) as { valid: boolean; journal: { entries: number } };
    if (!status.valid || status.journal.entries !== BIG_JOURNAL_ENTRIES + 1) {
      throw new Error(
        `The 10k vessel reads as ${status.journal.entries} entries, valid: ${status.valid}`,
      );
    }
    return {
      root,
      emptyModule,
      statusVessel,
      journalVessel,
      bigVessel,
      bootRoot,
      cleanup,
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}
