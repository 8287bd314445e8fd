/**
 * Benches of the git transport of Message-in-a-Bottle: deliveries into a local bare
 * vessel, the way `datum bottle drop` and `datum bottle flush` make them.
 *
 * ```sh
 * deno bench --allow-read --allow-write --allow-run --allow-env bench/transport_bench.ts
 * ```
 *
 * Each bench delivers into its own bare vessel in one temp folder that the `unload`
 * event removes. Every delivery checks what it added, so a failing delivery cannot
 * look fast. Divide 1000 by the time per iteration for deliveries per second; the
 * concurrent bench makes eight deliveries per iteration.
 *
 * @module
 */

import { deliver, type DeliveryFile } from "../mib/transport.ts";

const GROUP = "transport";
const RUNS = 30;
const WARMUP = 3;
const SENDERS = 8;

const root = await Deno.makeTempDir({ prefix: "datum-bench-transport-" });
globalThis.addEventListener("unload", () => {
  Deno.removeSync(root, { recursive: true });
});

async function bareVessel(name: string): Promise<string> {
  const path = `${root}/${name}.git`;
  const { code } = await new Deno.Command("git", {
    args: ["init", "-q", "--bare", path],
    stdout: "null",
    stderr: "null",
  }).output();
  if (code !== 0) throw new Error(`git init --bare ${path} failed`);
  return path;
}

let serial = 0;

function bottles(count: number): DeliveryFile[] {
  serial++;
  return Array.from({ length: count }, (_, i) => {
    const path =
      `message-in-a-bottle/for-navigator/2026-11-30_scout_bench-${serial}-${i}.md`;
    return { path, content: `---\nfrom: scout\nto: navigator\n---\n${path}\n` };
  });
}

async function drop(
  target: string,
  cacheDir: string,
  files: DeliveryFile[],
  maxAttempts?: number,
): Promise<void> {
  const result = await deliver(target, files, {
    cacheDir,
    agent: "scout",
    message: "[I2I:SIGNAL] scout:drop — bench",
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
  });
  if (result.added.length !== files.length) {
    throw new Error(`added ${result.added.length} of ${files.length}`);
  }
}

const single = await bareVessel("single");
Deno.bench({
  name: "one bottle, one sender, warm cache",
  group: GROUP,
  baseline: true,
  n: RUNS,
  warmup: WARMUP,
  fn: async () => {
    await drop(single, `${root}/cache-single`, bottles(1));
  },
});

const flush = await bareVessel("flush");
Deno.bench({
  name: "a flush of 20 bottles in one commit",
  group: GROUP,
  n: RUNS,
  warmup: WARMUP,
  fn: async () => {
    await drop(flush, `${root}/cache-flush`, bottles(20));
  },
});

const cold = await bareVessel("cold");
Deno.bench({
  name: "one bottle, one sender, new cache",
  group: GROUP,
  n: RUNS,
  warmup: WARMUP,
  fn: async () => {
    await drop(cold, `${root}/cache-cold-${serial}`, bottles(1));
  },
});

const shared = await bareVessel("shared");
Deno.bench({
  name: `${SENDERS} senders, one bottle each, at once`,
  group: GROUP,
  n: 10,
  warmup: 1,
  fn: async () => {
    await Promise.all(
      Array.from(
        { length: SENDERS },
        (_, s) => drop(shared, `${root}/cache-shared-${s}`, bottles(1), 60),
      ),
    );
  },
});
