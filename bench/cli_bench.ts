/**
 * Cold-start benches of the CLI: every iteration is a fresh `deno run` process with
 * the binary's permissions, `NO_COLOR=1` and stdin null, compared with an empty
 * module run the same way. What a user waits for, not what a warm isolate does.
 *
 * ```sh
 * deno task bench
 * ```
 *
 * Setup (three booted vessels, one with 10 000 journal entries) runs at module top
 * level in a temp folder that the `unload` event removes. Every iteration throws
 * unless the command exits 0, so a broken command cannot look fast.
 *
 * @module
 */

import { coldRunOk, datum, setupFixtures } from "./_setup.ts";

const GROUP = "cold-start";
// Subprocesses take 50-500 ms each: fix the count rather than let deno bench guess.
// Matches the hyperfine cross-check (`-w 3 -r 20`).
const RUNS = 20;
const WARMUP = 3;

const fixtures = await setupFixtures();
globalThis.addEventListener("unload", () => fixtures.cleanup());

Deno.bench({
  name: "empty deno run (baseline)",
  group: GROUP,
  baseline: true,
  n: RUNS,
  warmup: WARMUP,
  fn: async () => {
    await coldRunOk(fixtures.emptyModule);
  },
});

Deno.bench({
  name: "datum --help",
  group: GROUP,
  n: RUNS,
  warmup: WARMUP,
  fn: async () => {
    await datum(["--help"]);
  },
});

Deno.bench({
  name: "datum status (fresh vessel)",
  group: GROUP,
  n: RUNS,
  warmup: WARMUP,
  fn: async () => {
    await datum(["status", "-w", fixtures.statusVessel]);
  },
});

Deno.bench({
  name: "datum journal NOTE (no --commit)",
  group: GROUP,
  n: RUNS,
  warmup: WARMUP,
  fn: async () => {
    await datum([
      "journal",
      "-w",
      fixtures.journalVessel,
      "NOTE",
      "bench entry",
    ]);
  },
});

let boots = 0;
Deno.bench({
  name: "datum boot (new folder)",
  group: GROUP,
  n: RUNS,
  warmup: WARMUP,
  fn: async (b) => {
    const dir = `${fixtures.bootRoot}/vessel-${boots++}`;
    b.start();
    await datum(["boot", "-w", dir, "--non-interactive"]);
    b.end();
    // Not timed: keeps the temp folder small over many iterations.
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.bench({
  name: "datum brief --budget 8000 (10k entries)",
  group: GROUP,
  n: RUNS,
  warmup: WARMUP,
  fn: async () => {
    await datum(["brief", "-w", fixtures.bigVessel, "--budget", "8000"]);
  },
});

// The same brief with a budget below its byte length, so the tokenizer must load and
// count: the price of an exact count.
Deno.bench({
  name: "datum brief --budget 1000 (10k entries, tokenizer)",
  group: GROUP,
  n: RUNS,
  warmup: WARMUP,
  fn: async () => {
    await datum(["brief", "-w", fixtures.bigVessel, "--budget", "1000"]);
  },
});
