import assert from "node:assert/strict";
import { DatumError, ExitCode } from "../core/errors.ts";
import { git, tempDir } from "../tests/_helpers.ts";
import {
  deliver,
  type DeliverOptions,
  type DeliveryFile,
  listRemote,
  redactTarget,
} from "./transport.ts";

const FOR_NAVIGATOR = "message-in-a-bottle/for-navigator";
const NOW = new Date("2026-11-30T04:00:00Z");

function bottle(name: string, body = `Hello from ${name}\n`): DeliveryFile {
  return { path: `${FOR_NAVIGATOR}/${name}.md`, content: body };
}

/** An empty bare vessel in `dir`. */
async function bareVessel(
  dir: string,
  name = "navigator.git",
): Promise<string> {
  const path = `${dir}/${name}`;
  await git(dir, "init", "-q", "--bare", path);
  return path;
}

/** A bare vessel whose history is one commit on `branch`, which HEAD names. */
async function vesselWithHistory(dir: string, branch: string): Promise<string> {
  const bare = await bareVessel(dir);
  await git(bare, "symbolic-ref", "HEAD", `refs/heads/${branch}`);
  const work = `${dir}/seed-work`;
  await git(dir, "init", "-q", "-b", branch, work);
  await Deno.writeTextFile(`${work}/SEED.md`, "# navigator\n");
  await git(work, "add", "SEED.md");
  await git(work, "commit", "-q", "-m", "seed");
  await git(work, "push", "-q", bare, `${branch}:${branch}`);
  return bare;
}

function options(cacheDir: string, agent = "scout"): DeliverOptions {
  return {
    cacheDir,
    agent,
    message: `[I2I:SIGNAL] ${agent}:drop — test`,
    now: NOW,
  };
}

async function filesIn(bare: string, ref = "HEAD"): Promise<string[]> {
  const out = await git(bare, "ls-tree", "-r", "--name-only", ref);
  return out ? out.split("\n") : [];
}

async function rejects(
  promise: Promise<unknown>,
  code: string,
): Promise<DatumError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DatumError, `not a DatumError: ${error}`);
    assert.equal(error.code, code, error.message);
    assert.ok(!error.message.includes("\n"), "the message is one line");
    return error;
  }
  assert.fail(`expected ${code}`);
}

Deno.test("deliver() makes a root commit on main in an empty bare vessel", async () => {
  await using tmp = await tempDir();
  const bare = await bareVessel(tmp.path);
  const file = bottle("2026-11-30_scout_route-tables-1a2b3c4d");
  const result = await deliver(bare, [file], options(`${tmp.path}/cache`));
  assert.deepEqual(
    { ...result, commit: undefined },
    { commit: undefined, attempts: 1, branch: "main", added: [file.path] },
  );
  assert.equal(await git(bare, "rev-parse", "refs/heads/main"), result.commit);
  assert.deepEqual(await filesIn(bare, "main"), [file.path]);
  assert.equal(
    await git(bare, "show", `main:${file.path}`),
    file.content.trim(),
  );
  assert.equal(
    await git(bare, "log", "-1", "--format=%P|%an|%ae|%cn|%at|%s", "main"),
    `|scout|scout@vessel.datum.invalid|scout|${
      NOW.getTime() / 1000
    }|[I2I:SIGNAL] scout:drop — test`,
  );
});

Deno.test("deliver() finds the default branch of a vessel with history", async (t) => {
  for (const branch of ["master", "main", "trunk"]) {
    await t.step(`HEAD names ${branch}`, async () => {
      await using tmp = await tempDir();
      const bare = await vesselWithHistory(tmp.path, branch);
      const before = await git(bare, "rev-parse", branch);
      const file = bottle("first", "ünïcödé — ✓\n");
      const result = await deliver(bare, [file], options(`${tmp.path}/c`));
      assert.equal(result.branch, branch);
      assert.equal(await git(bare, "rev-parse", branch), result.commit);
      assert.equal(await git(bare, "rev-parse", `${branch}^`), before);
      assert.deepEqual(await filesIn(bare, branch), ["SEED.md", file.path]);
      assert.equal(
        await git(bare, "cat-file", "blob", `${branch}:${file.path}`),
        "ünïcödé — ✓",
      );
      assert.equal(
        await git(bare, "for-each-ref", "--format=%(refname)"),
        `refs/heads/${branch}`,
      );
    });
  }
});

