import assert from "node:assert/strict";
import { DatumError } from "../core/errors.ts";
import {
  appendJournal,
  formatJournalEntry,
  JOURNAL_HEADER,
  type JournalEntry,
  type NewJournalEntry,
  parseJournal,
} from "./journal.ts";

const NOW = new Date("2026-11-30T03:40:00.123Z");
const ID = "20261130T034000123Z-9f3a1c0b";

function fixture(name: string): Promise<string> {
  return Deno.readTextFile(new URL(`./testdata/${name}`, import.meta.url));
}

function entry(overrides: Partial<NewJournalEntry> = {}): NewJournalEntry {
  return {
    category: "NOTE",
    body: "Found 3 repos needing attention",
    author: "datum",
    now: NOW,
    id: ID,
    ...overrides,
  };
}

Deno.test("formatJournalEntry() writes 0.3's form A with an integrity marker", () => {
  // Sums computed independently with Python's FNV-1a over the UTF-8 canonical text.
  assert.equal(
    formatJournalEntry(entry({ tags: ["urgent", "fleet"] })),
    "\n### [2026-11-30T03:40:00.123Z] datum — NOTE\n\n" +
      "Found 3 repos needing attention\n\n" +
      "`urgent` `fleet`\n\n" +
      "<!-- datum:entry id=20261130T034000123Z-9f3a1c0b sum=bf962367 -->\n\n" +
      "---\n",
  );
  assert.equal(
    formatJournalEntry(entry({ body: "  Über 🚀 naïve — ok\n" })),
    "\n### [2026-11-30T03:40:00.123Z] datum — NOTE\n\n" +
      "Über 🚀 naïve — ok\n\n" +
      "<!-- datum:entry id=20261130T034000123Z-9f3a1c0b sum=90cfc54f -->\n\n" +
      "---\n",
  );
});

Deno.test("parseJournal() reads datum 0.3's form A and ignores its empty entry", async () => {
  const journal = parseJournal(await fixture("journal_0.3.md"));
  assert.deepEqual(journal.problems, []);
  assert.deepEqual(
    journal.entries,
    [
      {
        id: undefined,
        time: "2026-11-30T02:40:37.003559+00:00",
        author: "datum-fa2490",
        category: "NOTE",
        body: "Found 3 repos needing attention",
        tags: ["urgent"],
        form: "0.3",
        line: 5,
      },
      {
        id: undefined,
        time: "2026-11-30T02:40:37.252248+00:00",
        author: "datum-842ed2",
        category: "TASK",
        body: "Completed flux conformance audit",
        tags: [],
        form: "0.3",
        line: 17,
      },
    ] satisfies JournalEntry[],
  );
});

Deno.test("parseJournal() reads headings with an en dash or a hyphen", () => {
  const text = "### [2026-11-30T02:40:37Z] agent-1 – NOTE\n\none\n\n---\n\n" +
    "### [2026-11-30T02:40:38Z] agent-2 - A - B\n\ntwo\n\n`x` `y/z`\n\n---\n";
  const { entries, problems } = parseJournal(text);
  assert.deepEqual(problems, []);
  assert.deepEqual(entries.map((e) => [e.author, e.category, e.body, e.tags]), [
    ["agent-1", "NOTE", "one", []],
    ["agent-2", "A - B", "two", ["x", "y/z"]],
  ]);
});

Deno.test("parseJournal() reads datum 0.3's boot form", async () => {
  const journal = parseJournal(await fixture("journal_0.3_boot.md"));
  assert.deepEqual(journal.problems, []);
  const boot = (
    category: string,
    body: string,
    line: number,
  ): JournalEntry => ({
    id: undefined,
    time: "2026-11-30T02:40:27Z",
    author: undefined,
    category,
    body,
    tags: [],
    form: "0.3-boot",
    line,
  });
  assert.deepEqual(journal.entries, [
    boot("ONBOARD", "Running standalone (Keeper not reachable)", 5),
    boot("ACTIVATE", "Agent activated as datum", 9),
    boot(
      "BOOT",
      "datum-runtime v0.2.0 booted successfully.\n\n- Agent: datum\n- State: active\n" +
        "- Workshop: ./workshop\n- Keeper: http://localhost:7742\n" +
        "- Capabilities: audit, analyze, journal, report, cross-repo",
      14,
    ),
  ]);
});

