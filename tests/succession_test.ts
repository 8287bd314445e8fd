import assert from "node:assert/strict";
import {
  datum,
  datumArgs,
  git,
  json,
  tempDir,
  vesselWithOrigin,
} from "./_helpers.ts";
import { parseJournal } from "../workshop/journal.ts";

interface BriefJson {
  tasks: { active: { id: string }[]; open: { id: string }[] };
  journal: { id: string; category: string; body: string }[];
  trail: string[];
  gaps: string[];
}

const BOARD = `# Task Board

<!-- TASKS_JSON_START -->
{
  "TASK-001": { "id": "TASK-001", "title": "Map the fleet", "priority": "HIGH", "status": "OPEN" },
  "TASK-002": { "id": "TASK-002", "title": "Write vectors", "priority": "MEDIUM", "status": "IN_PROGRESS", "assignee": "scout" },
  "TASK-003": { "id": "TASK-003", "title": "Old work", "priority": "LOW", "status": "DONE" }
}
<!-- TASKS_JSON_END -->
`;

Deno.test("datum journal appends an entry and, with --commit, trails and commits it", async () => {
  await using tmp = await tempDir();
  const ws = `${tmp.path}/ws`;
  assert.equal((await datum(["boot", "-w", ws, "--name", "scout"])).code, 0);
  const plain = await datum([
    "journal",
    "-w",
    ws,
    "NOTE",
    "Found",
    "3 repos",
    "--tag",
    "fleet",
    "-t",
    "urgent",
    "--json",
  ]);
  assert.equal(plain.code, 0, plain.stderr);
  const entry = json<
    {
      entry: { author: string; body: string; tags: string[] };
      committed: boolean;
    }
  >(plain);
  assert.deepEqual([
    entry.entry.author,
    entry.entry.body,
    entry.entry.tags,
    entry.committed,
  ], [
    "scout",
    "Found 3 repos",
    ["fleet", "urgent"],
    false,
  ]);
  assert.match(
    await Deno.readTextFile(`${ws}/JOURNAL.md`),
    /### \[.+\] scout — NOTE\n\nFound 3 repos\n\n`fleet` `urgent`\n/,
  );
  assert.match(await git(ws, "status", "--porcelain"), /JOURNAL\.md/);

  const committed = await datum([
    "journal",
    "-w",
    ws,
    "DECISION",
    "Move the bus to NATS",
    "--agent",
    "scout-2",
    "--commit",
  ]);
  assert.equal(committed.code, 0, committed.stderr);
  assert.match(
    committed.stdout,
    /^\d{8}T\d{9}Z-[0-9a-f]{8} DECISION \(committed\)\n$/,
  );
  assert.equal(
    await git(ws, "log", "-1", "--format=%s|%an"),
    "[I2I:LOG] scout-2:journal — DECISION: Move the bus to NATS|scout-2",
  );
  assert.equal(await git(ws, "status", "--porcelain"), "");
  const trail = await Deno.readTextFile(`${ws}/TRAIL.md`);
  assert.match(
    trail.trimEnd().split("\n").at(-1)!,
    /^- \[.+\] scout-2: journal — DECISION: Move the bus to NATS <!-- .+ -->$/,
  );
  // Both entries are in the committed journal: the uncommitted one went with it.
  assert.equal(
    parseJournal(await git(ws, "show", "HEAD:JOURNAL.md")).entries.length,
    3,
  );
});