Deno.test("deliver() accepts a relative path and a file:// URL", async () => {
  await using tmp = await tempDir();
  await bareVessel(tmp.path);
  const cwd = Deno.cwd();
  Deno.chdir(tmp.path);
  try {
    await deliver("./navigator.git", [bottle("a")], options("cache"));
  } finally {
    Deno.chdir(cwd);
  }
  await deliver(`file://${tmp.path}/navigator.git/`, [bottle("b")], {
    ...options(`${tmp.path}/cache`),
  });
  assert.deepEqual(await filesIn(`${tmp.path}/navigator.git`, "main"), [
    `${FOR_NAVIGATOR}/a.md`,
    `${FOR_NAVIGATOR}/b.md`,
  ]);
});

Deno.test("deliver() reuses its cache, repeats nothing and never overwrites", async (t) => {
  await using tmp = await tempDir();
  const bare = await vesselWithHistory(tmp.path, "master");
  const cache = `${tmp.path}/cache`;
  const a = bottle("a");
  const first = await deliver(bare, [a], options(cache));

  await t.step("the cache holds one mirror and its lock", async () => {
    const names = [];
    for await (const entry of Deno.readDir(cache)) names.push(entry.name);
    assert.equal(names.length, 2);
    assert.ok(names.some((n) => /^navigator-[0-9a-f]{16}\.git$/.test(n)));
    assert.ok(names.some((n) => /^navigator-[0-9a-f]{16}\.lock$/.test(n)));
  });

  await t.step("the same file again is a no-op", async () => {
    const again = await deliver(bare, [a], options(cache));
    assert.deepEqual(again, {
      commit: first.commit,
      attempts: 0,
      branch: "master",
      added: [],
    });
    assert.equal(await git(bare, "rev-parse", "master"), first.commit);
  });

  await t.step(
    "other content at the same path is refused, nothing pushed",
    async () => {
      const error = await rejects(
        deliver(
          bare,
          [bottle("b"), { ...a, content: "changed\n" }],
          options(cache),
        ),
        "bottle_exists",
      );
      assert.equal(error.exitCode, ExitCode.Conflict);
      assert.match(error.message, /message-in-a-bottle\/for-navigator\/a\.md/);
      assert.equal(await git(bare, "rev-parse", "master"), first.commit);
    },
  );

  await t.step("a file where a folder would go is refused", async () => {
    await rejects(
      deliver(bare, [{ path: "SEED.md/x.md", content: "x" }], options(cache)),
      "bottle_exists",
    );
    await rejects(
      deliver(bare, [{ path: FOR_NAVIGATOR, content: "x" }], options(cache)),
      "bottle_exists",
    );
    assert.equal(await git(bare, "rev-parse", "master"), first.commit);
  });

  await t.step("a batch adds only what is new", async () => {
    const b = bottle("b");
    const result = await deliver(bare, [a, b, b], options(cache));
    assert.deepEqual(result.added, [b.path]);
    assert.equal(await git(bare, "rev-parse", "master^"), first.commit);
  });

  await t.step("another sender's cache sees the delivery as done", async () => {
    const result = await deliver(bare, [a], options(`${tmp.path}/other`));
    assert.equal(result.attempts, 0);
    assert.equal(result.commit, await git(bare, "rev-parse", "master"));
  });

  await t.step("a stale cache loses its lease once and rebuilds", async () => {
    await deliver(bare, [bottle("c")], options(`${tmp.path}/other`));
    const result = await deliver(bare, [bottle("d")], options(cache));
    assert.equal(result.attempts, 2);
    assert.deepEqual(await filesIn(bare, "master"), [
      "SEED.md",
      ...["a", "b", "c", "d"].map((n) => `${FOR_NAVIGATOR}/${n}.md`),
    ]);
  });

  await t.step(
    "losing every allowed attempt fails with push_rejected",
    async () => {
      await deliver(bare, [bottle("e")], options(`${tmp.path}/other`));
      const tip = await git(bare, "rev-parse", "master");
      const error = await rejects(
        deliver(bare, [bottle("f")], { ...options(cache), maxAttempts: 1 }),
        "push_rejected",
      );
      assert.equal(error.exitCode, ExitCode.Conflict);
      assert.match(error.hint ?? "", /datum bottle flush/);
      assert.equal(await git(bare, "rev-parse", "master"), tip);
      const offline = await listRemote(bare, FOR_NAVIGATOR, {
        cacheDir: cache,
        offline: true,
      });
      assert.ok(
        !offline.includes(`${FOR_NAVIGATOR}/f.md`),
        "no unpushed commit",
      );
    },
  );

  await t.step("listRemote() lists a folder of the target", async () => {
    const listed = await listRemote(bare, `${FOR_NAVIGATOR}/`, {
      cacheDir: cache,
    });
    assert.deepEqual(
      listed,
      ["a", "b", "c", "d", "e"].map((n) => `${FOR_NAVIGATOR}/${n}.md`),
    );
    assert.deepEqual(
      await listRemote(bare, "", { cacheDir: cache, offline: true }),
      ["SEED.md", ...listed],
    );
    assert.deepEqual(
      await listRemote(bare, "nothing-here", { cacheDir: cache }),
      [],
    );
  });
});

