import assert from "node:assert/strict";
import {
  copyTree,
  datum,
  fixture,
  git,
  json,
  tempDir,
  vesselWithOrigin,
} from "./_helpers.ts";
import { dropBottle } from "../mib/post.ts";
import { openVessel } from "../workshop/vessel.ts";

const MIB = "message-in-a-bottle";

interface Entry {
  path: string;
  id?: string;
  from?: string;
  to?: string;
  date?: string;
  type?: string;
  subject: string;
  priority?: string;
  read: boolean;
  inferred: Record<string, string>;
  form: string;
  problem?: string;
}

interface Report {
  reader: string;
  total: number;
  unread: number;
  bottles: Entry[];
  sync?: { state: string };
}

/** Reads a bottle's header the way datum 0.3 did: a `---` block of `key: value` lines. */
function legacyHeader(text: string): Record<string, string> {
  assert.ok(text.startsWith("---\n"), "a 0.3 header starts with ---");
  const end = text.indexOf("\n---\n", 4);
  assert.notEqual(end, -1, "a 0.3 header ends with ---");
  const header: Record<string, string> = {};
  for (const line of text.slice(4, end).split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) {
      header[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
  }
  return header;
}

async function bootVessel(dir: string, name: string): Promise<string> {
  const path = `${dir}/${name}`;
  const booted = await datum(["boot", "-w", path, "--name", name]);
  assert.equal(booted.code, 0, booted.stderr);
  return path;
}

async function filesIn(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.endsWith(".md")) names.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names.sort();
}

function oneLineError(stderr: string): string {
  const lines = stderr.trim().split("\n");
  assert.equal(lines.length, 1, `one line expected, got: ${stderr}`);
  assert.match(lines[0]!, /^error: /);
  return lines[0]!;
}

Deno.test("bottle drop writes a bottle that datum 0.3's header rules read, and commits it", async () => {
  await using tmp = await tempDir();
  const alpha = await bootVessel(tmp.path, "alpha");
  const dropped = await datum([
    "bottle",
    "drop",
    "beta",
    "Handoff:",
    "ISA v3",
    "-w",
    alpha,
    "-t",
    "handoff",
    "--priority",
    "high",
    "--in-reply-to",
    "20261125T014748000Z-00000000",
    "-c",
    "Context for the successor: see TRAIL.md",
    "--json",
  ]);
  assert.equal(dropped.code, 0, dropped.stderr);
  const result = json<{ id: string; path: string; committed: boolean }>(
    dropped,
  );
  assert.match(result.id, /^\d{8}T\d{9}Z-[0-9a-f]{8}$/);
  assert.match(
    result.path,
    new RegExp(
      `^${MIB}/for-beta/\\d{4}-\\d{2}-\\d{2}_alpha_handoff-isa-v3-${
        result.id.slice(-8)
      }\\.md$`,
    ),
  );
  assert.equal(result.committed, true);
  const text = await Deno.readTextFile(`${alpha}/${result.path}`);
  const header = legacyHeader(text);
  assert.deepEqual(
    {
      ...header,
      date: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/.test(header.date ?? "")
        ? "0.3 form"
        : header.date,
    },
    {
      from: "alpha",
      to: "beta",
      date: "0.3 form",
      type: "handoff",
      subject: "Handoff: ISA v3",
      id: result.id,
      priority: "high",
      "in-reply-to": "20261125T014748000Z-00000000",
    },
  );
  assert.ok(
    text.includes(
      `\n\nContext for the successor: see TRAIL.md\n\n---\n\n*MiB v1.0 | alpha → beta | ${header.date}*\n`,
    ),
    text,
  );
  assert.equal(
    (await git(alpha, "log", "-1", "--format=%s%n%an")).trim(),
    "[I2I:HANDOFF] alpha:bottle — to beta: Handoff: ISA v3\nalpha",
  );
  assert.equal(
    (await git(alpha, "status", "--porcelain")).trim(),
    "",
    "nothing is left uncommitted",
  );
});