Deno.test("a successor of a process killed mid-journal holds every committed entry", async () => {
  await using tmp = await tempDir();
  const ws = `${tmp.path}/ws`;
  assert.equal((await datum(["boot", "-w", ws, "--name", "scout"])).code, 0);
  await Deno.writeTextFile(`${ws}/TASKBOARD.md`, BOARD);
  await git(ws, "commit", "-q", "-am", "[I2I:LOG] scout:task — board");

  // Journal with --commit, one process per entry; then one more is killed with SIGKILL
  // at a random point of its run, so it can neither finish nor clean up.
  const journalOnce = (i: number): Deno.ChildProcess =>
    new Deno.Command(Deno.execPath(), {
      args: datumArgs([
        "journal",
        "-w",
        ws,
        "NOTE",
        `entry ${i} with some text to write`,
        "--tag",
        `n${i}`,
        "--commit",
      ]),
      env: { NO_COLOR: "1" },
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
  let i = 0;
  while (i < 5) assert.equal((await journalOnce(++i).status).code, 0);
  for (let killed = false; !killed;) {
    const child = journalOnce(++i);
    await new Promise((r) => setTimeout(r, 10 + Math.random() * 90));
    try {
      child.kill("SIGKILL");
      killed = true;
    } catch {
      // It finished first; the next one is killed sooner or later.
    }
    await child.status;
  }

  // A git that the killed process had started runs on as an orphan: let it settle.
  let head = "";
  while (true) {
    await new Promise((r) => setTimeout(r, 300));
    const now = await git(ws, "rev-parse", "HEAD");
    const locked = await Deno.stat(`${ws}/.git/index.lock`).then(
      () => true,
      () => false,
    );
    if (now === head && !locked) break;
    head = now;
  }
  const committed = parseJournal(await git(ws, "show", "HEAD:JOURNAL.md"));
  assert.ok(committed.entries.length >= 6); // boot's entry and at least five more
  assert.deepEqual(committed.problems, []);
  const committedTrail = (await git(ws, "show", "HEAD:TRAIL.md")).split("\n")
    .filter((l) => l.startsWith("- "));

  const successor = `${tmp.path}/successor`;
  await git(tmp.path, "clone", "-q", ws, successor);
  const booted = await datum(["boot", "-w", successor]);
  assert.equal(booted.code, 0, booted.stderr);
  const result = await datum([
    "brief",
    "-w",
    successor,
    "--journal",
    "10000",
    "--trail",
    "5",
    "--json",
  ]);
  assert.equal(result.code, 0, result.stderr);
  const b = json<BriefJson>(result);
  assert.deepEqual(
    b.journal.map((e) => e.id),
    committed.entries.map((e) => e.id),
  );
  assert.ok(
    b.journal.slice(1).every((e, i) =>
      e.body === `entry ${i + 1} with some text to write`
    ),
  );
  assert.deepEqual(b.tasks.active.map((t) => t.id), ["TASK-002"]);
  assert.deepEqual(b.tasks.open.map((t) => t.id), ["TASK-001"]);
  assert.deepEqual(
    b.trail,
    committedTrail.slice(-5).map((l) => l.slice(2).replace(/ <!--.*-->$/, "")),
  );
  assert.deepEqual(b.gaps, []);
});

Deno.test("two clones that both journal and commit merge on push without losing an entry", async () => {
  await using tmp = await tempDir();
  const { path: a, origin } = await vesselWithOrigin(tmp.path, "a");
  const b = `${tmp.path}/b`;
  await git(tmp.path, "clone", "-q", origin, b);

  for (let i = 1; i <= 3; i++) {
    assert.equal(
      (await datum([
        "journal",
        "-w",
        a,
        "NOTE",
        `a${i}`,
        "--agent",
        "scout-a",
        "--commit",
      ])).code,
      0,
    );
    assert.equal(
      (await datum([
        "journal",
        "-w",
        b,
        "NOTE",
        `b${i}`,
        "--agent",
        "scout-b",
        "--commit",
      ])).code,
      0,
    );
  }
  await git(a, "push", "-q");
  await assert.rejects(git(b, "push", "-q"));
  // The successor's way to catch up is boot: it merges the upstream.
  const synced = await datum(["boot", "-w", b, "--json"]);
  assert.equal(synced.code, 0, synced.stderr);
  assert.equal(json<{ sync: { state: string } }>(synced).sync.state, "merged");
  await git(b, "push", "-q");
  await git(a, "pull", "-q", "--no-rebase");

  // A second round where each side adds one entry with the same text: a line-wise
  // union merge would share the common lines and leave neither entry whole.
  for (const clone of [a, b]) {
    const shared = await datum([
      "journal",
      "-w",
      clone,
      "NOTE",
      "shared observation",
      "--tag",
      "same",
      "--commit",
    ]);
    assert.equal(shared.code, 0, shared.stderr);
  }
  await git(a, "push", "-q");
  assert.equal((await datum(["boot", "-w", b])).code, 0);
  await git(b, "push", "-q");
  await git(a, "pull", "-q", "--no-rebase");

  for (const clone of [a, b]) {
    const text = await Deno.readTextFile(`${clone}/JOURNAL.md`);
    assert.doesNotMatch(text, /^(<<<<<<<|>>>>>>>)/m);
    const journal = parseJournal(text);
    assert.deepEqual(journal.problems, []);
    assert.deepEqual(
      journal.entries.map((e) => e.body).filter((x) => /^[ab]\d$/.test(x))
        .sort(),
      ["a1", "a2", "a3", "b1", "b2", "b3"],
    );
    assert.equal(
      new Set(journal.entries.map((e) => e.id)).size,
      journal.entries.length,
    );
    const trail = await Deno.readTextFile(`${clone}/TRAIL.md`);
    for (const x of ["a1", "a2", "a3", "b1", "b2", "b3"]) {
      assert.match(trail, new RegExp(`journal — NOTE: ${x} <!--`));
    }
    const status = await datum(["status", "-w", clone, "--json"]);
    assert.equal(status.code, 0, status.stdout);
  }
  assert.equal(
    await Deno.readTextFile(`${a}/JOURNAL.md`),
    await Deno.readTextFile(`${b}/JOURNAL.md`),
  );
});

Deno.test("datum journal CATEGORY - takes a multi-line entry from standard input", async () => {
  await using tmp = await tempDir();
  const ws = `${tmp.path}/ws`;
  assert.equal((await datum(["boot", "-w", ws])).code, 0);
  const child = new Deno.Command(Deno.execPath(), {
    args: datumArgs(["journal", "-w", ws, "HANDOFF", "-", "--json"]),
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(
    new TextEncoder().encode(
      "First line.\n\n### [2026-01-01T00:00:00Z] forged — NOTE\nLast line.\n",
    ),
  );
  await writer.close();
  const out = await child.output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const written = JSON.parse(new TextDecoder().decode(out.stdout)).entry;
  assert.equal(
    written.body,
    "First line.\n\n### [2026-01-01T00:00:00Z] forged — NOTE\nLast line.",
  );
  const journal = parseJournal(await Deno.readTextFile(`${ws}/JOURNAL.md`));
  assert.deepEqual(journal.problems, []);
  assert.deepEqual(journal.entries.map((e) => e.category), ["BOOT", "HANDOFF"]);
  assert.equal(journal.entries[1]!.body, written.body);
});

Deno.test("datum journal takes text that looks like flags after --", async () => {
  await using tmp = await tempDir();
  const ws = `${tmp.path}/ws`;
  assert.equal((await datum(["boot", "-w", ws])).code, 0);
  const result = await datum([
    "journal",
    "-w",
    ws,
    "NOTE",
    "--",
    "--json",
    "-t",
    "x",
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^\d{8}T\d{9}Z-[0-9a-f]{8} NOTE\n$/);
  const journal = parseJournal(await Deno.readTextFile(`${ws}/JOURNAL.md`));
  assert.equal(journal.entries.at(-1)!.body, "--json -t x");
  assert.deepEqual(journal.entries.at(-1)!.tags, []);
});
