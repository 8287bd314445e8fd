/**
 * The CLI commands of the vessel: boot, brief, resume, status and journal. Each
 * action imports its library code lazily so `datum --help` stays fast.
 *
 * @module
 */

import type { CommandContext, CommandSpec, OptionSpec } from "../core/cli.ts";
import { usageError } from "../core/cli.ts";
import { datumEnv } from "../core/env.ts";
import { ExitCode } from "../core/errors.ts";
import type { GitHealth } from "./status.ts";

/** The `-w/--workshop` option every vessel command takes. */
export const WORKSHOP: OptionSpec = {
  name: "workshop",
  short: "w",
  type: "string",
  arg: "DIR",
  description:
    "The vessel's folder (default: $DATUM_WORKSHOP, else the current folder)",
};

const PERMISSIONS =
  "--allow-read --allow-write (the workshop), --allow-run=git, " +
  "--allow-env=DATUM_*";

/**
 * The vessel folder a command works on: `-w`, else `$DATUM_WORKSHOP`, else `.`.
 *
 * @param context The command's context.
 * @returns The folder as given.
 */
export function workshopOf(context: CommandContext): string {
  const dir = context.options.workshop;
  return typeof dir === "string" ? dir : datumEnv("DATUM_WORKSHOP") ?? ".";
}

/**
 * `datum boot`.
 *
 * @returns The command.
 */
export function bootCommand(): CommandSpec {
  return {
    name: "boot",
    summary:
      "Create a vessel in an empty folder, or validate and sync an existing one",
    description:
      "On an empty or missing folder, boot writes a complete vessel from the embedded " +
      "templates, runs `git init` and makes the first commit. On an existing vessel " +
      "(datum's or datum 0.3's), it validates every document, merges what its upstream " +
      "has, and prints the succession brief. A second boot changes nothing.",
    args: [],
    options: [
      WORKSHOP,
      {
        name: "name",
        type: "string",
        arg: "NAME",
        description: "Agent name of a new vessel",
      },
      {
        name: "role",
        type: "string",
        arg: "ROLE",
        description: "Agent role of a new vessel",
      },
      {
        name: "keeper",
        type: "string",
        arg: "URL",
        description:
          "Keeper URL written to a new vessel (default http://127.0.0.1:7742)",
      },
      {
        name: "non-interactive",
        type: "boolean",
        description: "Never ask for name or role",
      },
      {
        name: "offline",
        type: "boolean",
        description: "Do not fetch from the remote",
      },
    ],
    examples: [
      "# create a vessel in ./workshop and print its brief",
      "datum boot -w ./workshop --name scout --role explorer --non-interactive",
      "# successor: clone the vessel, then boot it",
      "git clone git@example.org:fleet/scout.git && datum boot -w scout",
    ],
    permissions: PERMISSIONS,
    json: true,
    action: async (context) => {
      const { boot } = await import("./boot.ts");
      const { renderBrief, composeBrief } = await import("./brief.ts");
      const { unreadBottles } = await import("../mib/post.ts");
      const o = context.options;
      const keeper = typeof o.keeper === "string"
        ? checkUrl(o.keeper)
        : undefined;
      let name = typeof o.name === "string" ? o.name : datumEnv("DATUM_AGENT");
      let role = typeof o.role === "string" ? o.role : undefined;
      const interactive = !o["non-interactive"] && !o["no-input"] &&
        !context.out.json &&
        Deno.stdin.isTerminal();
      const dir = workshopOf(context);
      if (interactive && name === undefined) {
        const { findVessel } = await import("./vessel.ts");
        if (!await findVessel(dir)) {
          // Deno's prompt() pre-fills its default as editable text; ask without one.
          name = prompt("Agent name [agent]:")?.trim() || "agent";
          role = role ?? (prompt("Agent role [agent]:")?.trim() || "agent");
        }
      }
      const result = await boot(dir, {
        ...(name ? { name } : {}),
        ...(role ? { role } : {}),
        ...(keeper ? { keeper } : {}),
        ...(o.offline ? { offline: true } : {}),
      });
      const bottles = await unreadBottles(result.state.vessel);
      const b = composeBrief(result.state, bottles);
      if (context.out.json) {
        context.out.printJson({
          created: result.created,
          sync: result.sync,
          brief: b,
        });
        return ExitCode.Ok;
      }
      context.out.note(
        result.created
          ? `Created the vessel of "${b.agent.name}" in ${b.agent.root}`
          : `Booted the vessel of "${b.agent.name}" in ${b.agent.root} (${result.sync.detail})`,
      );
      if (result.sync.state === "failed") {
        context.out.note(`warning: ${result.sync.detail}`);
      }
      const ignored = ["name", "role", "keeper"].filter((k) =>
        typeof o[k] === "string"
      );
      if (!result.created && ignored.length) {
        context.out.note(
          `warning: ${ignored.map((k) => `--${k}`).join(", ")} ${
            ignored.length === 1 ? "applies" : "apply"
          } only to a new vessel; ` +
            "edit .datum/config.toml to change an existing one",
        );
      }
      context.out.print(renderBrief(b));
      return ExitCode.Ok;
    },
  };
}

