/**
 * datum's own commits: authored by the agent, with an I2I message, retried while
 * another datum process holds git's index lock.
 *
 * @module
 */

import { git } from "./git.ts";

/**
 * The `-c` options that make git act as `agent`, without signing prompts.
 *
 * @param agent The agent's name.
 * @returns git arguments to put before the subcommand.
 */
export function identityArgs(agent: string): string[] {
  return [
    "-c",
    `user.name=${agent}`,
    "-c",
    `user.email=${agent}@vessel.datum.invalid`,
    "-c",
    "commit.gpgsign=false",
    // A commit would start `git maintenance run --auto`, a process per commit; fetches
    // and merges still run it.
    "-c",
    "maintenance.auto=false",
  ];
}

/**
 * Commits in `dir` as `agent`. With `paths`, stages and commits only those paths.
 *
 * @param dir The vessel's root.
 * @param agent The agent's name.
 * @param message The I2I commit message.
 * @param paths Paths relative to `dir`; all staged changes when omitted.
 */
export async function commit(
  dir: string,
  agent: string,
  message: string,
  paths?: readonly string[],
): Promise<void> {
  for (let attempt = 0;; attempt++) {
    try {
      if (paths) await git(dir, ["add", "--", ...paths]);
      await git(dir, [
        ...identityArgs(agent),
        "commit",
        "-q",
        "--no-verify",
        "-m",
        message,
        ...(paths ? ["--", ...paths] : []),
      ]);
      return;
    } catch (error) {
      // Another datum process in the same vessel is committing: wait and try again.
      // Or its commit rewrote the index between our add and our commit, so the
      // path is no longer staged: add it again.
      const { code, message } = error as { code?: string; message?: string };
      const retry = code === "git_locked" ||
        (paths !== undefined &&
          String(message).includes("did not match any file(s) known to git"));
      if (attempt >= 40 || !retry) throw error;
      await new Promise((resolve) =>
        setTimeout(resolve, 25 + Math.random() * 100)
      );
    }
  }
}