Deno.test("bottle check reads datum 0.3's bottles exactly and leaves out the agent's own broadcast", async () => {
  await using tmp = await tempDir();
  await copyTree(fixture("datum-py-0.3"), `${tmp.path}/v`);
  const checked = await datum([
    "bottle",
    "check",
    "-w",
    `${tmp.path}/v`,
    "--json",
  ]);
  assert.equal(checked.code, 0, checked.stderr);
  const report = json<Report>(checked);
  assert.equal(report.reader, "datum");
  assert.deepEqual(
    report.bottles.map((b) => [b.from, b.to, b.date, b.type, b.subject]),
    [
      [
        "oracle1",
        "datum",
        "2026-11-25 01:47:48 UTC",
        "question",
        "Fleet audit request",
      ],
      [
        "oracle1",
        "datum",
        "2026-11-25 01:47:48 UTC",
        "handoff",
        "Handoff: ISA v3",
      ],
    ].sort((a, b) => a[4]! < b[4]! ? -1 : 1),
  );
  assert.ok(
    report.bottles.every((b) => Object.keys(b.inferred).length === 0),
  );
  // oracle1 sees datum's broadcast.
  const other = json<Report>(
    await datum([
      "bottle",
      "check",
      "-w",
      `${tmp.path}/v`,
      "-s",
      "oracle1",
      "--json",
    ]),
  );
  assert.ok(other.bottles.some((b) => b.subject === "Fleet status"));
});

Deno.test("drops never overwrite: one subject, sender and second make distinct files", async () => {
  await using tmp = await tempDir();
  const alpha = await bootVessel(tmp.path, "alpha");
  const vessel = await openVessel(alpha);
  const now = new Date("2026-11-30T05:00:00.000Z");
  const draft = { to: "beta", subject: "Same", body: "one" };
  const first = await dropBottle(vessel, draft, { now, commit: false });
  const second = await dropBottle(vessel, { ...draft, body: "two" }, {
    now,
    commit: false,
  });
  assert.notEqual(first.path, second.path);
  assert.notEqual(first.id, second.id);
  assert.equal(first.id.slice(0, 19), second.id.slice(0, 19));
  const names = await filesIn(`${alpha}/${MIB}/for-beta`);
  assert.equal(names.length, 2);
  assert.ok(
    (await Deno.readTextFile(`${alpha}/${first.path}`)).includes("\none\n"),
  );
  assert.ok(
    (await Deno.readTextFile(`${alpha}/${second.path}`)).includes("\ntwo\n"),
  );
  // And through the CLI, as fast as it can go.
  const runs = await Promise.all(
    [1, 2, 3, 4].map(() =>
      datum(["bottle", "-w", alpha, "drop", "beta", "Same", "-c", "x"])
    ),
  );
  for (const run of runs) assert.equal(run.code, 0, run.stderr);
  assert.equal((await filesIn(`${alpha}/${MIB}/for-beta`)).length, 6);
});

Deno.test("bottle read marks read per reader; receipts are committed and survive", async () => {
  await using tmp = await tempDir();
  const beta = await bootVessel(tmp.path, "beta");
  // -w and -s before the subcommand, as in datum 0.3.
  const dropped = await datum([
    "bottle",
    "-w",
    beta,
    "-s",
    "alpha",
    "drop",
    "beta",
    "Hello",
    "-c",
    "First words",
    "--json",
  ]);
  assert.equal(dropped.code, 0, dropped.stderr);
  const { id } = json<{ id: string }>(dropped);
  const before = json<Report>(
    await datum(["bottle", "check", "-w", beta, "--json"]),
  );
  assert.deepEqual([before.total, before.unread, before.bottles[0]?.id], [
    1,
    1,
    id,
  ]);

  const read = await datum(["bottle", "read", id.slice(0, 20), "-w", beta]);
  assert.equal(read.code, 0, read.stderr);
  assert.match(read.stdout, /^From: {4}alpha\n/);
  assert.match(read.stdout, /\n\nFirst words\n$/);
  assert.equal(
    (await git(beta, "log", "-1", "--format=%s")).trim(),
    "[I2I:ACK] beta:read — Hello",
  );

  const after = json<Report>(
    await datum(["bottle", "-w", beta, "check", "--all", "--json"]),
  );
  assert.deepEqual([after.total, after.unread, after.bottles[0]?.read], [
    1,
    0,
    true,
  ]);
  assert.equal(
    json<Report>(await datum(["bottle", "check", "-w", beta, "--json"]))
      .bottles.length,
    0,
  );
  // -s names the acting agent: its own inbox and receipts.
  const gamma = json<Report>(
    await datum(["bottle", "check", "-w", beta, "-s", "gamma", "--json"]),
  );
  assert.deepEqual([gamma.reader, gamma.total], ["gamma", 0]);
  // --inbox names another agent's inbox, read with that agent's receipts.
  const inbox = json<Report>(
    await datum([
      "bottle",
      "check",
      "-w",
      beta,
      "-s",
      "gamma",
      "--inbox",
      "beta",
      "--all",
      "--json",
    ]),
  );
  assert.deepEqual([inbox.reader, inbox.total, inbox.unread], ["beta", 1, 0]);
  // A second read records nothing new.
  const again = await datum(["bottle", "read", id, "-w", beta, "--json"]);
  assert.equal(json<{ wasRead: boolean }>(again).wasRead, true);
  const receipts = await Deno.readTextFile(`${beta}/${MIB}/receipts/beta.log`);
  assert.equal(receipts.trim().split("\n").length, 1);
  assert.match(
    receipts,
    new RegExp(`^\\d{4}-\\d{2}-\\d{2}T[^\\t]+Z\\t${id}\\n$`),
  );
  // A successor's clone knows what was read.
  await git(tmp.path, "clone", "-q", beta, `${tmp.path}/successor`);
  const successor = json<Report>(
    await datum(["bottle", "check", "-w", `${tmp.path}/successor`, "--json"]),
  );
  assert.deepEqual([successor.total, successor.unread], [1, 0]);
});