/**
 * `datum brief`.
 *
 * @returns The command.
 */
export function briefCommand(): CommandSpec {
  return {
    name: "brief",
    summary:
      "Print the succession brief: identity, tasks, last entries, bottles, next steps",
    description:
      "Markdown for a prompt, or JSON. With --budget, the brief fits in that many " +
      "o200k_base tokens: the least important parts go first, and the brief says what it " +
      "dropped and how many tokens it holds.",
    args: [],
    options: [
      WORKSHOP,
      {
        name: "budget",
        type: "integer",
        arg: "TOKENS",
        description: "Keep the brief under TOKENS o200k_base tokens",
      },
      {
        name: "journal",
        type: "integer",
        arg: "N",
        description:
          "How many of the last journal entries to include (default 10)",
      },
      {
        name: "trail",
        type: "integer",
        arg: "N",
        description:
          "How many of the last trail entries to include (default 10)",
      },
    ],
    examples: [
      "# the brief as markdown, to paste into a prompt",
      "datum brief -w ./workshop",
      "# at most 8000 tokens, as JSON",
      "datum brief -w ./workshop --budget 8000 --json",
    ],
    permissions: PERMISSIONS,
    json: true,
    action: async (context) => {
      const { brief, renderBrief } = await import("./brief.ts");
      const budget = context.options.budget;
      if (typeof budget === "number" && budget < 1) {
        usageError(
          "Option --budget must be at least 1",
          "write e.g. --budget 8000",
        );
      }
      const { journal, trail } = context.options;
      const b = await brief(workshopOf(context), {
        ...(typeof budget === "number" ? { budget } : {}),
        ...(typeof journal === "number" ? { journal } : {}),
        ...(typeof trail === "number" ? { trail } : {}),
      });
      if (context.out.json) context.out.printJson(b);
      else context.out.print(renderBrief(b));
      return ExitCode.Ok;
    },
  };
}

/**
 * `datum resume`.
 *
 * @returns The command.
 */
export function resumeCommand(): CommandSpec {
  return {
    name: "resume",
    summary: "Show where the last session stopped, with suggestions",
    args: [],
    options: [WORKSHOP],
    examples: ["# what was I doing?", "datum resume -w ./workshop"],
    permissions: PERMISSIONS,
    json: true,
    action: async (context) => {
      const { resume } = await import("./status.ts");
      const r = await resume(workshopOf(context));
      if (context.out.json) {
        context.out.printJson(r);
        return ExitCode.Ok;
      }
      const out = context.out;
      const lines = [out.bold(`Resume: ${r.agent}`), ""];
      const last = r.lastJournal;
      lines.push(
        last
          ? `Last journal entry: ${last.time} ${last.category}: ${
            last.body.split("\n")[0]
          }`
          : "Last journal entry: none",
      );
      lines.push(
        ...(r.lastTrail.length
          ? r.lastTrail.map((t) => `Trail: ${t}`)
          : ["Trail: empty"]),
      );
      const counts = Object.entries(r.tasks).map(([s, n]) => `${n} ${s}`).join(
        ", ",
      );
      lines.push(`Tasks: ${counts || "none"}`, "", out.bold("Suggestions:"));
      lines.push(...r.suggestions.map((s, i) => `  ${i + 1}. ${s}`));
      out.print(lines.join("\n"));
      return ExitCode.Ok;
    },
  };
}

/**
 * `datum status`.
 *
 * @returns The command.
 */