Deno.test("parseJournal() gives back exactly what formatJournalEntry() wrote", async (t) => {
  const cases: [string, NewJournalEntry][] = [
    ["plain", entry()],
    ["tags", entry({ tags: ["urgent", "fleet/scan", "v0.4:rc-1_x"] })],
    [
      "unicode",
      entry({
        body: "Grüße 👋🏽 from 東京\n\n— an em dash line",
        category: "Ünïcode",
      }),
    ],
    [
      "forged headings and markers",
      entry({
        body:
          "before\n### [2026-12-01T00:00:00Z] mallory — ADMIN\n## [2026-12-01T00:00:00Z] BOOT\n" +
          "\\### [already escaped]\n\\\\## [twice]\n<!-- datum:entry id=x sum=00000000 -->\n" +
          "---\n\nafter",
        tags: ["x"],
      }),
    ],
    [
      "a last line that looks like tags, without tags",
      entry({ body: "Run this:\n\n`deno`" }),
    ],
    [
      "a last line that looks like tags, with tags",
      entry({ body: "Run:\n\n`deno`", tags: ["a"] }),
    ],
    ["CRLF line ends", entry({ body: "one\r\ntwo\r\n" })],
    [
      "a category with dashes",
      entry({ category: "A — B - C", author: "bot - 7" }),
    ],
  ];
  for (const [name, input] of cases) {
    await t.step(name, () => {
      const text = JOURNAL_HEADER + formatJournalEntry(input);
      const { entries, problems } = parseJournal(text);
      assert.deepEqual(problems, []);
      assert.equal(entries.length, 1);
      const [got] = entries;
      assert.equal(got?.form, "datum");
      assert.equal(got?.id, ID);
      assert.equal(got?.time, NOW.toISOString());
      assert.equal(got?.author, input.author.trim());
      assert.equal(got?.category, input.category.trim());
      assert.equal(got?.body, input.body.replaceAll("\r\n", "\n").trim());
      assert.deepEqual(got?.tags, [...(input.tags ?? [])]);
      assert.equal(got?.line, 5);
    });
  }
  await t.step("CRLF files", () => {
    const text = (JOURNAL_HEADER + formatJournalEntry(entry({ tags: ["a"] })))
      .replaceAll(
        "\n",
        "\r\n",
      );
    const { entries, problems } = parseJournal(text);
    assert.deepEqual(problems, []);
    assert.equal(entries[0]?.body, "Found 3 repos needing attention");
  });
});

Deno.test("parseJournal() leaves out an entry that fails its checksum", () => {
  const first = formatJournalEntry(entry({ id: "a-1" }));
  const second = formatJournalEntry(entry({ id: "a-2", body: "Paid 10 EUR" }));
  const third = formatJournalEntry(entry({ id: "a-3" }));
  const text = JOURNAL_HEADER + first + second.replace("10 EUR", "10000 EUR") +
    third;
  const { entries, problems } = parseJournal(text);
  assert.deepEqual(entries.map((e) => e.id), ["a-1", "a-3"]);
  assert.deepEqual(problems, [{
    line: 13,
    message: "entry at line 13 fails its checksum: torn or edited",
  }]);
});

