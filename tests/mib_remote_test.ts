import assert from "node:assert/strict";
import { datum, git, json, ROOT_DIR, tempDir } from "./_helpers.ts";

const MIB = "message-in-a-bottle";

async function bootVessel(dir: string, name: string): Promise<string> {
  const path = `${dir}/${name}`;
  const booted = await datum(["boot", "-w", path, "--name", name]);
  assert.equal(booted.code, 0, booted.stderr);
  return path;
}

async function bare(dir: string, name: string): Promise<string> {
  const path = `${dir}/${name}.git`;
  await git(dir, "init", "-q", "--bare", "-b", "main", path);
  return path;
}

/** The bottle files in the remote's default branch. */
async function remoteBottles(remote: string): Promise<string[]> {
  const listed = await git(
    remote,
    "ls-tree",
    "-r",
    "--name-only",
    "HEAD",
    "--",
    `${MIB}/`,
  ).catch(() => "");
  return listed.split("\n").filter((line) => line.endsWith(".md"));
}

function deliveries(text: string): { event: string; id: string }[] {
  return text.trim().split("\n").map((line) => JSON.parse(line));
}

Deno.test("bottle drop --to-vessel delivers into a bare remote vessel with an I2I commit", async () => {
  await using tmp = await tempDir();
  const alpha = await bootVessel(tmp.path, "alpha");
  const remote = await bare(tmp.path, "navigator");
  const run = await datum([
    "bottle",
    "drop",
    "navigator",
    "Route tables",
    "-w",
    alpha,
    "-t",
    "deliverable",
    "-c",
    "North passage open",
    "--to-vessel",
    remote,
    "--json",
  ]);
  assert.equal(run.code, 0, run.stderr);
  const result = json<
    { id: string; path: string; delivery: { state: string; commit: string } }
  >(run);
  assert.equal(result.delivery.state, "delivered");
  assert.deepEqual(await remoteBottles(remote), [result.path]);
  assert.equal(
    (await git(remote, "show", `HEAD:${result.path}`)).trimEnd(),
    (await Deno.readTextFile(`${alpha}/${result.path}`)).trimEnd(),
  );
  assert.equal(
    (await git(remote, "log", "-1", "--format=%s%n%an%n%H")).trim(),
    `[I2I:DELIVERABLE] alpha:bottle — to navigator: Route tables\nalpha\n${result.delivery.commit}`,
  );
  // The sender's log says queued, then delivered; both committed.
  const log = deliveries(
    await Deno.readTextFile(`${alpha}/${MIB}/deliveries.log`),
  );
  assert.deepEqual(log.map((e) => [e.event, e.id]), [
    ["queued", result.id],
    ["delivered", result.id],
  ]);
  assert.equal((await git(alpha, "status", "--porcelain")).trim(), "");
  // The recipient, booting a clone of its vessel, finds the bottle.
  await git(tmp.path, "clone", "-q", remote, `${tmp.path}/nav`);
  await Deno.writeTextFile(
    `${tmp.path}/nav/CAPABILITY.toml`,
    '[agent]\nname = "navigator"\nrole = "navigator"\n',
  );
  const check = await datum([
    "bottle",
    "check",
    "-w",
    `${tmp.path}/nav`,
    "--json",
  ]);
  assert.equal(check.code, 0, check.stderr);
  assert.deepEqual(
    json<{ bottles: { id: string; from: string }[] }>(check).bottles.map((
      b,
    ) => [b.id, b.from]),
    [[result.id, "alpha"]],
  );
});

Deno.test("a delivery that fails leaves the bottle queued; bottle flush delivers it later", async () => {
  await using tmp = await tempDir();
  const alpha = await bootVessel(tmp.path, "alpha");
  const remote = `${tmp.path}/later.git`;
  const run = await datum([
    "bottle",
    "drop",
    "navigator",
    "Not yet",
    "-w",
    alpha,
    "-c",
    "Waiting for the vessel",
    "--to-vessel",
    remote,
  ]);
  assert.equal(run.code, 6, run.stderr);
  const lines = run.stderr.trim().split("\n");
  assert.equal(lines.length, 1, run.stderr);
  assert.match(
    lines[0]!,
    /^error: Bottle \S+ was not delivered to .*later\.git/,
  );
  assert.match(lines[0]!, /queued; run `datum bottle flush` to retry/);
  const [file] = (await Array.fromAsync(
    Deno.readDir(`${alpha}/${MIB}/for-navigator`),
  )).filter((e) => e.name.endsWith(".md"));
  assert.ok(file, "the bottle stays in the sender's outbox");

  const early = await datum(["bottle", "flush", "-w", alpha, "--json"]);
  assert.equal(early.code, 6);
  assert.equal(json<{ queued: unknown[] }>(early).queued.length, 1);

  await bare(tmp.path, "later");
  const flushed = await datum(["bottle", "flush", "-w", alpha, "--json"]);
  assert.equal(flushed.code, 0, flushed.stderr);
  assert.equal(json<{ delivered: unknown[] }>(flushed).delivered.length, 1);
  assert.deepEqual(await remoteBottles(remote), [
    `${MIB}/for-navigator/${file.name}`,
  ]);
  const again = await datum(["bottle", "flush", "-w", alpha]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /^0 delivered, 0 still queued/);
  assert.equal((await git(alpha, "status", "--porcelain")).trim(), "");
});

