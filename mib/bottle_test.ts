import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { DatumError, ExitCode } from "../core/errors.ts";
import { type Bottle, listInbox, parseBottle } from "./bottle.ts";

const LEGACY = fileURLToPath(new URL("./testdata", import.meta.url));
const FLEET = fileURLToPath(
  new URL("./testdata/fleet-vessel", import.meta.url),
);

/** The fields the header-form tests pin down; the optional keys have their own tests. */
type Core = Omit<
  Bottle,
  "priority" | "inReplyTo" | "thread" | "expires" | "inferred" | "problem"
>;

async function readBottle(root: string, path: string): Promise<Core> {
  const bottle = parseBottle(await Deno.readTextFile(`${root}/${path}`), path);
  return {
    path: bottle.path,
    from: bottle.from,
    to: bottle.to,
    date: bottle.date,
    type: bottle.type,
    subject: bottle.subject,
    id: bottle.id,
    body: bottle.body,
    form: bottle.form,
  };
}

/** A scratch vessel that removes itself. */
async function tempVessel(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "datum-mib-" });
  return {
    path,
    async [Symbol.asyncDispose](): Promise<void> {
      await Deno.remove(path, { recursive: true });
    },
  };
}

async function write(
  root: string,
  path: string,
  data: string | Uint8Array,
): Promise<void> {
  const slash = path.lastIndexOf("/");
  if (slash !== -1) {
    await Deno.mkdir(`${root}/${path.slice(0, slash)}`, { recursive: true });
  }
  if (typeof data === "string") {
    await Deno.writeTextFile(`${root}/${path}`, data);
  } else await Deno.writeFile(`${root}/${path}`, data);
}

/** Bytes that look like nothing: a fixed seed, so a failure can be reproduced. */
function junk(length: number, seed = 7): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

const MIB = "message-in-a-bottle";

Deno.test("parseBottle() reads datum 0.3's bottles exactly", async (t) => {
  const cases: [string, Omit<Core, "path">][] = [
    [`${MIB}/for-datum/2026-11-25_oracle1_fleet-audit-request.md`, {
      from: "oracle1",
      to: "datum",
      date: "2026-11-25 01:47:48 UTC",
      type: "question",
      subject: "Fleet audit request",
      id: undefined,
      body: "Please audit the fleet.\n\n- repo A\n- repo B",
      form: "front-matter",
    }],
    [`${MIB}/for-datum/2026-11-25_oracle1_handoff-isa-v3.md`, {
      from: "oracle1",
      to: "datum",
      date: "2026-11-25 01:47:48 UTC",
      type: "handoff",
      subject: "Handoff: ISA v3",
      id: undefined,
      body: "Context for the successor: see TRAIL.md",
      form: "front-matter",
    }],
    [`${MIB}/for-oracle1/2026-11-25_datum_audit-complete.md`, {
      from: "datum",
      to: "oracle1",
      date: "2026-11-25 01:47:48 UTC",
      type: "deliverable",
      subject: "Audit complete",
      id: undefined,
      body: "All green: 42 repos.",
      form: "front-matter",
    }],
    [`${MIB}/for-any-vessel/2026-11-25_datum_fleet-status.md`, {
      from: "datum",
      to: "any-vessel",
      date: "2026-11-25 01:47:48 UTC",
      type: "signal",
      subject: "Fleet status",
      id: undefined,
      body: "All systems nominal.",
      form: "front-matter",
    }],
  ];
  for (const [path, expected] of cases) {
    await t.step(path, async () => {
      assert.deepEqual(await readBottle(LEGACY, path), { path, ...expected });
    });
  }
});

