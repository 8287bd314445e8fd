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

const DOCUMENTS = [
  "SEED.md",
  "TRAIL.md",
  "METHODOLOGY.md",
  "SKILLS.md",
  "CONTEXT/README.md",
  "PROMPTS/self-instantiation.md",
  "CAPABILITY.toml",
  "JOURNAL.md",
  "TASKBOARD.md",
  "message-in-a-bottle/for-scout/.gitkeep",
  "message-in-a-bottle/for-any-vessel/.gitkeep",
  "tools/manifest.json",
  "recipes/README.md",
  ".datum/config.toml",
  ".gitignore",
  ".gitattributes",
];

async function snapshot(dir: string): Promise<string> {
  const head = await git(dir, "rev-parse", "HEAD");
  const porcelain = await git(dir, "status", "--porcelain", "--ignored");
  const files: string[] = [];
  for (const name of DOCUMENTS) {
    const info = await Deno.stat(`${dir}/${name}`).catch(() => undefined);
    files.push(`${name}:${info?.size}:${info?.mtime?.getTime()}`);
  }
  return `${head}\n${porcelain}\n${files.join("\n")}`;
}

Deno.test("datum boot creates a complete, committed vessel in a missing folder", async () => {
  await using tmp = await tempDir();
  const ws = `${tmp.path}/nested/workshop`;
  const result = await datum([
    "boot",
    "-w",
    ws,
    "--name",
    "scout",
    "--role",
    "explorer",
    "--non-interactive",
  ]);
  assert.equal(result.code, 0, result.stderr);
  for (const name of DOCUMENTS) {
    assert.ok((await Deno.stat(`${ws}/${name}`)).isFile, `${name} exists`);
  }
  assert.match(result.stdout, /^# Succession brief: scout \(explorer\)/);
  assert.match(result.stdout, /## Next actions/);
  assert.match(result.stderr, /Created the vessel of "scout"/);
  assert.equal(
    await git(ws, "log", "--format=%s"),
    "[I2I:CHECK-IN] scout:boot — vessel created by datum",
  );
  assert.equal(await git(ws, "log", "--format=%an"), "scout");
  assert.equal(await git(ws, "status", "--porcelain"), "");
  const trail = await Deno.readTextFile(`${ws}/TRAIL.md`);
  assert.match(
    trail,
    /^- \[\d{4}-\d\d-\d\dT[\d:.]+Z\] scout: boot — created the vessel <!-- \d{8}T\d{9}Z-[0-9a-f]{8} -->$/m,
  );
  const config = await Deno.readTextFile(`${ws}/.datum/config.toml`);
  assert.match(config, /name = "scout"/);
  assert.match(config, /url = "http:\/\/127\.0\.0\.1:7742"/);
  // Nothing is left behind in the parent but the vessel.
  const siblings = [];
  for await (const e of Deno.readDir(`${tmp.path}/nested`)) {
    siblings.push(e.name);
  }
  assert.deepEqual(siblings, ["workshop"]);
});

Deno.test("datum boot fills an existing empty folder and honours --keeper", async () => {
  await using tmp = await tempDir();
  const result = await datum([
    "boot",
    "-w",
    ".",
    "--keeper",
    "http://127.0.0.1:9999",
    "--json",
  ], {
    cwd: tmp.path,
  });
  assert.equal(result.code, 0, result.stderr);
  const out = json<
    { created: boolean; brief: { agent: { name: string; root: string } } }
  >(result);
  assert.equal(out.created, true);
  assert.equal(out.brief.agent.name, "agent");
  assert.equal(out.brief.agent.root, await Deno.realPath(tmp.path));
  assert.equal(result.stderr, "");
  assert.match(
    await Deno.readTextFile(`${tmp.path}/.datum/config.toml`),
    /url = "http:\/\/127\.0\.0\.1:9999"/,
  );
});

Deno.test("a second datum boot changes neither the work tree nor HEAD", async () => {
  await using tmp = await tempDir();
  const ws = `${tmp.path}/ws`;
  assert.equal((await datum(["boot", "-w", ws, "--name", "scout"])).code, 0);
  const before = await snapshot(ws);
  const second = await datum(["boot", "-w", ws]);
  assert.equal(second.code, 0, second.stderr);
  assert.match(
    second.stderr,
    /Booted the vessel of "scout".*no upstream branch/,
  );
  assert.equal(await snapshot(ws), before);
  for (const command of [["brief"], ["status"], ["resume"]]) {
    assert.equal((await datum([...command, "-w", ws])).code, 0);
  }
  assert.equal(await snapshot(ws), before);
});

Deno.test("datum boot brings a clone up to date with its remote", async () => {
  await using tmp = await tempDir();
  const { path: a, origin } = await vesselWithOrigin(tmp.path, "a");
  const b = `${tmp.path}/b`;
  await git(tmp.path, "clone", "-q", origin, b);
  assert.equal(
    (await datum(["journal", "-w", a, "NOTE", "from a", "--commit"])).code,
    0,
  );
  await git(a, "push", "-q");
  const booted = await datum(["boot", "-w", b, "--json"]);
  assert.equal(booted.code, 0, booted.stderr);
  const out = json<
    { sync: { state: string }; brief: { journal: { body: string }[] } }
  >(booted);
  assert.equal(out.sync.state, "fast-forward");
  assert.equal(out.brief.journal.at(-1)?.body, "from a");
});

Deno.test("a datum 0.3 vessel boots as it is", async (t) => {
  await using tmp = await tempDir();
  const ws = `${tmp.path}/legacy`;
  await copyTree(fixture("datum-py-0.3"), ws);
  await git(ws, "init", "-q", "-b", "main");
  await git(ws, "add", "-A");
  await git(ws, "commit", "-q", "-m", "0.3 vessel");
  const before = await git(ws, "rev-parse", "HEAD");

  const result = await datum(["boot", "-w", ws, "--json"]);
  assert.equal(result.code, 0, result.stderr);
  const b = json<{
    created: boolean;
    brief: {
      agent: { name: string; layout: string };
      tasks: { active: { id: string }[]; open: { id: string }[] };
      journal: {
        author: string;
        category: string;
        body: string;
        tags: string[];
      }[];
      bottles: { subject: string; from: string }[];
      gaps: string[];
    };
  }>(result).brief;
  await t.step("identity and layout come from .superagent/agent.toml", () => {
    assert.equal(b.agent.name, "datum");
    assert.equal(b.agent.layout, "0.3");
  });
  await t.step("the 0.3 task board's JSON gives the open tasks", () => {
    assert.deepEqual(b.tasks.active.map((x) => x.id), ["TASK-002"]);
    assert.deepEqual(b.tasks.open.map((x) => x.id), ["TASK-001"]);
  });
  await t.step(
    "the 0.3 journal's entries keep author, category and tags",
    () => {
      assert.deepEqual(
        b.journal.map((e) => [e.author, e.category, e.body, e.tags]),
        [
          ["datum-fa2490", "NOTE", "Found 3 repos needing attention", [
            "urgent",
          ]],
          ["datum-842ed2", "TASK", "Completed flux conformance audit", []],
        ],
      );
    },
  );
  await t.step(
    "bottles for the agent are listed, not its own broadcast",
    () => {
      assert.deepEqual(
        b.bottles.map((x) => [x.from, x.subject]),
        [["oracle1", "Fleet audit request"], ["oracle1", "Handoff: ISA v3"]],
      );
    },
  );
  await t.step(
    "missing succession documents are known gaps, not errors",
    () => {
      assert.ok(
        b.gaps.some((g) => g.startsWith("warning: SEED.md:")),
        b.gaps.join("\n"),
      );
    },
  );
  await t.step("nothing was written", async () => {
    assert.equal(await git(ws, "rev-parse", "HEAD"), before);
    assert.equal(await git(ws, "status", "--porcelain"), "");
  });
});
