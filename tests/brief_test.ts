import assert from "node:assert/strict";
import { countTokens } from "gpt-tokenizer/o200k-base";
import { formatJournalEntry } from "../workshop/journal.ts";
import { datum, git, json, tempDir, vesselWithOrigin } from "./_helpers.ts";

interface BriefJson {
  journal: { body: string }[];
  trail: string[];
  identity: string;
  budget: {
    limit: number;
    tokens: number;
    exact: boolean;
    tokenizer: string;
    dropped: string[];
  };
}

async function busyVessel(dir: string): Promise<void> {
  assert.equal((await datum(["boot", "-w", dir, "--name", "scout"])).code, 0);
  const entries: string[] = [];
  for (let i = 1; i <= 40; i++) {
    entries.push(
      `\n### [2026-11-29T10:${
        String(i).padStart(2, "0")
      }:00Z] scout — NOTE\n\n` +
        `Entry ${i}: ${
          "observations about the fleet and its repositories ".repeat(8)
        }\n\n---\n`,
    );
  }
  await Deno.writeTextFile(`${dir}/JOURNAL.md`, entries.join(""), {
    append: true,
  });
  const trail = Array.from(
    { length: 40 },
    (_, i) => `- [2026-11-29T10:00:00Z] scout: step — did thing ${i + 1}\n`,
  );
  await Deno.writeTextFile(`${dir}/TRAIL.md`, trail.join(""), { append: true });
  await git(dir, "commit", "-qam", "history");
}