Deno.test("parseBottle() reads every header form of the fleet fixtures", async (t) => {
  const cases: [string, Omit<Core, "path">][] = [
    // Front matter with CRLF line ends, a quoted value, an id and a time offset.
    [`${MIB}/for-navigator/2026-05-03_keeper_rotate-keys.md`, {
      from: "keeper",
      to: "navigator",
      date: "2026-05-03T09:30:00+02:00",
      type: "request",
      subject: "Rotate keys: phase 2",
      id: "20260503T073000000Z-1a2b3c4d",
      body:
        "Please rotate the bus key before the next drill.\n\nSteps:\n1. enroll\n" +
        "2. revoke the old token",
      form: "front-matter",
    }],
    // Front matter that is not valid YAML.
    [`${MIB}/for-any-vessel/2026-05-04_lighthouse_storm-warning.md`, {
      from: "lighthouse",
      to: "any-vessel",
      date: "2026-05-04 06:00 UTC",
      type: "alert",
      subject: "Storm warning: gale 9 — stay in port",
      id: undefined,
      body: "Gale 9 expected from the north-west.",
      form: "front-matter",
    }],
    // An I2I title; the colon outside the bold; lines ending in two spaces.
    ["for-navigator/2026-04-19_cartographer_route-tables.md", {
      from: "🧭 Cartographer (Navigator vessel)",
      to: "Navigator",
      date: "2026-04-19 12:51 UTC",
      type: undefined,
      subject: "Re: route tables",
      id: undefined,
      body:
        "The route tables for the northern passage are in `CONTEXT/routes.md`.\n\n" +
        "**Note:** the strait is closed on Sundays.",
      form: "bold-fields",
    }],
    // A BOTTLE: title; the colon inside the bold.
    ["for-fleet/BOTTLE-FROM-CARTOGRAPHER-2026-04-18-weekly-routing.md", {
      from: "Cartographer (Navigator vessel)",
      to: "All Fleet (Navigator, Keeper, Lighthouse)",
      date: "2026-04-18 09:15 UTC",
      type: "signal",
      subject: "Weekly routing update",
      id: undefined,
      body: "## Routes\n\n- North: open\n- East: closed",
      form: "bold-fields",
    }],
    // Bold fields with no title at all.
    ["data/bottles/direct/2026-05-07-ping.md", {
      from: "Keeper",
      to: "Navigator",
      date: "2026-05-07 11:00 UTC",
      type: "ping",
      subject: "Are you awake?",
      id: undefined,
      body: "Reply when you can.",
      form: "bold-fields",
    }],
    // An ASCII arrow and a " - " separator; the header ends at the first body line.
    ["data/bottles/fleet/2026-05-08-drill.md", {
      from: "Keeper",
      to: "All Vessels",
      date: "2026-05-08 10:00 UTC",
      type: "alert",
      subject: "Evacuation drill",
      id: undefined,
      body: "Drill at noon.",
      form: "bold-fields",
    }],
    // I2I plain text.
    ["bottles/2026-05-01/2026-05-01-handover.i2i.md", {
      from: "Keeper",
      to: "Navigator",
      date: "2026-05-01T22:00:00Z",
      type: undefined,
      subject: "Handover: night watch",
      id: undefined,
      body: "You have the watch.\nWake me at 04:00 — not before.",
      form: "i2i-text",
    }],
    // A file holding an I2I commit message; the date from the file name.
    ["bottles/2026-05-02-drill.i2i.md", {
      from: "keeper",
      to: undefined,
      date: "2026-05-02",
      type: "coordinate",
      subject: "fire drill at 10:00: all hands",
      id: undefined,
      body: "Muster at the bow.",
      form: "i2i-text",
    }],
    // Free markdown: the recipient from the folder, the date from the title.
    ["for-fleet/weekly-status.md", {
      from: undefined,
      to: "fleet",
      date: "2026-05-05",
      type: undefined,
      subject: "Weekly status — 2026-05-05",
      id: undefined,
      body: "All vessels reported in. Nothing to do.",
      form: "free",
    }],
    // Free markdown: the sender and date from a 0.3-style file name.
    ["for-navigator/2026-05-06_lighthouse_tide-tables.md", {
      from: "lighthouse",
      to: "navigator",
      date: "2026-05-06",
      type: undefined,
      subject: "Tide tables for May",
      id: undefined,
      body: "| day | high water |\n| --- | --- |\n| 1 | 06:12 |",
      form: "free",
    }],
    // No title at all: the subject from the file name, the recipient from the channel.
    ["data/bottles/navigator/2026-05-09-course-change.md", {
      from: undefined,
      to: "navigator",
      date: "2026-05-09",
      type: undefined,
      subject: "course change",
      id: undefined,
      body: "Change course to 270 at the next buoy.\nConfirm on the bus.",
      form: "free",
    }],
    // Sender and recipient from a BOTTLE-FROM-…-TO-… name agree with the header.
    ["BOTTLE-FROM-ORACLE1-TO-NAVIGATOR-2026-04-20-audit-results.md", {
      from: "Oracle1 🔮",
      to: "Navigator",
      date: "2026-04-20 16:45 UTC",
      type: "deliverable",
      subject: "Audit results",
      id: undefined,
      body: "All 42 repositories are green.",
      form: "bold-fields",
    }],
    ["bottle-lighthouse-2026-04-21.md", {
      from: undefined,
      to: undefined,
      date: "2026-04-21",
      type: undefined,
      subject: "Fog report",
      id: undefined,
      body: "Fog in the harbour until noon.",
      form: "free",
    }],
    ["for-navigator/empty.md", {
      from: undefined,
      to: "navigator",
      date: undefined,
      type: undefined,
      subject: "empty",
      id: undefined,
      body: "",
      form: "free",
    }],
  ];
  for (const [path, expected] of cases) {
    await t.step(path, async () => {
      assert.deepEqual(await readBottle(FLEET, path), { path, ...expected });
    });
  }
});

