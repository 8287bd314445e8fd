import assert from "node:assert/strict";
import { inboxRows, receiptKey } from "./_index.ts";

async function vessel(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "datum-index-" });
  await Deno.mkdir(`${path}/message-in-a-bottle/for-scout`, {
    recursive: true,
  });
  return {
    path,
    async [Symbol.asyncDispose](): Promise<void> {
      await Deno.remove(path, { recursive: true });
    },
  };
}

Deno.test("receiptKey() is the id, else the path, one field of one line", () => {
  assert.equal(
    receiptKey({ id: "20261130T050000000Z-1a2b3c4d", path: "x.md" }),
    "20261130T050000000Z-1a2b3c4d",
  );
  assert.equal(
    receiptKey({ id: undefined, path: "for-scout/a\tb\nc%d.md" }),
    "path:for-scout/a%09b%0Ac%25d.md",
  );
});

Deno.test("inboxRows() sorts by date, keeps odd file names whole, and survives a torn index", async () => {
  await using v = await vessel();
  const inbox = `${v.path}/message-in-a-bottle/for-scout`;
  const bottle = (subject: string, date: string): string =>
    `---\nfrom: oracle1\nto: scout\ndate: ${date}\nsubject: ${subject}\n---\n\nbody\n`;
  await Deno.writeTextFile(`${inbox}/b.md`, bottle("Second", "2026-11-02"));
  await Deno.writeTextFile(`${inbox}/a\tc.md`, bottle("Tabbed", "2026-11-03"));
  await Deno.writeTextFile(`${inbox}/c.md`, bottle("First", "2026-11-01"));
  await Deno.writeTextFile(`${inbox}/d.md`, "# Undated\n\nno header\n");
  const read = async (): Promise<[string[], string[]]> => {
    const rows = await inboxRows(v.path, "scout", false);
    return [rows.keys, rows.keys.map((_, i) => rows.header(i).subject)];
  };
  const expected: [string[], string[]] = [
    [
      "path:message-in-a-bottle/for-scout/c.md",
      "path:message-in-a-bottle/for-scout/b.md",
      "path:message-in-a-bottle/for-scout/a%09c.md",
      "path:message-in-a-bottle/for-scout/d.md",
    ],
    ["First", "Second", "Tabbed", "Undated"],
  ];
  assert.deepEqual(await read(), expected);
  assert.deepEqual(await read(), expected, "from the index");
  const index = `${v.path}/.datum/cache/mib/scout.json`;
  const text = await Deno.readTextFile(index);
  await Deno.writeTextFile(index, text.slice(0, text.length - 40));
  assert.deepEqual(await read(), expected, "a torn index is rebuilt");
  assert.equal(await Deno.readTextFile(index), text);
});
