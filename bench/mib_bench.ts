/**
 * Message-in-a-Bottle benches.
 *
 * - `bottle check` and `bottle summary` as cold CLI runs on an inbox of 10 000
 *   bottles: with the index warm and nothing new, with 10 new bottles each run
 *   (the cost grows with what is new), and with `--rescan` (every bottle parsed,
 *   what a first check costs).
 * - Drops per second, in-process through the library: into the sender's own
 *   vessel (write + commit), and into a bare remote vessel (also fetch, commit,
 *   push into the remote).
 *
 * ```sh
 * deno bench --allow-read --allow-write --allow-run --allow-env bench/mib_bench.ts
 * ```
 *
 * @module
 */

import { dropBottle } from "../mib/post.ts";
import { formatBottle } from "../mib/write.ts";
import { openVessel } from "../workshop/vessel.ts";
import { coldRunOk, datum, git } from "./_setup.ts";

const INBOX = 10_000;
const RUNS = 20;
const WARMUP = 3;

const root = await Deno.makeTempDir({ prefix: "datum-bench-mib-" });
globalThis.addEventListener("unload", () => {
  Deno.removeSync(root, { recursive: true });
});
const empty = `${root}/empty.ts`;
await Deno.writeTextFile(empty, "");
const big = `${root}/scout`;
await datum(["boot", "-w", big, "--name", "scout", "--non-interactive"]);
const inbox = `${big}/message-in-a-bottle/for-scout`;
const senders = [
  "oracle1",
  "navigator",
  "lighthouse",
  "keeper",
  "cartographer",
];
const types = ["message", "question", "handoff", "alert", "signal"];
const start = Date.UTC(2026, 0, 1);
let written = 0;
function writeBottles(count: number): void {
  for (let i = 0; i < count; i++, written++) {
    const bottle = formatBottle(
      {
        from: senders[written % senders.length]!,
        to: "scout",
        subject: `Report ${written}: the northern passage`,
        type: types[written % types.length]!,
        body: `Bottle ${written}.\n\nThe passage is open; depth ${
          written % 40
        } m.`,
      },
      new Date(start + written * 60_000),
    );
    Deno.writeTextFileSync(`${inbox}/${bottle.fileName}`, bottle.text);
  }
}
writeBottles(INBOX);
await git(big, "add", "-A");
await git(big, "commit", "-q", "--no-verify", "-m", "bench: 10 000 bottles");
// Half of them read, so unread filtering is part of the work.
const receipts = [...Deno.readDirSync(inbox)].slice(0, INBOX / 2).map((e) =>
  `2026-11-30T00:00:00.000Z\t${
    /^id: (.*)$/m.exec(Deno.readTextFileSync(`${inbox}/${e.name}`))![1]
  }\n`
).join("");
Deno.mkdirSync(`${big}/message-in-a-bottle/receipts`);
Deno.writeTextFileSync(
  `${big}/message-in-a-bottle/receipts/scout.log`,
  receipts,
);
// Warm the index once, as any earlier check would have.
const first = JSON.parse(
  (await datum(["bottle", "check", "-w", big, "--no-pull", "--json"])).stdout,
) as { total: number; unread: number };
if (first.total !== INBOX || first.unread !== INBOX / 2) {
  throw new Error(`the bench inbox reads as ${JSON.stringify(first)}`);
}

Deno.bench({
  name: "empty deno run (baseline)",
  group: "check",
  baseline: true,
  n: RUNS,
  warmup: WARMUP,
  fn: async () => {
    await coldRunOk(empty);
  },
});

Deno.bench({
  name: "bottle check --no-pull, 10 000 bottles, nothing new",
  group: "check",
  n: RUNS,
  warmup: WARMUP,
  fn: async () => {
    await datum(["bottle", "check", "-w", big, "--no-pull"]);
  },
});

Deno.bench({
  name: "bottle check --no-pull, 10 000 bottles, 10 new",
  group: "check",
  n: RUNS,
  warmup: WARMUP,
  fn: async (b) => {
    writeBottles(10);
    b.start();
    await datum(["bottle", "check", "-w", big, "--no-pull"]);
    b.end();
  },
});

Deno.bench({
  name: "bottle check (pull: no upstream), 10 000 bottles",
  group: "check",
  n: RUNS,
  warmup: WARMUP,
  fn: async () => {
    await datum(["bottle", "check", "-w", big]);
  },
});

Deno.bench({
  name: "bottle summary --no-pull, 10 000 bottles",
  group: "check",
  n: RUNS,
  warmup: WARMUP,
  fn: async () => {
    await datum(["bottle", "summary", "-w", big, "--no-pull"]);
  },
});

Deno.bench({
  name: "bottle check --rescan, 10 000 bottles (every file parsed)",
  group: "check",
  n: 5,
  warmup: 1,
  fn: async () => {
    await datum(["bottle", "check", "-w", big, "--no-pull", "--rescan"]);
  },
});

// Drops, in-process: the cost of the post office, not of starting Deno.
const sender = `${root}/alpha`;
await datum(["boot", "-w", sender, "--name", "alpha", "--non-interactive"]);
const remote = `${root}/navigator.git`;
await git(root, "init", "-q", "--bare", "-b", "main", remote);
const vessel = await openVessel(sender);
let n = 0;

Deno.bench({
  name: "drop into the own vessel (write + commit)",
  group: "drop",
  n: 100,
  warmup: 5,
  fn: async () => {
    await dropBottle(vessel, {
      to: "navigator",
      subject: `Local ${n++}`,
      body: "Soundings attached.",
    });
  },
});

Deno.bench({
  name: "drop into a bare remote vessel (write, commit, fetch, push)",
  group: "drop",
  n: 100,
  warmup: 5,
  fn: async () => {
    await dropBottle(vessel, {
      to: "navigator",
      subject: `Remote ${n++}`,
      body: "Soundings attached.",
    }, { toVessel: remote });
  },
});