Deno.test("parseBottle() reads front matter leniently, without YAML", async (t) => {
  await t.step("splits at the first colon and keeps the rest", () => {
    const bottle = parseBottle(
      "---\nfrom: a\nsubject: Re: Re: plan: v2\ntime:12:00\n---\nbody\n",
      "x.md",
    );
    assert.equal(bottle.subject, "Re: Re: plan: v2");
    assert.equal(bottle.body, "body");
  });
  await t.step(
    "takes keys in any case, aliases, comments and list lines",
    () => {
      const bottle = parseBottle(
        "---\n# written by hand\nFrom: a\nRecipient: b\nTitle: t\ntags:\n  - x\n- y\n---\n",
        "x.md",
      );
      assert.equal(bottle.form, "front-matter");
      assert.deepEqual([bottle.from, bottle.to, bottle.subject], [
        "a",
        "b",
        "t",
      ]);
    },
  );
  await t.step("keeps the first of a repeated key", () => {
    assert.equal(parseBottle("---\nfrom: a\nfrom: b\n---\n", "x.md").from, "a");
  });
  await t.step("a byte-order mark and blank lines before it", () => {
    const bottle = parseBottle("\uFEFF\n\n---\nsubject: s\n---\nb", "x.md");
    assert.deepEqual([bottle.form, bottle.subject, bottle.body], [
      "front-matter",
      "s",
      "b",
    ]);
  });
  await t.step("no closing line: not front matter", () => {
    const bottle = parseBottle("---\nfrom: a\nbody", "x.md");
    assert.equal(bottle.form, "free");
    assert.equal(bottle.from, undefined);
  });
  await t.step("a rule around prose: not front matter", () => {
    const bottle = parseBottle("---\nJust a paragraph.\n---\n", "notes.md");
    assert.equal(bottle.form, "free");
    assert.equal(bottle.body, "---\nJust a paragraph.\n---");
  });
  await t.step("the 0.3 header under it fills missing keys", () => {
    const bottle = parseBottle(
      "---\nfrom: a\n---\n\n# Hello\n\n**To:** b\n**Type:** ALERT\n\n---\n\nbody\n",
      "x.md",
    );
    assert.deepEqual(
      [bottle.from, bottle.to, bottle.type, bottle.subject, bottle.body],
      ["a", "b", "alert", "Hello", "body"],
    );
  });
});

