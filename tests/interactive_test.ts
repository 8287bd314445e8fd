import assert from "node:assert/strict";
import { datumArgs, tempDir } from "./_helpers.ts";

const hasScript = await new Deno.Command("script", {
  args: ["--version"],
  stdout: "null",
  stderr: "null",
})
  .output().then((o) => o.success, () => false);

Deno.test({
  name: "datum boot on a terminal asks for the agent's name and role" +
    (hasScript ? "" : " (skipped: needs script(1); install util-linux)"),
  ignore: !hasScript,
  fn: async () => {
    await using tmp = await tempDir();
    const ws = `${tmp.path}/ws`;
    const command = [Deno.execPath(), ...datumArgs(["boot", "-w", ws])]
      .map((w) => `'${w}'`).join(" ");
    // script(1) gives datum a pseudo-terminal, as a person at a shell would.
    const child = new Deno.Command("script", {
      args: ["-qfec", command, "/dev/null"],
      env: { NO_COLOR: "1", TERM: "dumb" },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    const reader = child.stdout.pipeThrough(new TextDecoderStream())
      .getReader();
    let seen = "";
    const answer = async (question: string, reply: string): Promise<void> => {
      while (!seen.includes(question)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`no "${question}" prompt; saw: ${seen}`);
        seen += value;
      }
      await writer.write(new TextEncoder().encode(`${reply}\r`));
    };
    await answer("Agent name [agent]:", "scout");
    await answer("Agent role [agent]:", "explorer");
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
    }
    await writer.close();
    const status = await child.status;
    await child.stderr.cancel();
    assert.equal(status.code, 0, seen);
    assert.match(seen, /# Succession brief: scout \(explorer\)/);
    const config = await Deno.readTextFile(`${ws}/.datum/config.toml`);
    assert.match(config, /name = "scout"\nrole = "explorer"/);
  },
});