Deno.test("a remote that refuses the push, and a URL with a password, are clear errors", async () => {
  await using tmp = await tempDir();
  const alpha = await bootVessel(tmp.path, "alpha");
  const remote = await bare(tmp.path, "strict");
  await Deno.writeTextFile(
    `${remote}/hooks/pre-receive`,
    "#!/bin/sh\necho 'pushes are closed' >&2\nexit 1\n",
  );
  await Deno.chmod(`${remote}/hooks/pre-receive`, 0o755);
  const refused = await datum([
    "bottle",
    "drop",
    "navigator",
    "Knock",
    "-w",
    alpha,
    "-c",
    "hello",
    "--to-vessel",
    remote,
  ]);
  assert.equal(refused.code, 6, refused.stderr);
  assert.equal(refused.stderr.trim().split("\n").length, 1, refused.stderr);
  assert.match(refused.stderr, /not delivered/);
  assert.deepEqual(await remoteBottles(remote), []);

  const secret = await datum([
    "bottle",
    "drop",
    "navigator",
    "Knock",
    "-w",
    alpha,
    "-c",
    "hello",
    "--to-vessel",
    "https://scout:hunter2@git.example.invalid/fleet/nav.git",
  ]);
  assert.equal(secret.code, 2);
  assert.match(secret.stderr, /holds a password/);
  assert.doesNotMatch(secret.stderr, /hunter2/);
  assert.doesNotMatch(
    await Deno.readTextFile(`${alpha}/${MIB}/deliveries.log`),
    /hunter2/,
  );
});

Deno.test("eight processes dropping 100 bottles each into one bare remote leave exactly 800, all readable, after flush", async () => {
  await using tmp = await tempDir();
  const remote = await bare(tmp.path, "navigator");
  const senders = await Promise.all(
    Array.from({ length: 8 }, (_, i) => bootVessel(tmp.path, `agent-${i}`)),
  );
  const runs = await Promise.all(senders.map(async (sender) => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        `--config=${ROOT_DIR}/deno.json`,
        "--allow-read",
        "--allow-write",
        "--allow-run=git",
        "--allow-env",
        `${ROOT_DIR}/tests/_drop_many.ts`,
        sender,
        remote,
        "100",
      ],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    assert.equal(output.code, 0, decoder.decode(output.stderr));
    return decoder.decode(output.stdout).trim();
  }));
  for (const run of runs) assert.match(run, /^delivered \d+ queued \d+$/);
  for (const sender of senders) {
    // Flush until nothing is queued; each round either delivers or is bounded.
    for (let round = 0;; round++) {
      const flushed = await datum(["bottle", "flush", "-w", sender, "--json"]);
      if (flushed.code === 0) break;
      assert.ok(round < 5, flushed.stderr);
    }
  }
  const files = await remoteBottles(remote);
  assert.equal(files.length, 800);
  assert.equal(new Set(files).size, 800);
  const parents = (await git(remote, "log", "--format=%p", "HEAD")).trim()
    .split("\n");
  assert.ok(
    parents.every((p) => p.split(" ").length <= 1),
    "history is linear",
  );
  await git(tmp.path, "clone", "-q", remote, `${tmp.path}/nav`);
  await Deno.writeTextFile(
    `${tmp.path}/nav/CAPABILITY.toml`,
    '[agent]\nname = "navigator"\nrole = "navigator"\n',
  );
  const check = await datum([
    "bottle",
    "check",
    "-w",
    `${tmp.path}/nav`,
    "--no-pull",
    "--json",
  ]);
  assert.equal(check.code, 0, check.stderr);
  const report = json<
    {
      total: number;
      bottles: { id?: string; from?: string; problem?: string }[];
    }
  >(check);
  assert.equal(report.total, 800);
  assert.equal(new Set(report.bottles.map((b) => b.id)).size, 800);
  assert.ok(report.bottles.every((b) => b.problem === undefined));
  assert.deepEqual(
    [...new Set(report.bottles.map((b) => b.from))].sort(),
    senders.map((s) => s.slice(s.lastIndexOf("/") + 1)).sort(),
  );
});