Deno.test("parseBottle() reads titles and bold fields leniently", async (t) => {
  await t.step("a title with an emoji before BOTTLE and no subject", () => {
    const bottle = parseBottle(
      "# 🍾 BOTTLE: A → B\n\nhello",
      "for-b/2026-01-02-greeting.md",
    );
    assert.deepEqual(
      [bottle.form, bottle.from, bottle.to, bottle.subject, bottle.date],
      ["bold-fields", "A", "B", "greeting", "2026-01-02"],
    );
  });
  await t.step("a title in the I2I commit grammar", () => {
    const bottle = parseBottle(
      "# [I2I:HANDOFF] oracle1:handoff — ISA v3\n\nsee TRAIL",
      "x.md",
    );
    assert.deepEqual(
      [bottle.form, bottle.from, bottle.type, bottle.subject],
      ["bold-fields", "oracle1", "handoff", "ISA v3"],
    );
  });
  await t.step("fields win over the title", () => {
    const bottle = parseBottle(
      "# BOTTLE: A → B — s1\n**From:** C\n**Subject:** s2\n",
      "x.md",
    );
    assert.deepEqual([bottle.from, bottle.to, bottle.subject], [
      "C",
      "B",
      "s2",
    ]);
  });
  await t.step("list items, hard breaks and a Windows file", () => {
    const bottle = parseBottle(
      "# Status\r\n\r\n- **From:** A\\\r\n- **Date:** 2026-03-04<br>\r\n\r\nok\r\n",
      "x.md",
    );
    assert.deepEqual([bottle.from, bottle.date, bottle.body], [
      "A",
      "2026-03-04",
      "ok",
    ]);
  });
  await t.step("plain header keys under a title", () => {
    const bottle = parseBottle(
      "# Plan\nFrom: A\nTo: B\n\nStatus: done\n",
      "x.md",
    );
    assert.deepEqual([bottle.form, bottle.from, bottle.body], [
      "bold-fields",
      "A",
      "Status: done",
    ]);
  });
  await t.step("bold text without a header key stays in the body", () => {
    const bottle = parseBottle(
      "# Report\n\n**Summary:** all good\n\nmore",
      "x.md",
    );
    assert.equal(bottle.form, "free");
    assert.equal(bottle.subject, "Report");
    assert.equal(bottle.body, "**Summary:** all good\n\nmore");
  });
  await t.step("a free title with an arrow is only a subject", () => {
    const bottle = parseBottle("# Move A → B\n\ntext", "x.md");
    assert.deepEqual([bottle.form, bottle.from, bottle.subject], [
      "free",
      undefined,
      "Move A → B",
    ]);
  });
  await t.step(
    "the subject falls back to the first heading in the body",
    () => {
      const bottle = parseBottle(
        "**From:** A\n\n---\n\n## Route tables\n\nx",
        "x.md",
      );
      assert.equal(bottle.subject, "Route tables");
    },
  );
});

