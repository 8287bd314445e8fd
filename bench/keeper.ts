/**
 * The keeper's throughput and latency, measured against a real `datum keeper serve`
 * subprocess on 127.0.0.1 with the binary's permissions: authenticated
 * `POST /api/secrets/get` requests that are approved (so each one decrypts a
 * secret and waits for its audit record's `fdatasync`), sequentially and with 16
 * concurrent clients, plus the time to unlock a 600 000-iteration store.
 *
 * ```sh
 * deno task bench:keeper            # prints a markdown table
 * deno task bench:keeper --json     # the same numbers as JSON
 * ```
 *
 * The keeper runs with `--rate 1000000`: the per-agent limit (20/s by default)
 * would otherwise be what is measured. Its per-request log goes to /dev/null.
 * The keeper's folder is a temp folder on the machine's disk (`TMPDIR`); on tmpfs
 * the fsyncs would be free and the numbers meaningless.
 *
 * @module
 */

import { KeeperStore } from "../agents/keeper/store.ts";
import { writeLine } from "../core/cli.ts";
import { CLI_FLAGS, CONFIG_PATH, MAIN_PATH } from "./_setup.ts";

const SEQUENTIAL = 5000;
const WARMUP = 500;
const CLIENTS = 16;
const CONCURRENT_SECONDS = 5;
const UNLOCKS = 10;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

const dir = await Deno.makeTempDir({ prefix: "datum-keeper-bench-" });
const keeperDir = `${dir}/keeper`;
const pw = `${dir}/pw`;
const PASSPHRASE = "bench passphrase";
await Deno.writeTextFile(pw, PASSPHRASE);
let child: Deno.ChildProcess | undefined;
try {
  // The store exactly as `datum keeper init` makes it: 600 000 iterations.
  const { store } = await KeeperStore.init(keeperDir, PASSPHRASE);
  const agents = Array.from({ length: CLIENTS }, (_, i) => `agent${i}`);
  const tokens = new Map<string, string>();
  for (const a of agents) tokens.set(a, await store.enroll(a));
  await store.setSecret("github_pat", "ghp_bench_value_000000000000000000", {
    allowAgents: agents,
    allowDestinations: ["api.github.com"],
  });

  const unlocks: number[] = [];
  for (let i = 0; i < UNLOCKS; i++) {
    const t = performance.now();
    await KeeperStore.unlock(keeperDir, PASSPHRASE);
    unlocks.push(performance.now() - t);
  }
  unlocks.sort((a, b) => a - b);

  child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      `--config=${CONFIG_PATH}`,
      ...CLI_FLAGS,
      MAIN_PATH,
      "keeper",
      "serve",
      "--dir",
      keeperDir,
      "--passphrase-file",
      pw,
      "--listen",
      "127.0.0.1:0",
      "--rate",
      "1000000",
    ],
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let first = "";
  while (!first.includes("\n")) {
    const { done, value } = await reader.read();
    if (done) throw new Error("the keeper did not start");
    first += value;
  }
  const drained = (async () => {
    while (!(await reader.read()).done) { /* keep the pipe empty */ }
  })();
  const url = /listening on (\S+)/.exec(first)![1]!;

  const ask = async (agent: string): Promise<number> => {
    const t = performance.now();
    const response = await fetch(`${url}/api/secrets/get`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${tokens.get(agent)}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        agent,
        key: "github_pat",
        purpose: "bench",
        destination: "api.github.com",
        ttl: 60,
      }),
    });
    const body = await response.json();
    if (!body.approved) throw new Error(`denied: ${JSON.stringify(body)}`);
    return performance.now() - t;
  };

  for (let i = 0; i < WARMUP; i++) await ask("agent0");
  const sequential: number[] = [];
  const seqStart = performance.now();
  for (let i = 0; i < SEQUENTIAL; i++) sequential.push(await ask("agent0"));
  const seqSeconds = (performance.now() - seqStart) / 1000;
  sequential.sort((a, b) => a - b);

  // The floor: the same HTTP round trip to GET /api/health (no auth, no crypto,
  // no audit), 16 clients.
  let healthCount = 0;
  const healthEnd = performance.now() + 2000;
  await Promise.all(agents.map(async () => {
    while (performance.now() < healthEnd) {
      await (await fetch(`${url}/api/health`)).body?.cancel();
      healthCount++;
    }
  }));
  const healthPerSecond = healthCount / 2;

  const concurrent: number[] = [];
  const deadline = performance.now() + CONCURRENT_SECONDS * 1000;
  const conStart = performance.now();
  await Promise.all(agents.map(async (agent) => {
    while (performance.now() < deadline) concurrent.push(await ask(agent));
  }));
  const conSeconds = (performance.now() - conStart) / 1000;
  concurrent.sort((a, b) => a - b);

  child.kill("SIGTERM");
  await child.status;
  await drained;
  child = undefined;

  const lines = (await Deno.readTextFile(`${keeperDir}/audit.jsonl`)).split(
    "\n",
  )
    .filter((l) => l);
  const audit = lines.length;
  // One batch (one write, one fdatasync) stamps all its records with one time.
  const batches = new Set(lines.map((l) => JSON.parse(l).time)).size;
  const result = {
    unlockMs: { p50: percentile(unlocks, 0.5), max: unlocks.at(-1)! },
    sequential: {
      requests: SEQUENTIAL,
      p50Ms: percentile(sequential, 0.5),
      p99Ms: percentile(sequential, 0.99),
      perSecond: SEQUENTIAL / seqSeconds,
    },
    concurrent: {
      clients: CLIENTS,
      requests: concurrent.length,
      p50Ms: percentile(concurrent, 0.5),
      p99Ms: percentile(concurrent, 0.99),
      perSecond: concurrent.length / conSeconds,
    },
    healthPerSecond,
    auditRecords: audit,
    recordsPerSync: audit / batches,
  };
  if (Deno.args.includes("--json")) {
    writeLine(Deno.stdout, JSON.stringify(result, null, 2));
  } else {
    const ms = (n: number) => `${n.toFixed(2)} ms`;
    writeLine(
      Deno.stdout,
      [
        "| measure | value |",
        "| --- | --- |",
        `| unlock (PBKDF2 600 000, p50 of ${UNLOCKS}) | ${
          ms(result.unlockMs.p50)
        } |`,
        `| sequential p50 (${SEQUENTIAL} requests) | ${
          ms(result.sequential.p50Ms)
        } |`,
        `| sequential p99 | ${ms(result.sequential.p99Ms)} |`,
        `| sequential requests/s | ${result.sequential.perSecond.toFixed(0)} |`,
        `| ${CLIENTS} clients, requests/s (${CONCURRENT_SECONDS} s) | ${
          result.concurrent.perSecond.toFixed(0)
        } |`,
        `| ${CLIENTS} clients, p50 / p99 | ${ms(result.concurrent.p50Ms)} / ${
          ms(result.concurrent.p99Ms)
        } |`,
        `| floor: GET /api/health, ${CLIENTS} clients, requests/s | ${
          healthPerSecond.toFixed(0)
        } |`,
        `| audit records written (all durable before their answer) | ${audit} |`,
        `| records per fdatasync (mean over the run) | ${
          result.recordsPerSync.toFixed(2)
        } |`,
      ].join("\n"),
    );
  }
} finally {
  if (child) {
    child.kill("SIGKILL");
    await child.status;
  }
  await Deno.remove(dir, { recursive: true });
}
