import assert from "node:assert/strict";
import {
  CLI_FLAGS,
  datum,
  json,
  permissionFlags,
  ROOT_DIR,
  tempDir,
} from "./_helpers.ts";

const ESC = "\u001b";
const COMMANDS = [
  "boot",
  "brief",
  "resume",
  "status",
  "journal",
  "completions",
];

Deno.test("datum --help lists every command, the global options and the exit codes", async () => {
  const result = await datum(["--help"]);
  assert.equal(result.code, 0);
  assert.equal(result.stderr, "");
  for (const name of COMMANDS) {
    assert.match(result.stdout, new RegExp(`^ {2}${name} `, "m"));
  }
  assert.match(
    result.stdout,
    /^Exit codes:\n {2}0 {4}ok\n {2}1 {4}failure\n {2}2 {4}usage/m,
  );
  assert.match(result.stdout, /7 {4}missing Deno permission/);
  const bare = await datum([]);
  assert.equal(bare.code, 2);
  assert.equal(bare.stdout, "");
  assert.match(bare.stderr, /^datum \d+\.\d+\.\d+: /);
});

Deno.test("every command's --help has usage, options, examples and permissions", async () => {
  for (const name of COMMANDS) {
    for (const flag of ["--help", "-h"]) {
      const result = await datum([name, flag]);
      assert.equal(result.code, 0, `${name} ${flag}`);
      assert.match(result.stdout, new RegExp(`^Usage: datum ${name} `));
      assert.match(result.stdout, /\nOptions:\n/);
      assert.match(result.stdout, /\nExamples:\n {2}# /);
      assert.match(result.stdout, /\nPermissions:\n/);
    }
  }
  const help = await datum(["help", "journal"]);
  assert.match(help.stdout, /--commit +Append a trail line and commit/);
});

Deno.test("datum --version prints the version of deno.json", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT_DIR}/deno.json`));
  assert.equal(
    (await datum(["--version"])).stdout,
    `datum ${config.version}\n`,
  );
  assert.deepEqual(json(await datum(["--version", "--json"])), {
    version: config.version,
  });
});

Deno.test("colour follows --color and NO_COLOR, and never reaches a pipe by default", async () => {
  await using tmp = await tempDir();
  const ws = `${tmp.path}/ws`;
  assert.equal((await datum(["boot", "-w", ws])).code, 0);
  const plain = await datum(["status", "-w", ws]);
  assert.ok(!plain.stdout.includes(ESC));
  const forced = await datum(["status", "-w", ws, "--color=always"]);
  assert.ok(forced.stdout.includes(`${ESC}[32mvalid${ESC}[39m`));
  const never = await datum(["status", "-w", ws, "--color", "never"]);
  assert.ok(!never.stdout.includes(ESC));
  const error = await datum(["nope", "--color=always"]);
  assert.ok(
    error.stderr.startsWith(`${ESC}[31merror${ESC}[39m: Unknown command`),
  );
});

Deno.test("shell completions cover every command and parse in their shell", async (t) => {
  for (const shell of ["bash", "zsh", "fish"]) {
    await t.step(shell, async () => {
      const result = await datum(["completions", shell]);
      assert.equal(result.code, 0);
      for (const name of COMMANDS) {
        assert.match(result.stdout, new RegExp(`\\b${name}\\b`));
      }
      const long = shell === "fish" ? "-l " : "--";
      assert.ok(result.stdout.includes(`${long}workshop`));
      assert.ok(result.stdout.includes(`${long}budget`));
    });
  }
  await t.step(
    "the bash script is valid bash and completes commands",
    async () => {
      const script = (await datum(["completions", "bash"])).stdout;
      const probe =
        `${script}\nCOMP_WORDS=(datum bo); COMP_CWORD=1; _datum; echo "\${COMPREPLY[@]}"\n` +
        `COMP_WORDS=(datum brief --bu); COMP_CWORD=2; _datum; echo "\${COMPREPLY[@]}"\n` +
        `COMP_WORDS=(datum bottle ch); COMP_CWORD=2; _datum; echo "\${COMPREPLY[@]}"\n` +
        `COMP_WORDS=(datum bottle check --al); COMP_CWORD=3; _datum; echo "\${COMPREPLY[@]}"\n`;
      const out = await new Deno.Command("bash", {
        args: ["-c", probe],
        stdout: "piped",
      }).output();
      assert.equal(
        new TextDecoder().decode(out.stdout),
        "boot bottle\n--budget\ncheck\n--all\n",
      );
    },
  );
  await t.step("an unknown shell is a usage error", async () => {
    const result = await datum(["completions", "tcsh"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /use bash, zsh or fish/);
  });
});

Deno.test("the compile and datum tasks bake exactly the permission set the tests run with", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT_DIR}/deno.json`));
  assert.deepEqual(CLI_FLAGS, [...permissionFlags("cli"), "--ignore-env"]);
  const targets = Object.keys(config.tasks).filter((k) =>
    k.startsWith("compile:")
  );
  assert.deepEqual(targets.sort(), [
    "compile:linux-arm64",
    "compile:linux-x64",
    "compile:macos-arm64",
    "compile:macos-x64",
    "compile:windows-x64",
  ]);
  for (const task of [...targets, "datum"]) {
    const words: string[] = config.tasks[task].split(" ");
    const flags = words.filter((w) =>
      w.startsWith("--allow-") || w.startsWith("--ignore-env")
    );
    assert.deepEqual(flags, CLI_FLAGS, task);
    assert.equal(words.at(-1), "main.ts", task);
  }
});

Deno.test("DATUM_WORKSHOP and DATUM_AGENT stand in for -w and --name", async () => {
  await using tmp = await tempDir();
  const env = { DATUM_WORKSHOP: `${tmp.path}/ws`, DATUM_AGENT: "envoy" };
  const booted = await datum(["boot", "--json"], { env });
  assert.equal(booted.code, 0, booted.stderr);
  assert.equal(
    json<{ brief: { agent: { name: string; root: string } } }>(booted).brief
      .agent.name,
    "envoy",
  );
  const status = json<{ root: string; agent: string }>(
    await datum(["status", "--json"], { env }),
  );
  assert.equal(status.agent, "envoy");
  assert.equal(status.root, await Deno.realPath(`${tmp.path}/ws`));
});