Deno.test("deliver() names a target it cannot reach, without credentials", async (t) => {
  await using tmp = await tempDir();
  const cache = `${tmp.path}/cache`;
  await t.step("a path that does not exist", async () => {
    const missing = `${tmp.path}/nowhere.git`;
    const error = await rejects(
      deliver(missing, [bottle("a")], options(cache)),
      "vessel_unreachable",
    );
    assert.equal(error.exitCode, ExitCode.Unavailable);
    assert.ok(error.message.includes(`"${missing}"`), error.message);
    assert.match(error.hint ?? "", /datum bottle flush/);
  });
  await t.step("a folder that is not a repository", async () => {
    await Deno.mkdir(`${tmp.path}/plain`);
    await rejects(
      deliver(`${tmp.path}/plain`, [bottle("a")], options(cache)),
      "vessel_unreachable",
    );
  });
  await t.step("a URL with a password", async () => {
    const error = await rejects(
      deliver(
        "https://scout:secret@127.0.0.1:9/navigator.git",
        [bottle("a")],
        options(cache),
      ),
      "vessel_unreachable",
    );
    assert.ok(!JSON.stringify([error.message, error.hint]).includes("secret"));
    assert.ok(error.message.includes("https://***@127.0.0.1:9/navigator.git"));
  });
  await t.step(
    "a server that asks for credentials gets no prompt",
    async () => {
      await using server = Deno.serve(
        { hostname: "127.0.0.1", port: 0, onListen: () => {} },
        () =>
          new Response("who are you?", {
            status: 401,
            headers: { "WWW-Authenticate": 'Basic realm="vessels"' },
          }),
      );
      const url = `http://127.0.0.1:${server.addr.port}/navigator.git`;
      for (const target of [url, url.replace("//", "//scout:secret@")]) {
        const error = await rejects(
          deliver(target, [bottle("a")], options(cache)),
          "vessel_unreachable",
        );
        assert.ok(!error.message.includes("secret"), error.message);
        assert.ok(error.message.includes(`127.0.0.1:${server.addr.port}`));
        assert.match(error.hint ?? "", /credentials/);
      }
    },
  );

  await t.step("listRemote() fails the same way", async () => {
    await rejects(
      listRemote(`${tmp.path}/nowhere.git`, "", { cacheDir: cache }),
      "vessel_unreachable",
    );
  });
});

Deno.test("redactTarget() hides passwords and tokens but keeps ssh users", () => {
  assert.equal(
    redactTarget("fatal: unable to access 'https://tok@github.com/a/b.git/'"),
    "fatal: unable to access 'https://***@github.com/a/b.git/'",
  );
  assert.equal(
    redactTarget("ssh://u:p@host/v.git and ssh://git@host/v.git"),
    "ssh://***@host/v.git and ssh://git@host/v.git",
  );
  assert.equal(redactTarget("git@host:v.git"), "git@host:v.git");
});