Deno.test("parseJournal() leaves out a torn last entry", async (t) => {
  const whole = JOURNAL_HEADER + formatJournalEntry(entry({ id: "a-1" }));
  const next = formatJournalEntry(entry({ id: "a-2", tags: ["t"] }));
  await t.step("torn in the body", () => {
    const { entries, problems } = parseJournal(
      whole + next.slice(0, next.indexOf("repos")),
    );
    assert.deepEqual(entries.map((e) => e.id), ["a-1"]);
    assert.deepEqual(problems, [{
      line: 13,
      message: "entry at line 13 is incomplete: torn append",
    }]);
  });
  await t.step("torn in the marker", () => {
    const { entries, problems } = parseJournal(
      whole + next.slice(0, next.indexOf("sum=")),
    );
    assert.deepEqual(entries.map((e) => e.id), ["a-1"]);
    assert.deepEqual(problems, [{
      line: 13,
      message:
        "entry at line 13 has a malformed integrity marker: torn or edited",
    }]);
  });
  await t.step("torn after the heading", () => {
    const { entries, problems } = parseJournal(
      whole + next.slice(0, next.indexOf("\n\n", 2)),
    );
    assert.deepEqual(entries.map((e) => e.id), ["a-1"]);
    assert.equal(problems.length, 1);
  });
  await t.step("torn before the separator is still whole", () => {
    const { entries, problems } = parseJournal(
      whole + next.slice(0, next.indexOf("---")),
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(entries.map((e) => e.id), ["a-1", "a-2"]);
  });
  await t.step("a 0.3 entry without its separator", async () => {
    const text = (await fixture("journal_0.3.md")).trimEnd().replace(
      /---$/,
      "",
    );
    const { entries, problems } = parseJournal(text);
    assert.deepEqual(entries.map((e) => e.category), ["NOTE"]);
    assert.deepEqual(problems, [{
      line: 17,
      message: "entry at line 17 is incomplete: torn append",
    }]);
  });
  await t.step("a torn entry that a later append hid is kept and named", () => {
    const torn = next.slice(0, next.indexOf("repos"));
    const { entries, problems } = parseJournal(
      whole + torn + formatJournalEntry(entry()),
    );
    assert.deepEqual(entries.map((e) => e.form), ["datum", "0.3", "datum"]);
    assert.deepEqual(problems, [{
      line: 13,
      message: 'entry at line 13 does not end with "---": it may be torn',
    }]);
  });
});

Deno.test("parseJournal() reads both entries when a union merge dropped the separator", () => {
  const a = formatJournalEntry(
    entry({ id: "a-1", body: "from clone A", tags: ["a"] }),
  );
  const b = formatJournalEntry(entry({ id: "b-1", body: "from clone B" }));
  const merged = JOURNAL_HEADER + a.slice(0, a.lastIndexOf("\n---\n")) + b;
  assert.equal(merged.split("\n---\n").length, 2);
  const { entries, problems } = parseJournal(merged);
  assert.deepEqual(problems, []);
  assert.deepEqual(entries.map((e) => [e.id, e.body, e.tags]), [
    ["a-1", "from clone A", ["a"]],
    ["b-1", "from clone B", []],
  ]);
  const tight = JOURNAL_HEADER + a.slice(0, a.lastIndexOf("-->") + 4) +
    b.slice(1);
  assert.equal(parseJournal(tight).entries.length, 2);
  assert.deepEqual(parseJournal(tight).problems, []);
});

Deno.test("parseJournal() names the entries that git's union merge interleaved", () => {
  // What `git merge` with `merge=union` made of two clones that each appended an
  // entry with the same body: the shared lines are kept once, between both headings
  // and both markers. Neither entry can be trusted; both are named, none is invented.
  const a = formatJournalEntry(
    entry({ id: "a-1", body: "same body", tags: ["x"] }),
  );
  const b = formatJournalEntry(
    entry({ id: "b-1", body: "same body", tags: ["x"], author: "other" }),
  );
  const heading = (text: string): string => text.split("\n")[1]!;
  const marker = (text: string): string => text.split("\n").at(-4)!;
  const merged =
    `${JOURNAL_HEADER}\n${heading(a)}\n${heading(b)}\n\nsame body\n\n` +
    `\`x\`\n\n${marker(a)}\n${marker(b)}\n\n---\n`;
  const { entries, problems } = parseJournal(merged);
  assert.deepEqual(entries, []);
  assert.deepEqual(problems.map((p) => p.line), [5, 6, 13]);
  assert.match(
    problems[0]!.message,
    /is empty and does not end with "---": ignored/,
  );
  assert.match(problems[1]!.message, /fails its checksum/);
  assert.match(problems[2]!.message, /unexpected text at line 13/);
});

Deno.test("parseJournal() reports odd text instead of throwing", () => {
  const dup = formatJournalEntry(entry({ id: "d-1" }));
  const text = "# Journal\n\n## [Unreleased]\n\n### [not a time] x — Y\n\n" +
    "### [2026-11-30T00:00:00Z] no author here\n\nbody\n\n---\n" + dup + dup +
    "stray text\n" + "<!-- datum:entry garbage -->\n\0\u{fffe}\n### [";
  const { entries, problems } = parseJournal(text);
  assert.deepEqual(entries.map((e) => [e.form, e.author, e.category]), [
    ["0.3", undefined, "no author here"],
    ["datum", "datum", "NOTE"],
  ]);
  assert.deepEqual(problems.map((p) => p.line), [7, 21, 28]);
  assert.match(problems[0]!.message, /names no author/);
  assert.match(
    problems[1]!.message,
    /repeats the id "d-1" of the entry at line 13: ignored/,
  );
  assert.match(
    problems[2]!.message,
    /unexpected text at line 28 after the entry at line 21: ignored/,
  );
  assert.deepEqual(parseJournal(""), { entries: [], problems: [] });
});

Deno.test("formatJournalEntry() and appendJournal() reject bad input with exit code 2", async (t) => {
  const bad: [string, Partial<NewJournalEntry>][] = [
    ["a multi-line category", { category: "NOTE\nEVIL" }],
    ["an empty category", { category: "  " }],
    ["a tag with a space", { tags: ["ok", "two words"] }],
    ["a tag with a backtick", { tags: ["a`b"] }],
    ["an author with an em dash", { author: "a — b" }],
    ["a multi-line author", { author: "a\nb" }],
    ["an empty body", { body: " \n " }],
    ["an id with a space", { id: "a b" }],
    ["a time after the year 9999", {
      now: new Date("+010000-01-01T00:00:00Z"),
    }],
  ];
  const dir = await Deno.makeTempDir();
  try {
    for (const [name, overrides] of bad) {
      await t.step(name, async () => {
        const isUsage = (error: unknown): boolean => {
          assert.ok(error instanceof DatumError);
          assert.equal(error.exitCode, 2);
          assert.ok(error.hint);
          return true;
        };
        assert.throws(() => formatJournalEntry(entry(overrides)), isUsage);
        await assert.rejects(
          appendJournal(`${dir}/JOURNAL.md`, entry(overrides)),
          isUsage,
        );
      });
    }
    await assert.rejects(Deno.stat(`${dir}/JOURNAL.md`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("appendJournal() creates the journal and returns the entry it wrote", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/JOURNAL.md`;
    const first = await appendJournal(path, entry({ tags: ["urgent"] }));
    const second = await appendJournal(path, {
      category: " TASK ",
      body: "## [2026-01-01T00:00:00Z] not a heading",
      author: "datum",
    });
    const text = await Deno.readTextFile(path);
    assert.ok(
      text.startsWith(
        JOURNAL_HEADER + "\n### [2026-11-30T03:40:00.123Z] datum — NOTE\n",
      ),
    );
    // An append does not read the journal back, so its line is not known.
    assert.deepEqual([first.line, second.line], [0, 0]);
    assert.match(second.id ?? "", /^\d{8}T\d{9}Z-[0-9a-f]{8}$/);
    assert.deepEqual(parseJournal(text), {
      entries: [{ ...first, line: 5 }, { ...second, line: 15 }],
      problems: [],
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("appendJournal() keeps every entry whole when two processes append at once", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const script = `${dir}/append.ts`;
    const module = new URL("./journal.ts", import.meta.url).href;
    await Deno.writeTextFile(
      script,
      `import { appendJournal } from ${JSON.stringify(module)};\n` +
        `const [path, who] = Deno.args;\n` +
        `for (let i = 0; i < 500; i++) {\n` +
        `  await appendJournal(path!, {\n` +
        `    category: "NOTE", author: who!, tags: [who!], body: \`entry \${i} from \${who}\\nline two\`,\n` +
        `  });\n` +
        `}\n`,
    );
    const path = `${dir}/JOURNAL.md`;
    const spawn = (who: string): Promise<Deno.CommandOutput> =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--no-config",
          "--allow-read",
          "--allow-write",
          script,
          path,
          who,
        ],
        cwd: dir,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
    const outputs = await Promise.all([spawn("alpha"), spawn("beta")]);
    for (const output of outputs) {
      assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    }
    const text = await Deno.readTextFile(path);
    assert.ok(text.startsWith(JOURNAL_HEADER));
    assert.equal(text.split(JOURNAL_HEADER).length, 2);
    const { entries, problems } = parseJournal(text);
    assert.deepEqual(problems, []);
    assert.equal(entries.length, 1000);
    assert.equal(new Set(entries.map((e) => e.id)).size, 1000);
    for (const who of ["alpha", "beta"]) {
      const mine = entries.filter((e) => e.author === who);
      assert.deepEqual(
        mine.map((e) => e.body),
        mine.map((_, i) => `entry ${i} from ${who}\nline two`),
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseJournal() reads 10 000 entries, every one whole (its speed is in bench/)", () => {
  const parts = [JOURNAL_HEADER];
  for (let i = 0; i < 10_000; i++) {
    parts.push(formatJournalEntry({
      category: i % 2 ? "NOTE" : "TASK",
      author: "datum",
      body:
        `Entry ${i}: checked the fleet, found ${
          i % 7
        } repos needing attention, ` +
        "opened issues\nand wrote a second line about what comes next.",
      tags: i % 3 ? ["fleet", "scan"] : [],
      now: new Date(NOW.getTime() + i),
      id: `id-${i}`,
    }));
  }
  const text = parts.join("");
  const { entries, problems } = parseJournal(text);
  assert.equal(entries.length, 10_000);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    [entries[0]?.id, entries[9_999]?.id, entries[9_999]?.category],
    ["id-0", "id-9999", "NOTE"],
  );
});