Deno.test("parseBottle() takes sender, recipient and date from the file name", async (t) => {
  const cases: [string, Partial<Bottle>][] = [
    ["BOTTLE-FROM-A-TO-B-2026-04-20-route-tables.md", {
      from: "A",
      to: "B",
      date: "2026-04-20",
      subject: "route tables",
    }],
    ["BOTTLE-FROM-DEEP-SEA-2026-04-20-sonar.md", {
      from: "DEEP-SEA",
      to: undefined,
      date: "2026-04-20",
      subject: "sonar",
    }],
    ["bottle-from-a-to-b.md", {
      from: "a",
      to: "b",
      date: undefined,
      subject: "bottle-from-a-to-b.md",
    }],
    ["for-x/STATUS-weekly-2026-05-05.md", {
      from: undefined,
      to: "x",
      date: "2026-05-05",
      subject: "STATUS weekly",
    }],
    ["bottles/2026-05-05-harbour-log.i2i.md", {
      from: undefined,
      date: "2026-05-05",
      subject: "harbour log",
    }],
    ["bottles/2026-06-01/note.md", { date: "2026-06-01", subject: "note" }],
    ["data/bottles/direct/note.md", { to: undefined }],
    ["data\\bottles\\fleet\\note.md", {
      to: "fleet",
      path: "data/bottles/fleet/note.md",
    }],
  ];
  for (const [path, expected] of cases) {
    await t.step(path, () => {
      const bottle = parseBottle("", path);
      for (const [key, value] of Object.entries(expected)) {
        assert.equal(bottle[key as keyof Bottle], value, key);
      }
    });
  }
});

Deno.test("parseBottle() never throws on hostile text", async (t) => {
  const huge = "x".repeat(1024 * 1024);
  const cases: [string, string][] = [
    ["binary junk", new TextDecoder().decode(junk(64 * 1024))],
    ["an empty text", ""],
    ["only blank lines", "\n\n \r\n\t\n"],
    ["1 MB without a newline", huge],
    ["1 MB heading", `# ${huge}`],
    ["1 MB of asterisks", "*".repeat(1024 * 1024)],
    ["1 MB front matter line", `---\nsubject: ${huge}\n---\n`],
    ["1 MB I2I line", `[I2I:PING] a:${"-".repeat(1024 * 1024)}`],
    ["1 MB of arrows and dashes", `# BOTTLE: ${"→ — ".repeat(200_000)}`],
    ["many short lines", "**From:** a\n".repeat(50_000)],
    ["NUL bytes", "\0\0---\0\n**\0:**\n"],
    ["lone surrogates", "# \uD800 title \uDFFF\n"],
  ];
  for (const [name, text] of cases) {
    await t.step(name, () => {
      const bottle = parseBottle(text, "for-navigator/odd.md");
      assert.equal(typeof bottle.subject, "string");
      assert.ok(bottle.subject.length > 0);
    });
  }
  await t.step("keeps a long line in the body", () => {
    assert.equal(parseBottle(huge, "odd.md").body.length, huge.length);
    assert.equal(parseBottle(huge, "odd.md").subject, "odd");
  });
});

Deno.test("listInbox() reads datum 0.3's vessel", async (t) => {
  await t.step("datum's inbox leaves out its own broadcast", async () => {
    const inbox = await listInbox(LEGACY, { agent: "datum" });
    assert.deepEqual(inbox.map((bottle) => bottle.path), [
      `${MIB}/for-datum/2026-11-25_oracle1_fleet-audit-request.md`,
      `${MIB}/for-datum/2026-11-25_oracle1_handoff-isa-v3.md`,
    ]);
  });
  await t.step("includeOwnBroadcasts keeps it", async () => {
    const inbox = await listInbox(LEGACY, {
      agent: "datum",
      includeOwnBroadcasts: true,
    });
    assert.deepEqual(inbox.map((bottle) => bottle.path), [
      `${MIB}/for-any-vessel/2026-11-25_datum_fleet-status.md`,
      `${MIB}/for-datum/2026-11-25_oracle1_fleet-audit-request.md`,
      `${MIB}/for-datum/2026-11-25_oracle1_handoff-isa-v3.md`,
    ]);
  });
  await t.step(
    "oracle1's inbox holds datum's broadcast and deliverable",
    async () => {
      const inbox = await listInbox(`${LEGACY}/`, { agent: "Oracle1" });
      assert.deepEqual(inbox.map((bottle) => [bottle.subject, bottle.type]), [
        ["Fleet status", "signal"],
        ["Audit complete", "deliverable"],
      ]);
    },
  );
});