Deno.test("deliver() reports a push that the vessel's hook refuses", async () => {
  await using tmp = await tempDir();
  const bare = await vesselWithHistory(tmp.path, "main");
  const hook = `${bare}/hooks/pre-receive`;
  await Deno.writeTextFile(
    hook,
    "#!/bin/sh\necho 'no bottles today' >&2\nexit 1\n",
  );
  await Deno.chmod(hook, 0o755);
  const before = await git(bare, "rev-parse", "main");
  const cache = `${tmp.path}/cache`;
  const error = await rejects(
    deliver(bare, [bottle("a")], options(cache)),
    "push_refused",
  );
  assert.equal(error.exitCode, ExitCode.Unavailable);
  assert.match(error.message, /pre-receive hook declined.*no bottles today/);
  assert.equal(await git(bare, "rev-parse", "main"), before);
  assert.deepEqual(
    await listRemote(bare, "", { cacheDir: cache, offline: true }),
    ["SEED.md"],
  );
});

Deno.test("deliver() refuses paths that are not plain relative paths", async (t) => {
  await using tmp = await tempDir();
  const bare = await bareVessel(tmp.path);
  for (
    const path of [
      "",
      "/abs.md",
      "a/../b.md",
      "./a.md",
      "a//b.md",
      ".git/config",
      "a\\b.md",
      "a\nb.md",
      '"q.md',
    ]
  ) {
    await t.step(JSON.stringify(path), async () => {
      const error = await rejects(
        deliver(bare, [{ path, content: "x" }], options(`${tmp.path}/c`)),
        "bottle_path_invalid",
      );
      assert.equal(error.exitCode, ExitCode.Invalid);
    });
  }
  assert.equal(await git(bare, "for-each-ref"), "");
});

Deno.test("deliver() drops into a clean local working vessel", async () => {
  await using tmp = await tempDir();
  const work = `${tmp.path}/navigator`;
  await git(tmp.path, "init", "-q", "-b", "main", work);
  await Deno.writeTextFile(`${work}/SEED.md`, "# navigator\n");
  await git(work, "add", "SEED.md");
  await git(work, "commit", "-q", "-m", "seed");
  const file = bottle("a");
  await deliver(work, [file], options(`${tmp.path}/cache`));
  assert.equal(await Deno.readTextFile(`${work}/${file.path}`), file.content);
  assert.equal(await git(work, "status", "--porcelain"), "");
});

Deno.test("deliver() leaves a working vessel with uncommitted changes alone", async () => {
  await using tmp = await tempDir();
  const work = `${tmp.path}/navigator`;
  await git(tmp.path, "init", "-q", "-b", "main", work);
  await Deno.writeTextFile(`${work}/SEED.md`, "# navigator\n");
  await git(work, "add", "SEED.md");
  await git(work, "commit", "-q", "-m", "seed");
  await Deno.writeTextFile(`${work}/SEED.md`, "# navigator, editing\n");
  const before = await git(work, "rev-parse", "HEAD");
  const error = await rejects(
    deliver(work, [bottle("a")], options(`${tmp.path}/cache`)),
    "push_refused",
  );
  assert.match(error.hint ?? "", /uncommitted changes/);
  assert.equal(await git(work, "rev-parse", "HEAD"), before);
  assert.equal(
    await Deno.readTextFile(`${work}/SEED.md`),
    "# navigator, editing\n",
  );
});

Deno.test("deliver() stops when its signal aborts", async () => {
  await using tmp = await tempDir();
  const bare = await bareVessel(tmp.path);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    deliver(bare, [bottle("a")], {
      ...options(`${tmp.path}/c`),
      signal: controller.signal,
    }),
    { name: "AbortError" },
  );
});