Deno.test("bottle rejects bad input with one line, the right exit code, and no file", async (t) => {
  await using tmp = await tempDir();
  const beta = await bootVessel(tmp.path, "beta");
  const cases: [string, string[], number, RegExp, (string | Uint8Array)?][] = [
    [
      "a recipient with /",
      ["drop", "a/b", "Hi", "-c", "x"],
      2,
      /path separator/,
    ],
    ["a recipient ..", ["drop", "..", "Hi", "-c", "x"], 2, /"\.\."/],
    [
      "a recipient with a control character",
      ["drop", "be\u0001ta", "Hi", "-c", "x"],
      2,
      /control character/,
    ],
    [
      "a sender with ..",
      ["drop", "gamma", "Hi", "-s", "x..y", "-c", "x"],
      2,
      /Invalid sender name/,
    ],
    [
      "a subject that slugs to nothing",
      ["drop", "gamma", "!!!", "-c", "x"],
      2,
      /no letter or digit/,
    ],
    [
      "an unknown type",
      ["drop", "gamma", "Hi", "-t", "memo", "-c", "x"],
      2,
      /does not accept "memo"/,
    ],
    [
      "binary content",
      ["drop", "gamma", "Hi"],
      3,
      /NUL bytes/,
      new Uint8Array([0x68, 0x00, 0x69]),
    ],
    [
      "content that is not UTF-8",
      ["drop", "gamma", "Hi"],
      3,
      /not valid UTF-8/,
      new Uint8Array([0xff, 0xfe, 0x41]),
    ],
    [
      "content over 1 MiB",
      ["drop", "gamma", "Hi"],
      3,
      /over the limit of 1048576/,
      "x".repeat(1024 * 1024 + 1),
    ],
    ["empty content", ["drop", "gamma", "Hi"], 2, /content is empty/, ""],
    [
      "a file outside the inbox",
      ["read", "../../../etc/passwd"],
      4,
      /is not a bottle in beta's inbox/,
    ],
    ["a vessel document", ["read", "SEED.md"], 4, /is not a bottle/],
    [
      "an unknown id",
      ["read", "20991231T000000000Z-00000000"],
      4,
      /is not a bottle/,
    ],
    ["an unknown subcommand", ["chek"], 2, /did you mean `datum bottle check`/],
  ];
  for (const [name, args, code, message, stdin] of cases) {
    await t.step(name, async () => {
      const run = await datum(["bottle", "-w", beta, ...args], {
        ...(stdin === undefined ? {} : { stdin }),
        cwd: beta,
      });
      assert.equal(run.code, code, run.stderr);
      assert.match(oneLineError(run.stderr), message);
      assert.equal(run.stdout, "");
    });
  }
  await t.step("no file was written, nothing committed", async () => {
    const folders: string[] = [];
    for await (const entry of Deno.readDir(`${beta}/${MIB}`)) {
      folders.push(entry.name);
    }
    assert.deepEqual(folders.sort(), ["for-any-vessel", "for-beta"]);
    assert.deepEqual(await filesIn(`${beta}/${MIB}/for-beta`), []);
    assert.equal((await git(beta, "status", "--porcelain")).trim(), "");
    assert.equal(
      (await git(beta, "rev-list", "--count", "HEAD")).trim(),
      "1",
    );
  });
  await t.step(
    "front matter that never closes: listed with a warning, read refused",
    async () => {
      await Deno.writeTextFile(
        `${beta}/${MIB}/for-beta/broken.md`,
        "---\nfrom: alpha\nsubject: Never closed\nNo end here: really\n",
      );
      const check = await datum(["bottle", "check", "-w", beta]);
      assert.equal(check.code, 0, check.stderr);
      assert.match(check.stdout, /broken\.md/);
      assert.match(
        check.stderr,
        /warning: .*broken\.md: its front matter .* never closes/,
      );
      const read = await datum(["bottle", "read", "broken.md", "-w", beta]);
      assert.equal(read.code, 3);
      assert.match(oneLineError(read.stderr), /never closes/);
      assert.equal(
        await Deno.stat(`${beta}/${MIB}/receipts/beta.log`).catch(() => null),
        null,
        "no receipt for a bottle that could not be read",
      );
    },
  );
  await t.step(
    "a bottle file over 1 MiB is listed with a warning, never read",
    async () => {
      await Deno.writeTextFile(
        `${beta}/${MIB}/for-beta/huge.md`,
        `# Huge\n\n${"y".repeat(1024 * 1024 + 10)}`,
      );
      const check = await datum(["bottle", "check", "-w", beta, "--json"]);
      const huge = json<Report>(check).bottles.find((b) =>
        b.path.endsWith("huge.md")
      );
      assert.match(huge?.problem ?? "", /over the limit/);
      const read = await datum(["bottle", "read", "huge.md", "-w", beta]);
      assert.equal(read.code, 3);
      assert.match(oneLineError(read.stderr), /over the limit of 1048576/);
    },
  );
});