Deno.test("listInbox() finds bottles in every location, sorted by date then path", async () => {
  const inbox = await listInbox(FLEET, { agent: "navigator" });
  assert.deepEqual(inbox.map((bottle) => bottle.path), [
    "for-fleet/BOTTLE-FROM-CARTOGRAPHER-2026-04-18-weekly-routing.md",
    "for-navigator/2026-04-19_cartographer_route-tables.md",
    "BOTTLE-FROM-ORACLE1-TO-NAVIGATOR-2026-04-20-audit-results.md",
    "bottle-lighthouse-2026-04-21.md",
    "BOTTLE-FROM-LIGHTHOUSE-TO-FLEET-2026-04-23-beacon.md",
    "bottles/2026-05-01/2026-05-01-handover.i2i.md",
    "bottles/2026-05-02-drill.i2i.md",
    // 09:30+02:00 is 07:30 UTC, before the 06:00 UTC of the next day's warning.
    `${MIB}/for-navigator/2026-05-03_keeper_rotate-keys.md`,
    `${MIB}/for-any-vessel/2026-05-04_lighthouse_storm-warning.md`,
    "for-fleet/weekly-status.md",
    "for-navigator/2026-05-06_lighthouse_tide-tables.md",
    "data/bottles/direct/2026-05-07-ping.md",
    "data/bottles/fleet/2026-05-08-drill.md",
    "data/bottles/navigator/2026-05-09-course-change.md",
    "for-navigator/empty.md",
  ]);
});

Deno.test("listInbox() leaves out what is addressed to others", async () => {
  const inbox = await listInbox(FLEET, { agent: "keeper" });
  assert.deepEqual(inbox.map((bottle) => bottle.path), [
    "for-fleet/BOTTLE-FROM-CARTOGRAPHER-2026-04-18-weekly-routing.md",
    "BOTTLE-FROM-ORACLE1-TO-KEEPER-2026-04-20-vault.md",
    "bottle-lighthouse-2026-04-21.md",
    "BOTTLE-FROM-LIGHTHOUSE-2026-04-22-fog-horn.md",
    "BOTTLE-FROM-LIGHTHOUSE-TO-FLEET-2026-04-23-beacon.md",
    `${MIB}/for-any-vessel/2026-05-04_lighthouse_storm-warning.md`,
    `${MIB}/for-any-vessel/2026-05-04_navigator_course-plotted.md`,
    `${MIB}/for-keeper/2026-05-04_navigator_keys-rotated.md`,
    "for-fleet/weekly-status.md",
    "data/bottles/keeper/2026-05-09-inventory.md",
  ]);
});

Deno.test("listInbox() reads folder names in any case", async () => {
  await using vessel = await tempVessel();
  await write(vessel.path, "Message-In-A-Bottle/For-Navigator/a.md", "# A\n");
  await write(vessel.path, "FOR-FLEET/b.md", "# B\n");
  await write(vessel.path, "Data/Bottles/Navigator/c.md", "# C\n");
  const inbox = await listInbox(vessel.path, { agent: "Navigator" });
  assert.deepEqual(inbox.map((bottle) => bottle.subject), ["C", "B", "A"]);
});

