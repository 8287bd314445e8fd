import assert from "node:assert/strict";
import { DatumError, ExitCode } from "../core/errors.ts";
import { parseBottle } from "./bottle.ts";
import {
  bodyFromBytes,
  checkAgentName,
  formatBottle,
  i2iTypeOf,
  slugOf,
} from "./write.ts";

const NOW = new Date("2026-11-30T04:50:07.123Z");

Deno.test("formatBottle() writes datum 0.3's layout, known answer", () => {
  const bottle = formatBottle({
    from: "Scout",
    to: "navigator",
    subject: "Route tables: north",
    body: "North passage is open.\r\nDepth 40 m.\n",
    type: "deliverable",
    priority: "high",
    thread: "routes",
  }, NOW);
  assert.match(bottle.id, /^20261130T045007123Z-[0-9a-f]{8}$/);
  const rand = bottle.id.slice(-8);
  assert.equal(
    bottle.path,
    `message-in-a-bottle/for-navigator/2026-11-30_scout_route-tables-north-${rand}.md`,
  );
  assert.equal(
    bottle.text,
    [
      "---",
      "from: scout",
      "to: navigator",
      "date: 2026-11-30 04:50:07 UTC",
      "type: deliverable",
      "subject: Route tables: north",
      `id: ${bottle.id}`,
      "priority: high",
      "thread: routes",
      "---",
      "",
      "# Route tables: north",
      "",
      "**From:** scout",
      "**To:** navigator",
      "**Date:** 2026-11-30 04:50:07 UTC",
      "**Type:** deliverable",
      "",
      "---",
      "",
      "North passage is open.",
      "Depth 40 m.",
      "",
      "---",
      "",
      "*MiB v1.0 | scout → navigator | 2026-11-30 04:50:07 UTC*",
      "",
    ].join("\n"),
  );
  // And datum reads back what it wrote, with nothing inferred.
  const read = parseBottle(bottle.text, bottle.path);
  assert.deepEqual(
    [read.from, read.to, read.subject, read.type, read.id, read.priority],
    [
      "scout",
      "navigator",
      "Route tables: north",
      "deliverable",
      bottle.id,
      "high",
    ],
  );
  assert.equal(read.thread, "routes");
  assert.equal(read.body, "North passage is open.\nDepth 40 m.");
  assert.deepEqual(read.inferred, {});
});

Deno.test("formatBottle() gives two bottles of one second two ids and two files", () => {
  const draft = { from: "scout", to: "navigator", subject: "Same", body: "x" };
  const a = formatBottle(draft, NOW);
  const b = formatBottle(draft, NOW);
  assert.notEqual(a.id, b.id);
  assert.notEqual(a.path, b.path);
});

Deno.test("checkAgentName() refuses what cannot be a folder name", async (t) => {
  const cases: [string, RegExp][] = [
    ["a/b", /path separator/],
    ["a\\b", /path separator/],
    ["..", /"\.\."/],
    ["a..b", /"\.\."/],
    ["nul\u0000here", /control character/],
    ["tab\there", /control character/],
    ["", /empty/],
    ["x".repeat(65), /longer than 64/],
    ["-dash", /may hold only/],
    ["sp ace", /may hold only/],
  ];
  for (const [name, message] of cases) {
    await t.step(JSON.stringify(name), () => {
      assert.throws(() => checkAgentName(name, "recipient"), (error) => {
        assert.ok(error instanceof DatumError);
        assert.equal(error.exitCode, ExitCode.Usage);
        assert.match(error.message, message);
        return true;
      });
    });
  }
  assert.equal(checkAgentName("Oracle-1", "sender"), "oracle-1");
});

Deno.test("slugOf() keeps letters and digits of any script", () => {
  assert.equal(slugOf("Handoff: ISA v3"), "handoff-isa-v3");
  assert.equal(slugOf("Données — été 2026"), "données-été-2026");
  assert.equal(slugOf("!!! ???"), "");
  assert.equal(slugOf("a".repeat(80)).length, 60);
});

Deno.test("bodyFromBytes() refuses binary and oversized content", () => {
  assert.equal(bodyFromBytes(new TextEncoder().encode("héllo")), "héllo");
  for (
    const [bytes, message] of [
      [new Uint8Array([104, 0, 105]), /NUL bytes/],
      [new Uint8Array([0xc3, 0x28]), /not valid UTF-8/],
      [new Uint8Array(1024 * 1024 + 1).fill(97), /over the limit of 1048576/],
    ] as const
  ) {
    assert.throws(() => bodyFromBytes(bytes), (error) => {
      assert.ok(error instanceof DatumError);
      assert.equal(error.exitCode, ExitCode.Invalid);
      assert.match(error.message, message);
      return true;
    });
  }
});

Deno.test("i2iTypeOf() maps bottle types to I2I commit types", () => {
  assert.equal(i2iTypeOf("message", false), "SIGNAL");
  assert.equal(i2iTypeOf("message", true), "BROADCAST");
  assert.equal(i2iTypeOf("handoff", false), "HANDOFF");
  assert.equal(i2iTypeOf("check-in", true), "CHECK-IN");
});
