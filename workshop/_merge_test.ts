import assert from "node:assert/strict";
import { ensureMergeDriver } from "./_merge.ts";

async function git(cwd: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args: ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args],
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

async function repo(base: string): Promise<string> {
  const dir = await Deno.makeTempDir();
  await git(dir, "init", "-q", "-b", "main");
  await Deno.writeTextFile(
    `${dir}/.gitattributes`,
    "LOG.md merge=datum-append\n",
  );
  await Deno.writeTextFile(`${dir}/LOG.md`, base);
  await git(dir, "add", "-A");
  await git(dir, "commit", "-qm", "base");
  return dir;
}

async function branchAndMerge(
  dir: string,
  ours: (text: string) => string,
  theirs: (text: string) => string,
): Promise<string> {
  const base = await Deno.readTextFile(`${dir}/LOG.md`);
  await git(dir, "checkout", "-q", "-b", "theirs");
  await Deno.writeTextFile(`${dir}/LOG.md`, theirs(base));
  await git(dir, "commit", "-qam", "theirs");
  await git(dir, "checkout", "-q", "main");
  await Deno.writeTextFile(`${dir}/LOG.md`, ours(base));
  await git(dir, "commit", "-qam", "ours");
  await git(dir, "merge", "-q", "--no-edit", "theirs");
  return await Deno.readTextFile(`${dir}/LOG.md`);
}

Deno.test("ensureMergeDriver() registers the driver once", async () => {
  const dir = await repo("a\n");
  try {
    assert.equal(await ensureMergeDriver(dir), true);
    assert.equal(await ensureMergeDriver(dir), false);
    assert.match(
      await git(dir, "config", "--get", "merge.datum-append.driver"),
      /^sh -c '/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the datum-append driver keeps base, then our tail, then theirs, even with shared lines", async () => {
  const dir = await repo("# Log\n\nbase\n");
  try {
    await ensureMergeDriver(dir);
    const merged = await branchAndMerge(
      dir,
      (t) => `${t}\n### ours\n\nshared line\n\n---\n`,
      (t) => `${t}\n### theirs\n\nshared line\n\n---\n`,
    );
    assert.equal(
      merged,
      "# Log\n\nbase\n\n### ours\n\nshared line\n\n---\n\n### theirs\n\nshared line\n\n---\n",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the datum-append driver falls back to a union merge when a side edited old lines", async () => {
  const dir = await repo("first\nsecond\n");
  try {
    await ensureMergeDriver(dir);
    const merged = await branchAndMerge(
      dir,
      (t) => `${t}ours\n`,
      (t) => `${t.replace("first", "FIRST")}theirs\n`,
    );
    assert.doesNotMatch(merged, /^(<<<<<<<|=======|>>>>>>>)/m);
    assert.match(merged, /^FIRST\nsecond\n/);
    assert.match(merged, /ours\n/);
    assert.match(merged, /theirs\n/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
