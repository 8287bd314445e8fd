import assert from "node:assert/strict";
import { DatumError } from "./errors.ts";
import { git } from "./git.ts";

Deno.test("git() failures are one line that never shows a password from a URL", async () => {
  const dir = await Deno.makeTempDir({ prefix: "datum-git-" });
  try {
    await git(dir, ["init", "-q"]);
    await assert.rejects(
      git(dir, ["checkout", "https://scout:hunter2@git.example.invalid/x"]),
      (error) => {
        assert.ok(error instanceof DatumError);
        assert.equal(error.code, "git_failed");
        assert.doesNotMatch(error.message, /hunter2|\n/);
        assert.match(
          error.message,
          /^Cannot run "git checkout" in ".*": error: pathspec 'https:\/\/\*\*\*@git\.example\.invalid\/x'/,
        );
        return true;
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