/** Checks that `bare`'s main holds exactly `paths` besides SEED.md, in a linear history. */
async function assertHolds(
  bare: string,
  paths: string[],
  commits: number,
): Promise<void> {
  const files = await filesIn(bare, "main");
  assert.deepEqual(files, ["SEED.md", ...paths].sort());
  for (const path of paths) {
    assert.equal(await git(bare, "show", `main:${path}`), `content of ${path}`);
  }
  const parents = (await git(bare, "rev-list", "--parents", "main")).split(
    "\n",
  );
  assert.equal(parents.length, commits + 1);
  assert.ok(parents.every((line) => line.split(" ").length <= 2), "linear");
}

function numbered(sender: number, i: number): DeliveryFile {
  const path = `${FOR_NAVIGATOR}/sender-${sender}-${i}.md`;
  return { path, content: `content of ${path}\n` };
}

Deno.test("deliver() loses nothing when 8 senders flush 15 bottles each at once", async () => {
  await using tmp = await tempDir();
  const bare = await vesselWithHistory(tmp.path, "main");
  const results = await Promise.all(
    Array.from({ length: 8 }, (_, s) =>
      deliver(
        bare,
        Array.from({ length: 15 }, (_, i) => numbered(s, i)),
        options(`${tmp.path}/cache-${s}`, `sender-${s}`),
      )),
  );
  assert.ok(results.every((r) => r.added.length === 15));
  await assertHolds(
    bare,
    results.flatMap((r) => r.added),
    8,
  );
});

Deno.test("deliver() loses nothing when 8 senders each drop 5 bottles one by one", async () => {
  await using tmp = await tempDir();
  const bare = await vesselWithHistory(tmp.path, "main");
  const attempts = await Promise.all(
    Array.from({ length: 8 }, async (_, s) => {
      const tries: number[] = [];
      for (let i = 0; i < 5; i++) {
        // Eight senders pushing back to back is a worst case: a generous bound.
        const result = await deliver(bare, [numbered(s, i)], {
          ...options(`${tmp.path}/cache-${s}`, `sender-${s}`),
          maxAttempts: 60,
        });
        tries.push(result.attempts);
      }
      return tries;
    }),
  );
  const paths = Array.from(
    { length: 8 },
    (_, s) => Array.from({ length: 5 }, (_, i) => numbered(s, i).path),
  ).flat();
  await assertHolds(bare, paths, 40);
  // Every drop landed within its bound, and the race was real.
  assert.ok(attempts.flat().some((n) => n > 1));
});

Deno.test("deliver() serialises processes that share one cache", async (t) => {
  await using tmp = await tempDir();
  const bare = await bareVessel(tmp.path);
  const cache = `${tmp.path}/cache`;

  await t.step("two promises in one process", async () => {
    await Promise.all([
      deliver(bare, [bottle("p1")], options(cache)),
      deliver(bare, [bottle("p2")], options(cache)),
    ]);
  });

  await t.step("four processes", async () => {
    const script = `${tmp.path}/drop.ts`;
    await Deno.writeTextFile(
      script,
      `import { deliver } from ${
        JSON.stringify(import.meta.resolve("./transport.ts"))
      };
const [bare, cache, name] = Deno.args;
for (let i = 0; i < 5; i++) {
  await deliver(bare!, [{ path: \`${FOR_NAVIGATOR}/\${name}-\${i}.md\`, content: name! }], {
    cacheDir: cache!, agent: "scout", message: "[I2I:SIGNAL] scout:drop — test",
  });
}
`,
    );
    const runs = await Promise.all(
      ["q1", "q2", "q3", "q4"].map((name) =>
        new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", "--quiet", script, bare, cache, name],
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
        }).output()
      ),
    );
    for (const run of runs) {
      assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
    }
  });

  const files = await filesIn(bare, "main");
  assert.equal(files.length, 2 + 4 * 5);
  const parents = (await git(bare, "rev-list", "--parents", "main")).split(
    "\n",
  );
  assert.equal(parents.length, 2 + 4 * 5);
  assert.ok(parents.every((line) => line.split(" ").length <= 2), "linear");
  assert.equal(
    await git(bare, "show", `main:${FOR_NAVIGATOR}/q3-4.md`),
    "q3",
  );
});
