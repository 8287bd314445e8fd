import assert from "node:assert/strict";
import { CLI_FLAGS, datum, git, type RunResult, tempDir } from "./_helpers.ts";

/** One line on stderr, nothing on stdout, the expected code. */
function assertOneLineError(
  result: RunResult,
  code: number,
  pattern: RegExp,
): void {
  assert.equal(result.code, code, `exit code; stderr: ${result.stderr}`);
  assert.equal(result.stdout, "");
  const lines = result.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `one line: ${result.stderr}`);
  assert.match(lines[0]!, pattern);
}

async function entries(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

Deno.test("a malformed CAPABILITY.toml is named with its line and key", async (t) => {
  await using tmp = await tempDir();
  const ws = `${tmp.path}/ws`;
  assert.equal((await datum(["boot", "-w", ws, "--name", "scout"])).code, 0);
  const path = `${ws}/CAPABILITY.toml`;
  const good = await Deno.readTextFile(path);

  await t.step("a syntax error gives the parser's line", async () => {
    await Deno.writeTextFile(path, `[agent]\nname = "scout"\nrole = \n`);
    const result = await datum(["boot", "-w", ws]);
    assertOneLineError(
      result,
      3,
      /^error: Invalid vessel: CAPABILITY\.toml:3: .+; run `datum status`/,
    );
  });
  await t.step("a wrong type names the line and the dotted key", async () => {
    await Deno.writeTextFile(
      path,
      good.replace(
        "[capabilities]",
        '[capabilities]\naudit = { confidence = "high" }',
      ),
    );
    const line = (await Deno.readTextFile(path)).split("\n").findIndex((l) =>
      l.startsWith("audit =")
    ) + 1;
    const result = await datum(["boot", "-w", ws]);
    assertOneLineError(
      result,
      3,
      new RegExp(
        `CAPABILITY\\.toml:${line}: key "capabilities\\.audit\\.confidence" must be a number`,
      ),
    );
    const status = await datum(["status", "-w", ws, "--json"]);
    assert.equal(status.code, 3);
    const s = JSON.parse(status.stdout);
    assert.equal(s.valid, false);
    assert.deepEqual(
      s.problems.map((
        p: { path: string; line: number; key: string },
      ) => [p.path, p.line, p.key]),
      [["CAPABILITY.toml", line, "capabilities.audit.confidence"]],
    );
  });
});

Deno.test("datum status prints every problem and exits 3", async () => {
  await using tmp = await tempDir();
  const ws = `${tmp.path}/ws`;
  assert.equal((await datum(["boot", "-w", ws, "--name", "scout"])).code, 0);
  await Deno.remove(`${ws}/SEED.md`);
  await Deno.writeTextFile(
    `${ws}/TASKBOARD.md`,
    "# Task Board\n\n<!-- TASKS_JSON_START -->\n{ nope\n<!-- TASKS_JSON_END -->\n",
  );
  await Deno.writeTextFile(`${ws}/scratch.txt`, "x");
  const result = await datum(["status", "-w", ws]);
  assert.equal(result.code, 3);
  assert.match(result.stdout, /vessel invalid/);
  assert.match(
    result.stdout,
    /^error: SEED\.md: missing; restore it \(`git checkout -- SEED\.md`\)/m,
  );
  assert.match(
    result.stdout,
    /^error: TASKBOARD\.md:3: the tasks JSON does not parse/m,
  );
  assert.match(result.stdout, /Uncommitted: .*scratch\.txt/);
});

Deno.test("a workshop that is a file is refused", async () => {
  await using tmp = await tempDir();
  const file = `${tmp.path}/ws`;
  await Deno.writeTextFile(file, "not a folder");
  assertOneLineError(
    await datum(["boot", "-w", file]),
    3,
    /^error: Cannot use workshop ".*ws": it is a file, not a folder; /,
  );
  assert.equal(await Deno.readTextFile(file), "not a folder");
  assertOneLineError(
    await datum(["boot", "-w", `${file}/inner`]),
    3,
    /^error: Cannot create a vessel in ".*ws\/inner": ".*ws" is a file; /,
  );
});

Deno.test("a folder with files but no vessel is refused", async () => {
  await using tmp = await tempDir();
  await Deno.writeTextFile(`${tmp.path}/notes.txt`, "mine");
  assertOneLineError(
    await datum(["boot", "-w", tmp.path]),
    3,
    /holds files but no vessel; /,
  );
  assert.deepEqual(await entries(tmp.path), ["notes.txt"]);
  assertOneLineError(
    await datum(["brief", "-w", `${tmp.path}/none`]),
    4,
    /there is no vessel; run `datum boot/,
  );
});

// root ignores file modes; the immutable attribute (chattr +i) stops even root, where
// the file system supports it.
const canLock = Deno.uid() !== 0 || await (async () => {
  const probe = await Deno.makeTempDir();
  try {
    const lock = await new Deno.Command("chattr", {
      args: ["+i", probe],
      stderr: "null",
    })
      .output().catch(() => undefined);
    if (!lock?.success) return false;
    await new Deno.Command("chattr", { args: ["-i", probe] }).output();
    return true;
  } finally {
    await Deno.remove(probe);
  }
})();

Deno.test({
  name: "an unwritable folder is refused with no partial vessel" +
    (canLock ? "" : " (skipped: root without chattr +i; install e2fsprogs)"),
  ignore: !canLock,
  fn: async () => {
    await using tmp = await tempDir();
    const parent = `${tmp.path}/locked`;
    await Deno.mkdir(parent);
    const chattr = (flag: string) =>
      new Deno.Command("chattr", { args: [flag, parent] }).output();
    if (Deno.uid() === 0) await chattr("+i");
    else await Deno.chmod(parent, 0o555);
    try {
      const result = await datum(["boot", "-w", `${parent}/ws`]);
      assertOneLineError(
        result,
        1,
        /^error: Cannot create a vessel in ".*locked": permission denied by the file system; /,
      );
      assert.deepEqual(await entries(parent), []);
    } finally {
      if (Deno.uid() === 0) await chattr("-i");
      else await Deno.chmod(parent, 0o755);
    }
  },
});

Deno.test("a folder inside another git repository is refused unless that repository ignores it", async () => {
  await using tmp = await tempDir();
  await git(tmp.path, "init", "-q");
  assertOneLineError(
    await datum(["boot", "-w", `${tmp.path}/ws`]),
    3,
    /^error: Cannot create a vessel in ".*ws": the folder is inside the git repository ".*"; choose a folder outside it/,
  );
  assert.deepEqual(await entries(tmp.path), [".git"]);
  await Deno.writeTextFile(`${tmp.path}/.gitignore`, "/ws/\n");
  const ok = await datum(["boot", "-w", `${tmp.path}/ws`]);
  assert.equal(ok.code, 0, ok.stderr);
});

Deno.test("git missing from PATH is named with the fix", async () => {
  await using tmp = await tempDir();
  const result = await datum(["boot", "-w", `${tmp.path}/ws`], {
    env: { PATH: tmp.path },
  });
  assertOneLineError(
    result,
    1,
    /^error: Cannot run git: it is not on PATH; install git/,
  );
  assert.deepEqual(await entries(tmp.path), []);
});

Deno.test("a missing permission exits 7 naming the exact flag", async (t) => {
  await using tmp = await tempDir();
  await t.step("without --allow-run=git", async () => {
    const flags = CLI_FLAGS.filter((f) => !f.startsWith("--allow-run"));
    const result = await datum(["boot", "-w", `${tmp.path}/ws`], { flags });
    assertOneLineError(result, 7, /run again with --allow-run=git/);
    assert.deepEqual(await entries(tmp.path), []);
  });
  await t.step("without --allow-write", async () => {
    const flags = CLI_FLAGS.filter((f) => !f.startsWith("--allow-write"));
    const result = await datum(["boot", "-w", `${tmp.path}/ws`], { flags });
    assertOneLineError(result, 7, /run again with --allow-write=\/.*ws/);
    assert.deepEqual(await entries(tmp.path), []);
  });
  await t.step("without --allow-read", async () => {
    const flags = CLI_FLAGS.filter((f) => !f.startsWith("--allow-read"));
    const result = await datum(["status", "-w", tmp.path], { flags });
    assertOneLineError(result, 7, /run again with --allow-read=/);
  });
});

Deno.test("unknown commands and flags are usage errors", async (t) => {
  await t.step("an unknown command suggests the nearest", async () => {
    assertOneLineError(
      await datum(["statsu"]),
      2,
      /^error: Unknown command "statsu"; did you mean `datum status`\?/,
    );
  });
  await t.step("an unknown flag suggests the nearest", async () => {
    assertOneLineError(
      await datum(["boot", "--workshp", "x"]),
      2,
      /^error: Unknown option "--workshp" for "datum boot"; did you mean --workshop\?/,
    );
  });
  await t.step("a missing argument names it", async () => {
    assertOneLineError(
      await datum(["journal", "NOTE"]),
      2,
      /^error: Missing argument CONTENT for "datum journal"/,
    );
  });
  await t.step("a bad value names the flag", async () => {
    assertOneLineError(
      await datum(["brief", "--budget", "lots"]),
      2,
      /--budget needs a whole number, got "lots"/,
    );
    assertOneLineError(
      await datum(["boot", "--keeper", "ftp://x"]),
      2,
      /--keeper needs an http\(s\) URL/,
    );
    assertOneLineError(
      await datum(["boot", "--color", "sometimes"]),
      2,
      /--color does not accept "sometimes"/,
    );
  });
  await t.step("errors under --json are one JSON line on stderr", async () => {
    const result = await datum(["brief", "-w", "/nonexistent/ws", "--json"]);
    assert.equal(result.code, 4);
    assert.equal(result.stdout, "");
    const error = JSON.parse(result.stderr).error;
    assert.equal(error.code, "no_vessel");
    assert.match(error.hint, /datum boot/);
  });
  await t.step(
    "a bad agent name is refused before anything is written",
    async () => {
      await using tmp = await tempDir();
      assertOneLineError(
        await datum(["boot", "-w", `${tmp.path}/ws`, "--name", "Bad Name"]),
        2,
        /invalid agent name/,
      );
      assert.deepEqual(await entries(tmp.path), []);
    },
  );
});

Deno.test("a malformed .datum/config.toml is named with its line", async () => {
  await using tmp = await tempDir();
  const ws = `${tmp.path}/ws`;
  assert.equal((await datum(["boot", "-w", ws])).code, 0);
  await Deno.writeTextFile(
    `${ws}/.datum/config.toml`,
    '[agent]\nname = "scout\n',
  );
  for (const command of ["boot", "brief", "status", "resume"]) {
    assertOneLineError(
      await datum([command, "-w", ws]),
      3,
      /^error: Invalid \.datum\/config\.toml:2: /,
    );
  }
  assertOneLineError(
    await datum(["journal", "-w", ws, "NOTE", "x"]),
    3,
    /config\.toml:2/,
  );
});

Deno.test("a document that links outside the vessel is neither read nor written", async (t) => {
  await using tmp = await tempDir();
  const ws = `${tmp.path}/ws`;
  assert.equal((await datum(["boot", "-w", ws])).code, 0);
  const secret = `${tmp.path}/id_rsa`;
  await Deno.writeTextFile(secret, "-----BEGIN PRIVATE KEY----- SECRET\n");

  await t.step("a linked SEED.md never reaches the brief", async () => {
    await Deno.remove(`${ws}/SEED.md`);
    await Deno.symlink(secret, `${ws}/SEED.md`);
    const brief = await datum(["brief", "-w", ws]);
    assert.equal(brief.code, 0);
    assert.doesNotMatch(brief.stdout, /SECRET/);
    assert.match(
      brief.stdout,
      /error: SEED\.md: Refusing to use "SEED\.md": it is a symbolic link to ".*id_rsa", outside the vessel/,
    );
    const status = await datum(["status", "-w", ws]);
    assert.equal(status.code, 3);
    assert.doesNotMatch(status.stdout + status.stderr, /SECRET/);
    assertOneLineError(
      await datum(["boot", "-w", ws]),
      3,
      /Refusing to use "SEED\.md"/,
    );
  });
  await t.step("a linked JOURNAL.md is not appended to", async () => {
    await Deno.remove(`${ws}/JOURNAL.md`);
    await Deno.symlink(secret, `${ws}/JOURNAL.md`);
    assertOneLineError(
      await datum(["journal", "-w", ws, "NOTE", "hello"]),
      3,
      /^error: Refusing to use "JOURNAL\.md": it is a symbolic link to ".*", outside the vessel; replace the link/,
    );
    assert.equal(
      await Deno.readTextFile(secret),
      "-----BEGIN PRIVATE KEY----- SECRET\n",
    );
  });
  await t.step("a linked configuration stops every command", async () => {
    await Deno.remove(`${ws}/.datum/config.toml`);
    await Deno.symlink(secret, `${ws}/.datum/config.toml`);
    assertOneLineError(
      await datum(["status", "-w", ws]),
      3,
      /Refusing to use "\.datum\/config\.toml"/,
    );
  });
});

Deno.test("datum journal --commit outside a git repository writes nothing", async () => {
  await using tmp = await tempDir();
  const ws = `${tmp.path}/ws`;
  assert.equal((await datum(["boot", "-w", ws])).code, 0);
  await Deno.remove(`${ws}/.git`, { recursive: true });
  const before = await Deno.readTextFile(`${ws}/JOURNAL.md`);
  assertOneLineError(
    await datum(["journal", "-w", ws, "NOTE", "x", "--commit"]),
    3,
    /^error: Cannot commit in ".*ws": it is not a git repository; run `git init` there/,
  );
  assert.equal(await Deno.readTextFile(`${ws}/JOURNAL.md`), before);
});