Deno.test("bottle check reads every hand-written fleet form and says what it inferred", async () => {
  await using tmp = await tempDir();
  const nav = await bootVessel(tmp.path, "navigator");
  const files: Record<string, string> = {
    // Title and bold fields, colon outside the bold, two trailing spaces.
    "for-navigator/route-tables.md":
      "# [I2I:BOTTLE] Cartographer → Navigator — Re: route tables\n\n" +
      "**From**: 🧭 Cartographer (chart room)  \n**Date**: 2026-04-19 12:51 UTC  \n" +
      "**Priority:** HIGH\n\n---\n\nThe tables are in CONTEXT/routes.md.\n",
    // I2I plain text.
    "for-fleet/drill.md":
      "[I2I:BOTTLE] Lighthouse → Fleet\nSubject: Fog drill at dawn\nContent:\nAll hands.\n",
    // Free markdown: only a title; the sender comes from git.
    "for-navigator/weekly.md": "# Weekly status — 2026-05-05\n\nQuiet week.\n",
    // Loose root file naming sender and recipient.
    "BOTTLE-FROM-ORACLE1-TO-NAVIGATOR-2026-04-20-audit-results.md":
      "# Audit results\n\nAll green.\n",
  };
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(`${nav}/${path}`.replace(/\/[^/]*$/, ""), {
      recursive: true,
    });
    await Deno.writeTextFile(`${nav}/${path}`, text);
  }
  await git(nav, "add", ".");
  await git(
    nav,
    "-c",
    "user.name=cartographer",
    "-c",
    "user.email=c@example.invalid",
    "commit",
    "-q",
    "-m",
    "bottles by hand",
  );
  const run = await datum(["bottle", "check", "-w", nav, "--json"]);
  assert.equal(run.code, 0, run.stderr);
  const byPath = new Map(json<Report>(run).bottles.map((b) => [b.path, b]));
  const pick = (path: string): unknown => {
    const b = byPath.get(path);
    return b &&
      [b.form, b.from, b.to, b.date, b.priority, b.subject, b.inferred];
  };
  assert.deepEqual(pick("for-navigator/route-tables.md"), [
    "bold-fields",
    "🧭 Cartographer (chart room)",
    "Navigator",
    "2026-04-19 12:51 UTC",
    "high",
    "Re: route tables",
    {},
  ]);
  assert.deepEqual(pick("for-fleet/drill.md"), [
    "i2i-text",
    "Lighthouse",
    "Fleet",
    undefined,
    undefined,
    "Fog drill at dawn",
    {},
  ]);
  assert.deepEqual(pick("for-navigator/weekly.md"), [
    "free",
    "cartographer",
    "navigator",
    "2026-05-05",
    undefined,
    "Weekly status — 2026-05-05",
    { from: "git", to: "folder", date: "title", subject: "title" },
  ]);
  assert.deepEqual(
    pick("BOTTLE-FROM-ORACLE1-TO-NAVIGATOR-2026-04-20-audit-results.md"),
    [
      "free",
      "ORACLE1",
      "NAVIGATOR",
      "2026-04-20",
      undefined,
      "Audit results",
      {
        from: "file-name",
        to: "file-name",
        date: "file-name",
        subject: "title",
      },
    ],
  );
  assert.equal(byPath.size, 4);
});

