import assert from "node:assert/strict";
import { AuditLog, GENESIS, readAudit, verifyAudit } from "./audit.ts";

async function tempLog(): Promise<{ path: string } & AsyncDisposable> {
  const root = await Deno.makeTempDir({ prefix: "datum-audit-" });
  return {
    path: `${root}/audit.jsonl`,
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

async function fill(path: string, count: number): Promise<void> {
  await using log = await AuditLog.open(path);
  await Promise.all(
    Array.from(
      { length: count },
      (_, i) =>
        log.append({
          event: "secret.request",
          actor: "scout",
          key: `k${i}`,
          approved: true,
        }),
    ),
  );
}

Deno.test("AuditLog chains records, also when many are appended at once", async () => {
  await using t = await tempLog();
  await fill(t.path, 50);
  await fill(t.path, 3);
  const records = await readAudit(t.path);
  assert.equal(records.length, 53);
  assert.deepEqual(
    records.map((r) => r.seq),
    Array.from({ length: 53 }, (_, i) => i + 1),
  );
  assert.equal(records[0]!.prev, GENESIS);
  for (let i = 1; i < records.length; i++) {
    assert.equal(records[i]!.prev, records[i - 1]!.hash);
  }
  assert.deepEqual(await verifyAudit(t.path), {
    ok: true,
    records: 53,
    problems: [],
  });
  assert.equal((await Deno.stat(t.path)).mode! & 0o777, 0o600);
  assert.deepEqual((await readAudit(t.path, { tail: 2 })).map((r) => r.seq), [
    52,
    53,
  ]);
});

Deno.test("two logs on one file (a keeper and a CLI command) keep one chain", async () => {
  await using t = await tempLog();
  await using a = await AuditLog.open(t.path);
  await using b = await AuditLog.open(t.path);
  for (let i = 0; i < 5; i++) {
    await Promise.all([a.append({ event: "x" }), b.append({ event: "y" })]);
  }
  assert.equal((await verifyAudit(t.path)).ok, true);
  assert.equal((await readAudit(t.path)).length, 10);
});

Deno.test("verifyAudit() names an edited, a removed and a reordered record", async (t) => {
  await using log = await tempLog();
  await fill(log.path, 6);
  const original = (await Deno.readTextFile(log.path)).split("\n").slice(0, -1);
  const write = (lines: string[]) =>
    Deno.writeTextFile(log.path, `${lines.join("\n")}\n`);

  await t.step("edited", async () => {
    const lines = [...original];
    lines[2] = lines[2]!.replace('"approved":true', '"approved":false');
    await write(lines);
    const result = await verifyAudit(log.path);
    assert.equal(result.ok, false);
    assert.equal(result.problems[0]!.kind, "edited");
    assert.match(result.problems[0]!.message, /record 3 \(line 3\) was edited/);
  });
  await t.step("the last record edited", async () => {
    const lines = [...original];
    lines[5] = lines[5]!.replace('"k5"', '"k9"');
    await write(lines);
    assert.match(
      (await verifyAudit(log.path)).problems[0]!.message,
      /record 6/,
    );
  });
  await t.step("removed", async () => {
    await write(original.filter((_, i) => i !== 3));
    const result = await verifyAudit(log.path);
    assert.deepEqual(result.problems.map((p) => p.kind), ["removed"]);
    assert.match(
      result.problems[0]!.message,
      /record 4 was removed \(before line 4\)/,
    );
  });
  await t.step("reordered", async () => {
    const lines = [...original];
    [lines[1], lines[2]] = [lines[2]!, lines[1]!];
    await write(lines);
    const result = await verifyAudit(log.path);
    assert.ok(
      result.problems.some((p) => p.kind === "reordered" && p.seq === 2),
    );
    assert.match(
      result.problems.find((p) => p.kind === "reordered")!.message,
      /record 2 \(line 3\) is out of order/,
    );
  });
  await t.step("a line that is not a record", async () => {
    await write([...original.slice(0, 2), "{oops", ...original.slice(2)]);
    const result = await verifyAudit(log.path);
    assert.deepEqual(result.problems.map((p) => [p.kind, p.line]), [[
      "malformed",
      3,
    ]]);
  });
  await t.step(
    "a record recomputed by hand still breaks the chain",
    async () => {
      const lines = [...original];
      const body = lines[1]!.replace(/,"hash":"[0-9a-f]{64}"\}$/, "}").replace(
        '"k1"',
        '"kX"',
      );
      const hash = await crypto.subtle.digest(
        "SHA-256",
        new TextEncoder().encode(body),
      );
      const hex = Array.from(
        new Uint8Array(hash),
        (b) => b.toString(16).padStart(2, "0"),
      ).join("");
      lines[1] = `${body.slice(0, -1)},"hash":"${hex}"}`;
      await write(lines);
      const result = await verifyAudit(log.path);
      assert.deepEqual(result.problems.map((p) => [p.kind, p.seq]), [[
        "broken",
        3,
      ]]);
    },
  );
});

Deno.test("an append to a log whose last record is damaged is refused", async () => {
  await using t = await tempLog();
  await fill(t.path, 2);
  await Deno.writeTextFile(t.path, "garbage\n", { append: true });
  await using log = await AuditLog.open(t.path);
  await assert.rejects(
    () => log.append({ event: "x" }),
    /last record is damaged/,
  );
});

Deno.test("AuditLog never strands a record appended as a batch finishes", async () => {
  await using t = await tempLog();
  await using log = await AuditLog.open(t.path);
  // Appends that land in every phase of a drain: alone, in bursts, and right as a
  // previous batch resolves.
  for (let i = 0; i < 200; i++) {
    const first = log.append({ event: "a" });
    await Promise.all([
      first.then(() => log.append({ event: "b" })),
      log.append({ event: "c" }),
    ]);
    await log.append({ event: "d" });
  }
  assert.equal((await readAudit(t.path)).length, 800);
  assert.equal((await verifyAudit(t.path)).ok, true);
});