Deno.test("datum brief --budget fits the budget in real o200k_base tokens and says what it dropped", async () => {
  await using tmp = await tempDir();
  const ws = `${tmp.path}/ws`;
  await busyVessel(ws);
  const full = await datum(["brief", "-w", ws]);
  assert.equal(full.code, 0);
  const fullTokens = countTokens(full.stdout);
  assert.ok(fullTokens > 1200, `full brief is ${fullTokens} tokens`);

  const result = await datum(["brief", "-w", ws, "--budget", "700"]);
  assert.equal(result.code, 0, result.stderr);
  const markdown = result.stdout.trimEnd();
  const tokens = countTokens(result.stdout);
  assert.ok(tokens <= 700, `brief holds ${tokens} tokens`);
  const footer = markdown.split("\n").at(-1)!;
  assert.match(
    footer,
    new RegExp(`^_${tokens} of 700 o200k_base tokens; dropped to fit: `),
  );
  assert.match(footer, /\d+ of 10 trail entries \(oldest first\)/);
  // The most important parts stay.
  assert.match(markdown, /^# Succession brief: scout/);
  assert.match(markdown, /## Next actions/);
  // The newest journal entry outlives the oldest ones.
  const b = json<BriefJson>(
    await datum(["brief", "-w", ws, "--budget", "700", "--json"]),
  );
  assert.equal(b.budget.limit, 700);
  assert.equal(b.budget.tokenizer, "o200k_base");
  assert.equal(b.budget.tokens, tokens);
  assert.equal(b.budget.exact, true);
  assert.equal(b.trail.length, 0);
  if (b.journal.length) assert.match(b.journal.at(-1)!.body, /^Entry 40:/);
  assert.ok(b.budget.dropped.length >= 1);
});

Deno.test("datum brief --budget skips the tokenizer when the bytes already fit, and says so", async () => {
  await using tmp = await tempDir();
  const ws = `${tmp.path}/ws`;
  assert.equal((await datum(["boot", "-w", ws])).code, 0);
  const result = await datum(["brief", "-w", ws, "--budget", "8000"]);
  assert.equal(result.code, 0);
  const bytes = new TextEncoder().encode(result.stdout).length;
  assert.ok(bytes < 8000);
  assert.match(
    result.stdout.trimEnd(),
    new RegExp(
      `_At most ${bytes} of 8000 o200k_base tokens \\(one per byte at most\\); nothing dropped\\._$`,
    ),
  );
  // The bound holds: the real count is never above it.
  assert.ok(countTokens(result.stdout) <= bytes);
  const b = json<BriefJson>(
    await datum(["brief", "-w", ws, "--budget", "8000", "--json"]),
  );
  assert.deepEqual([b.budget.tokens, b.budget.exact, b.budget.dropped], [
    bytes,
    false,
    [],
  ]);
});

Deno.test("datum brief --budget too small for the essentials fails and names the minimum", async () => {
  await using tmp = await tempDir();
  const ws = `${tmp.path}/ws`;
  assert.equal((await datum(["boot", "-w", ws])).code, 0);
  const result = await datum(["brief", "-w", ws, "--budget", "20"]);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, "");
  assert.match(
    result.stderr,
    /^error: Cannot fit the brief in 20 tokens: its essentials alone take \d+; raise --budget to at least \d+\n$/,
  );
  assert.equal((await datum(["brief", "-w", ws, "--budget", "0"])).code, 2);
});

Deno.test("datum resume shows the last entries, task counts and suggestions", async () => {
  await using tmp = await tempDir();
  const ws = `${tmp.path}/ws`;
  assert.equal((await datum(["boot", "-w", ws, "--name", "scout"])).code, 0);
  assert.equal(
    (await datum([
      "journal",
      "-w",
      ws,
      "PLAN",
      "Map the fleet next",
      "--commit",
    ])).code,
    0,
  );
  const result = await datum(["resume", "-w", ws]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^Resume: scout\n/);
  assert.match(
    result.stdout,
    /Last journal entry: \S+ PLAN: Map the fleet next/,
  );
  assert.match(
    result.stdout,
    /Trail: .* scout: journal — PLAN: Map the fleet next/,
  );
  assert.match(result.stdout, /Suggestions:\n {2}1\. /);
  const r = json<
    {
      lastJournal: { category: string };
      lastTrail: string[];
      suggestions: string[];
    }
  >(
    await datum(["resume", "-w", ws, "--json"]),
  );
  assert.equal(r.lastJournal.category, "PLAN");
  assert.equal(r.lastTrail.length, 2);
  assert.ok(r.suggestions.length >= 1);
});

Deno.test("datum status --json reports git state and the journal's size", async () => {
  await using tmp = await tempDir();
  const { path: ws } = await vesselWithOrigin(tmp.path, "ws");
  assert.equal(
    (await datum(["journal", "-w", ws, "NOTE", "one", "--commit"])).code,
    0,
  );
  assert.equal((await datum(["journal", "-w", ws, "NOTE", "two"])).code, 0);
  const result = await datum(["status", "-w", ws, "--json"]);
  assert.equal(result.code, 0);
  const s = json<{
    valid: boolean;
    git: {
      branch: string;
      upstream: string;
      ahead: number;
      uncommitted: string[];
    };
    journal: { entries: number; bytes: number };
  }>(result);
  assert.equal(s.valid, true);
  assert.deepEqual([
    s.git.branch,
    s.git.upstream,
    s.git.ahead,
    s.git.uncommitted,
  ], ["main", "origin/main", 1, ["JOURNAL.md"]]);
  assert.equal(s.journal.entries, 3);
  assert.equal(s.journal.bytes, (await Deno.stat(`${ws}/JOURNAL.md`)).size);
  const human = await datum(["status", "-w", ws]);
  assert.match(
    human.stdout,
    /Git: branch main; upstream origin\/main, 1 unpushed, 0 behind; 1 uncommitted/,
  );
  assert.match(human.stdout, /Journal: 3 entries, /);
});

Deno.test("datum brief prints a brief far larger than a pipe's buffer whole", async () => {
  await using tmp = await tempDir();
  const ws = `${tmp.path}/ws`;
  assert.equal((await datum(["boot", "-w", ws])).code, 0);
  const entries = Array.from({ length: 3000 }, (_, i) =>
    formatJournalEntry({
      category: "NOTE",
      body: `Entry ${i}: ${"a long observation about the fleet ".repeat(4)}`,
      author: "agent",
      now: new Date(Date.UTC(2026, 10, 29, 0, 0, i)),
    }));
  await Deno.writeTextFile(`${ws}/JOURNAL.md`, entries.join(""), {
    append: true,
  });
  const result = await datum([
    "brief",
    "-w",
    ws,
    "--journal",
    "5000",
    "--json",
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.ok(result.stdout.length > 1_000_000);
  const b = json<BriefJson>(result);
  assert.equal(b.journal.length, 3001);
  assert.match(b.journal.at(-1)!.body, /^Entry 2999: /);
});