Deno.test("listInbox() survives hostile files and odd folders", async () => {
  await using vessel = await tempVessel();
  const root = vessel.path;
  await write(root, "for-navigator/junk.md", junk(256 * 1024));
  await write(root, "for-navigator/empty.md", "");
  await write(root, "for-navigator/huge.md", "y".repeat(1024 * 1024));
  await write(root, "for-fleet/.hidden.md", "# hidden\n");
  await write(root, "bottles", "a file where a folder was expected");
  await write(root, "data/bottles/fleet", "also a file");
  await write(
    root,
    `${MIB}/for-navigator/ok.md`,
    "---\nsubject: ok\ndate: 2026-01-01\n---\n",
  );
  const nested = `bottles-deep/${
    Array.from({ length: 12 }, (_, i) => `d${i}`).join("/")
  }`;
  await write(root, `${nested}/deep.md`, "# deep\n");
  if (Deno.build.os !== "windows") {
    await Deno.mkdir(`${root}/real-bottles`);
    await Deno.symlink(`${root}/real-bottles`, `${root}/for-fleet/loop`);
    await Deno.symlink(root, `${root}/real-bottles/back`);
  }
  const inbox = await listInbox(root, { agent: "navigator" });
  assert.deepEqual(inbox.map((bottle) => bottle.path), [
    `${MIB}/for-navigator/ok.md`,
    "for-navigator/empty.md",
    "for-navigator/huge.md",
    "for-navigator/junk.md",
  ]);
});

Deno.test("listInbox() reads 200 bottles spread over every place", async () => {
  await using vessel = await tempVessel();
  const places = [
    `${MIB}/for-navigator`,
    `${MIB}/for-any-vessel`,
    "for-navigator",
    "for-fleet",
    "bottles/2026-05-01",
    "data/bottles/direct",
    "data/bottles/fleet",
    "data/bottles/navigator",
  ];
  const writes: Promise<void>[] = [];
  for (let i = 0; i < 200; i++) {
    const place = places[i % places.length] ?? "";
    const day = String(1 + (i % 28)).padStart(2, "0");
    const text = i % 2 === 0
      ? `---\nfrom: keeper\nto: navigator\ndate: 2026-04-${day} 10:00 UTC\ntype: signal\n` +
        `subject: Bottle ${i}\n---\n\n# Bottle ${i}\n\n**From:** keeper\n\n---\n\nBody ${i}.\n`
      : `# BOTTLE: Keeper → Navigator — Bottle ${i}\n\n**From:** Keeper  \n` +
        `**Date:** 2026-04-${day} 11:00 UTC  \n\n---\n\n${
          "Some text. ".repeat(50)
        }\n`;
    writes.push(
      write(vessel.path, `${place}/2026-04-${day}_keeper_bottle-${i}.md`, text),
    );
  }
  await Promise.all(writes);
  const inbox = await listInbox(vessel.path, { agent: "navigator" });
  assert.equal(inbox.length, 200);
  assert.deepEqual(
    new Set(inbox.map((b) => b.subject)).size,
    200,
  );
});

Deno.test("listInbox() fails clearly on a missing vessel or agent", async (t) => {
  await using vessel = await tempVessel();
  await t.step("a missing root is not found", async () => {
    await assert.rejects(
      listInbox(`${vessel.path}/nope`, { agent: "datum" }),
      (error: unknown) => {
        assert.ok(error instanceof DatumError);
        assert.equal(error.exitCode, ExitCode.NotFound);
        assert.equal(error.code, "vessel_not_found");
        assert.match(
          error.message,
          /^Cannot read the inbox in ".*nope": it does not exist$/,
        );
        return true;
      },
    );
  });
  await t.step("a file as root is not found", async () => {
    await write(vessel.path, "file.md", "x");
    await assert.rejects(
      listInbox(`${vessel.path}/file.md`, { agent: "datum" }),
      (error: unknown) => {
        assert.ok(error instanceof DatumError);
        assert.equal(error.exitCode, ExitCode.NotFound);
        assert.match(error.message, /it is not a folder$/);
        return true;
      },
    );
  });
  await t.step("an empty agent name is a usage error", async () => {
    await assert.rejects(
      listInbox(vessel.path, { agent: " " }),
      (error: unknown) =>
        error instanceof DatumError && error.exitCode === ExitCode.Usage,
    );
  });
  await t.step("a vessel without bottles has an empty inbox", async () => {
    assert.deepEqual(await listInbox(vessel.path, { agent: "datum" }), []);
  });
});
