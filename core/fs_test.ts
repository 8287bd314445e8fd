import assert from "node:assert/strict";
import { DatumError } from "./errors.ts";
import {
  appendLocked,
  atomicWrite,
  kindOf,
  readBytesIfExists,
  readTextIfExists,
} from "./fs.ts";

async function names(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const e of Deno.readDir(dir)) found.push(e.name);
  return found.sort();
}

Deno.test("atomicWrite() replaces a file and leaves no temp file behind", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/config.toml`;
    await atomicWrite(path, "old\n");
    await atomicWrite(path, "new\n", { mode: 0o600 });
    assert.equal(await Deno.readTextFile(path), "new\n");
    assert.deepEqual(await names(dir), ["config.toml"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("atomicWrite() gives a new file the mode asked for", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await atomicWrite(`${dir}/store.json`, "{}", { mode: 0o600 });
    assert.equal((await Deno.stat(`${dir}/store.json`)).mode! & 0o777, 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("atomicWrite() into a missing folder fails with a DatumError and writes nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      atomicWrite(`${dir}/missing/x.txt`, "x"),
      (error: unknown) =>
        error instanceof DatumError && error.exitCode === 4 &&
        error.message.startsWith(`Cannot write "${dir}/missing/x.txt"`),
    );
    assert.deepEqual(await names(dir), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("appendLocked() creates the file and appends whole records", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/TRAIL.md`;
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => appendLocked(path, `- line ${i}\n`)),
    );
    const lines = (await Deno.readTextFile(path)).trimEnd().split("\n");
    assert.equal(lines.length, 50);
    assert.deepEqual(new Set(lines).size, 50);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kindOf() and readTextIfExists() tell missing from present", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/f`, "x");
    assert.equal(await kindOf(dir), "dir");
    assert.equal(await kindOf(`${dir}/f`), "file");
    assert.equal(await kindOf(`${dir}/none`), undefined);
    assert.equal(await kindOf(`${dir}/f/under-a-file`), undefined);
    assert.equal(await readTextIfExists(`${dir}/f`), "x");
    assert.equal(await readTextIfExists(`${dir}/none`), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readBytesIfExists() returns every byte of a file of several megabytes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bytes = crypto.getRandomValues(new Uint8Array(65536));
    const big = new Uint8Array(3 * 1024 * 1024 + 17);
    for (let at = 0; at < big.length; at += bytes.length) {
      big.set(bytes.subarray(0, big.length - at), at);
    }
    await Deno.writeFile(`${dir}/big`, big);
    assert.deepEqual(await readBytesIfExists(`${dir}/big`), big);
    assert.equal(await readBytesIfExists(`${dir}/none`), undefined);
    await Deno.writeFile(`${dir}/empty`, new Uint8Array());
    assert.deepEqual(await readBytesIfExists(`${dir}/empty`), new Uint8Array());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
