import assert from "node:assert/strict";
import { datum, json, ROOT_DIR, tempDir } from "./_helpers.ts";

Deno.test("the bundle dist/datum.js boots and briefs under the CLI's permission set", async () => {
  await using tmp = await tempDir();
  const bundle = `${tmp.path}/datum.js`;
  const built = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      `--config=${ROOT_DIR}/deno.json`,
      "-o",
      bundle,
      `${ROOT_DIR}/main.ts`,
    ],
    cwd: ROOT_DIR,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(built.code, 0, new TextDecoder().decode(built.stderr));
  const ws = `${tmp.path}/ws`;
  const booted = await datum(
    ["boot", "-w", ws, "--name", "bundled", "--json"],
    { script: bundle, cwd: tmp.path },
  );
  assert.equal(booted.code, 0, booted.stderr);
  assert.equal(json<{ created: boolean }>(booted).created, true);
  const brief = await datum(["brief", "-w", ws, "--budget", "500", "--json"], {
    script: bundle,
    cwd: tmp.path,
  });
  assert.equal(brief.code, 0, brief.stderr);
  const b = json<
    { agent: { name: string }; budget: { tokens: number; limit: number } }
  >(brief);
  assert.equal(b.agent.name, "bundled");
  assert.ok(b.budget.tokens <= 500);
});