export function statusCommand(): CommandSpec {
  return {
    name: "status",
    summary: "Check the vessel's health; exits 3 when it is invalid",
    description:
      "Prints every problem found (missing or invalid documents), uncommitted " +
      "changes, unpushed commits and the journal's size. Exits 3 when any problem is an " +
      "error, so scripts can gate on it.",
    args: [],
    options: [WORKSHOP],
    examples: [
      "# human-readable health",
      "datum status -w ./workshop",
      "# gate a script",
      "datum status -w ./workshop --json > status.json || echo invalid",
    ],
    permissions: PERMISSIONS,
    json: true,
    action: async (context) => {
      const { status } = await import("./status.ts");
      const { formatProblem } = await import("./inspect.ts");
      const s = await status(workshopOf(context));
      const code = s.valid ? ExitCode.Ok : ExitCode.Invalid;
      if (context.out.json) {
        context.out.printJson(s);
        return code;
      }
      const out = context.out;
      const verdict = s.valid ? out.green("valid") : out.red("invalid");
      const lines = [
        `${
          out.bold(s.agent)
        }: vessel ${verdict} (${s.layout} layout) at ${s.root}`,
        gitLine(s.git),
        `Journal: ${s.journal.entries} entries, ${
          formatBytes(s.journal.bytes)
        }; trail: ${s.trailEntries} entries`,
        `Tasks: ${
          Object.entries(s.tasks).map(([k, n]) => `${n} ${k}`).join(", ") ||
          "none"
        }`,
      ];
      if (s.git.uncommitted.length) {
        lines.push(
          `Uncommitted: ${s.git.uncommitted.slice(0, 10).join(", ")}${
            s.git.uncommitted.length > 10
              ? `, … (${s.git.uncommitted.length})`
              : ""
          }`,
        );
      }
      for (const p of s.problems) {
        lines.push(
          p.severity === "error"
            ? out.red(formatProblem(p))
            : out.yellow(formatProblem(p)),
        );
      }
      out.print(lines.join("\n"));
      return code;
    },
  };
}

/**
 * `datum journal`.
 *
 * @returns The command.
 */
export function journalCommand(): CommandSpec {
  return {
    name: "journal",
    summary:
      "Append one entry to the journal (and with --commit, trail it and commit)",
    args: [
      {
        name: "CATEGORY",
        required: true,
        description: "One word, e.g. NOTE, DECISION, TASK",
      },
      {
        name: "CONTENT",
        required: true,
        rest: true,
        description: "The entry's text; - reads it from standard input",
      },
    ],
    options: [
      WORKSHOP,
      {
        name: "tag",
        short: "t",
        type: "string",
        arg: "TAG",
        multiple: true,
        description: "A tag to keep with the entry",
      },
      {
        name: "agent",
        type: "string",
        arg: "NAME",
        description: "Author of the entry (default: the vessel's agent)",
      },
      {
        name: "commit",
        type: "boolean",
        description: "Append a trail line and commit both with an I2I message",
      },
    ],
    examples: [
      "# note a discovery",
      'datum journal NOTE "Found 3 repos without a LICENSE" --tag fleet',
      "# record a decision and commit it",
      'datum journal DECISION "Move the bus to NATS" --tag bus --commit',
      "# a multi-line entry from standard input",
      "datum journal HANDOFF - < notes.md",
    ],
    permissions: PERMISSIONS,
    json: true,
    action: async (context) => {
      const { journal } = await import("./record.ts");
      const o = context.options;
      let content = context.args.CONTENT!;
      if (content === "-") {
        if (Deno.stdin.isTerminal()) {
          usageError(
            "CONTENT - reads standard input, which is a terminal",
            "pipe the text in, e.g. `git log -1 | datum journal NOTE -`",
          );
        }
        content = await new Response(Deno.stdin.readable).text();
      }
      const result = await journal(
        workshopOf(context),
        context.args.CATEGORY!,
        content,
        {
          tags: Array.isArray(o.tag) ? o.tag : [],
          ...(typeof o.agent === "string" ? { agent: o.agent } : {}),
          commit: o.commit === true,
        },
      );
      if (context.out.json) {
        context.out.printJson(result);
      } else {
        const e = result.entry;
        context.out.print(
          `${e.id ?? e.time} ${e.category}${
            result.committed ? " (committed)" : ""
          }`,
        );
      }
      return ExitCode.Ok;
    },
  };
}

/**
 * Every command of the vessel.
 *
 * @returns The commands, in the order `--help` lists them.
 */
export function workshopCommands(): CommandSpec[] {
  return [
    bootCommand(),
    briefCommand(),
    resumeCommand(),
    statusCommand(),
    journalCommand(),
  ];
}

function checkUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    usageError(
      `Option --keeper needs an http(s) URL, got "${value}"`,
      "write e.g. --keeper http://127.0.0.1:7742",
    );
  }
  return value;
}

function gitLine(g: GitHealth): string {
  if (!g.repository) return "Git: not a repository";
  const parts = [`branch ${g.branch ?? "(detached)"}`];
  parts.push(
    g.upstream
      ? `upstream ${g.upstream}, ${g.ahead} unpushed, ${g.behind} behind`
      : "no upstream",
  );
  parts.push(`${g.uncommitted.length} uncommitted`);
  return `Git: ${parts.join("; ")}`;
}

function formatBytes(n: number): string {
  return n < 1024
    ? `${n} B`
    : n < 1048576
    ? `${(n / 1024).toFixed(1)} KiB`
    : `${(n / 1048576).toFixed(1)} MiB`;
}