Deno.test("bottle check pulls new bottles from the vessel's own remote first", async () => {
  await using tmp = await tempDir();
  const { path: scout, origin } = await vesselWithOrigin(tmp.path, "scout");
  const other = `${tmp.path}/other`;
  await git(tmp.path, "clone", "-q", origin, other);
  const dropped = await datum([
    "bottle",
    "drop",
    "scout",
    "From the other clone",
    "-w",
    other,
    "-s",
    "navigator",
    "-c",
    "Pushed while you slept",
  ]);
  assert.equal(dropped.code, 0, dropped.stderr);
  await git(other, "push", "-q", "origin", "HEAD:main");
  const check = json<Report>(
    await datum(["bottle", "check", "-w", scout, "--json"]),
  );
  assert.equal(check.sync?.state, "fast-forward");
  assert.deepEqual(check.bottles.map((b) => [b.from, b.subject]), [[
    "navigator",
    "From the other clone",
  ]]);
  const offline = json<Report>(
    await datum(["bottle", "check", "-w", scout, "--no-pull", "--json"]),
  );
  assert.equal(offline.sync, undefined);
});

Deno.test("the inbox index follows new, removed and damaged files", async () => {
  await using tmp = await tempDir();
  const beta = await bootVessel(tmp.path, "beta");
  const inbox = `${beta}/${MIB}/for-beta`;
  await Deno.writeTextFile(`${inbox}/one.md`, "# One\n\nfirst\n");
  const count = async (): Promise<string[]> =>
    json<Report>(
      await datum(["bottle", "check", "-w", beta, "--no-pull", "--json"]),
    ).bottles.map((b) => b.subject).sort();
  assert.deepEqual(await count(), ["One"]);
  await Deno.writeTextFile(`${inbox}/two.md`, "# Two\n\nsecond\n");
  assert.deepEqual(await count(), ["One", "Two"]);
  await Deno.remove(`${inbox}/one.md`);
  assert.deepEqual(await count(), ["Two"]);
  await Deno.writeTextFile(`${beta}/.datum/cache/mib/beta.json`, "{not json");
  assert.deepEqual(await count(), ["Two"]);
  // Folders older than a second are trusted while their mtime holds: make them
  // old, so the next checks take the path that lists nothing.
  const age = async (): Promise<void> => {
    const hourAgo = new Date(Date.now() - 3600_000);
    for (
      const dir of [
        beta,
        `${beta}/${MIB}`,
        inbox,
        `${beta}/${MIB}/for-any-vessel`,
      ]
    ) {
      await Deno.utime(dir, hourAgo, hourAgo);
    }
  };
  await age();
  assert.deepEqual(await count(), ["Two"]);
  const index = await Deno.readTextFile(`${beta}/.datum/cache/mib/beta.json`);
  assert.match(index, /"message-in-a-bottle\/for-beta":\{"mtime":\d+/);
  await Deno.writeTextFile(`${inbox}/three.md`, "# Three\n\nthird\n");
  assert.deepEqual(await count(), ["Three", "Two"]);
  await age();
  assert.deepEqual(await count(), ["Three", "Two"]);
  // Nothing changed: the answer comes from the index, which is not rewritten.
  const saved = (await Deno.stat(`${beta}/.datum/cache/mib/beta.json`)).mtime;
  assert.deepEqual(await count(), ["Three", "Two"]);
  assert.deepEqual(
    (await Deno.stat(`${beta}/.datum/cache/mib/beta.json`)).mtime,
    saved,
  );
  await Deno.remove(`${inbox}/two.md`);
  assert.deepEqual(await count(), ["Three"]);
  // The cache never shows up in git.
  assert.doesNotMatch(await git(beta, "status", "--porcelain"), /\.datum/);
});

Deno.test("broadcast: the shortcut and the subcommand write to for-any-vessel/", async () => {
  await using tmp = await tempDir();
  const alpha = await bootVessel(tmp.path, "alpha");
  const short = await datum([
    "broadcast",
    "Fleet status",
    "-w",
    alpha,
    "-t",
    "signal",
    "-c",
    "All systems nominal",
    "--json",
  ]);
  assert.equal(short.code, 0, short.stderr);
  const long = await datum(
    ["bottle", "-w", alpha, "broadcast", "Second", "--json"],
    { stdin: "from stdin\n" },
  );
  assert.equal(long.code, 0, long.stderr);
  const paths = [json<{ path: string }>(short), json<{ path: string }>(long)]
    .map((r) => r.path);
  for (const path of paths) {
    assert.match(path, /^message-in-a-bottle\/for-any-vessel\//);
  }
  const text = await Deno.readTextFile(`${alpha}/${paths[0]}`);
  assert.equal(legacyHeader(text).to, "any-vessel");
  assert.ok(text.includes("*MiB v1.0 | alpha → fleet | "));
  assert.equal(
    (await git(alpha, "log", "-2", "--format=%s")).trim(),
    "[I2I:BROADCAST] alpha:bottle — to the fleet: Second\n" +
      "[I2I:SIGNAL] alpha:bottle — to the fleet: Fleet status",
  );
  // The sender's own broadcasts are its outbox, not its inbox; others see them.
  const own = json<Report>(
    await datum(["bottle", "check", "-w", alpha, "--json"]),
  );
  assert.equal(own.total, 0);
  const beta = json<Report>(
    await datum(["bottle", "check", "-w", alpha, "-s", "beta", "--json"]),
  );
  assert.equal(beta.total, 2);
});

Deno.test("bottle summary counts by sender, type and priority", async () => {
  await using tmp = await tempDir();
  const beta = await bootVessel(tmp.path, "beta");
  for (
    const [sender, type, priority] of [
      ["alpha", "question", "high"],
      ["alpha", "alert", "high"],
      ["gamma", "question", undefined],
    ] as const
  ) {
    const run = await datum([
      "bottle",
      "drop",
      "beta",
      `${type} from ${sender}`,
      "-w",
      beta,
      "-s",
      sender,
      "-t",
      type,
      ...(priority ? ["--priority", priority] : []),
      "-c",
      "body",
      "--no-commit",
    ]);
    assert.equal(run.code, 0, run.stderr);
  }
  const summary = json<{
    total: number;
    unread: number;
    senders: Record<string, { total: number; unread: number }>;
    unreadByType: Record<string, number>;
    unreadByPriority: Record<string, number>;
    newestUnread: Entry[];
  }>(await datum(["bottle", "summary", "-w", beta, "--json"]));
  assert.deepEqual(
    [
      summary.total,
      summary.unread,
      summary.senders,
      summary.unreadByType,
      summary.unreadByPriority,
      summary.newestUnread.length,
    ],
    [
      3,
      3,
      { alpha: { total: 2, unread: 2 }, gamma: { total: 1, unread: 1 } },
      { question: 2, alert: 1 },
      { high: 2, none: 1 },
      3,
    ],
  );
  const text = await datum(["bottle", "summary", "-w", beta]);
  assert.match(text.stdout, /^beta: 3 bottle\(s\), 3 unread\n/);
  assert.match(text.stdout, /from alpha: 2 unread of 2/);
});
