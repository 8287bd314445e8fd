/**
 * Cross-checks `cli_bench.ts` with hyperfine: the same six cold starts on the same
 * fixtures, run with `hyperfine -N` (no shell in between). Extra arguments go to
 * hyperfine, e.g. `--export-json bench/results/hyperfine.json`.
 *
 * ```sh
 * deno run --allow-read --allow-write --allow-run --allow-env bench/hyperfine.ts -w 3 -r 20
 * ```
 *
 * @module
 */

import { MAIN_PATH, RUN_FLAGS, setupFixtures } from "./_setup.ts";

/** Quotes a word for hyperfine's shell-words splitting. */
function quote(word: string): string {
  return /^[A-Za-z0-9_./=,:*+-]+$/.test(word)
    ? word
    : `'${word.replaceAll("'", `'"'"'`)}'`;
}

const fixtures = await setupFixtures();
try {
  const deno = [Deno.execPath(), ...RUN_FLAGS].map(quote).join(" ");
  const datum = (...args: string[]): string =>
    `${deno} ${[MAIN_PATH, ...args].map(quote).join(" ")}`;
  const bootDir = `${fixtures.bootRoot}/vessel`;
  // One prepare per command: only boot needs its folder gone before each run.
  const commands: [name: string, command: string, prepare: string][] = [
    [
      "empty deno run (baseline)",
      `${deno} ${quote(fixtures.emptyModule)}`,
      "true",
    ],
    ["datum --help", datum("--help"), "true"],
    [
      "datum status (fresh vessel)",
      datum("status", "-w", fixtures.statusVessel),
      "true",
    ],
    [
      "datum journal NOTE (no --commit)",
      datum("journal", "-w", fixtures.journalVessel, "NOTE", "bench entry"),
      "true",
    ],
    [
      "datum boot (new folder)",
      datum("boot", "-w", bootDir, "--non-interactive"),
      `rm -rf ${quote(bootDir)}`,
    ],
    [
      "datum brief --budget 8000 (10k entries)",
      datum("brief", "-w", fixtures.bigVessel, "--budget", "8000"),
      "true",
    ],
    [
      "datum brief --budget 1000 (10k entries, tokenizer)",
      datum("brief", "-w", fixtures.bigVessel, "--budget", "1000"),
      "true",
    ],
  ];
  const args = ["-N", ...Deno.args];
  for (const [name, command, prepare] of commands) {
    args.push("--prepare", prepare, "--command-name", name, command);
  }
  const { code } = await new Deno.Command("hyperfine", {
    args,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) throw new Error(`hyperfine exited ${code}`);
} finally {
  fixtures.cleanup();
}
