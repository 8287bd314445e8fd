/**
 * The CLI of Message-in-a-Bottle: `datum bottle drop|check|read|summary|broadcast|
 * flush` and the `datum broadcast` shortcut, in datum 0.3's grammar (`-w` and `-s`
 * before or after the subcommand). Library code is imported lazily.
 *
 * @module
 */

import type { CommandContext, CommandSpec, OptionSpec } from "../core/cli.ts";
import { usageError } from "../core/cli.ts";
import { ExitCode } from "../core/errors.ts";
import { WORKSHOP, workshopOf } from "../workshop/cli.ts";
import type { InboxEntry } from "./post.ts";
import { BOTTLE_TYPES, type BottleDraft, MAX_BOTTLE_BYTES } from "./write.ts";

const PERMISSIONS =
  "--allow-read --allow-write (the workshop and its .datum/cache), --allow-run=git, " +
  "--allow-env=DATUM_*";

const SENDER: OptionSpec = {
  name: "sender",
  short: "s",
  type: "string",
  arg: "NAME",
  description: "The acting agent (default: the vessel's own agent)",
};

const INBOX: OptionSpec = {
  name: "inbox",
  type: "string",
  arg: "NAME",
  description: "Read NAME's inbox and receipts instead of the acting agent's",
};

const NO_COMMIT: OptionSpec = {
  name: "no-commit",
  type: "boolean",
  description: "Write the files but do not commit them",
};

const NO_PULL: OptionSpec = {
  name: "no-pull",
  type: "boolean",
  description: "Do not pull the vessel's own remote first",
};

const WRITE_OPTIONS: readonly OptionSpec[] = [
  {
    name: "type",
    short: "t",
    type: "string",
    arg: "TYPE",
    choices: BOTTLE_TYPES,
    description: "Bottle type (default: message)",
  },
  {
    name: "content",
    short: "c",
    type: "string",
    arg: "TEXT",
    description: "The body; `-` or no -c reads standard input",
  },
  {
    name: "priority",
    type: "string",
    arg: "LEVEL",
    description: "e.g. low, normal, high, critical",
  },
  {
    name: "in-reply-to",
    type: "string",
    arg: "ID",
    description: "The id of the bottle this one answers",
  },
  {
    name: "thread",
    type: "string",
    arg: "ID",
    description: "A conversation id",
  },
  {
    name: "expires",
    type: "string",
    arg: "TIME",
    description: "When the bottle stops mattering (ISO 8601)",
  },
  NO_COMMIT,
];

function actingAgent(context: CommandContext): string | undefined {
  const sender = context.options.sender;
  return typeof sender === "string" ? sender : undefined;
}

function readerOf(context: CommandContext): string | undefined {
  const inbox = context.options.inbox;
  return typeof inbox === "string" ? inbox : actingAgent(context);
}

function commitOption(context: CommandContext): { commit?: boolean } {
  return context.options["no-commit"] ? { commit: false } : {};
}

/** The body from `-c`, or standard input when `-c` is `-` or missing. */
async function contentOf(context: CommandContext): Promise<string> {
  const given = context.options.content;
  const { bodyFromBytes } = await import("./write.ts");
  if (typeof given === "string" && given !== "-") {
    return bodyFromBytes(new TextEncoder().encode(given));
  }
  if (Deno.stdin.isTerminal()) {
    usageError(
      "The bottle has no content",
      'give it with -c "TEXT", or pipe it in: `echo hi | datum bottle drop …`',
    );
  }
  // Read one byte past the limit, so an oversized body is refused without
  // buffering all of it.
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of Deno.stdin.readable) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > MAX_BOTTLE_BYTES) break;
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bodyFromBytes(bytes);
}

type Draft = Omit<BottleDraft, "from"> & { from?: string };

function draftOf(
  context: CommandContext,
  to: string,
  subject: string,
  body: string,
): Draft {
  const draft: Draft = { to, subject, body };
  const sender = actingAgent(context);
  if (sender !== undefined) draft.from = sender;
  const keys = [
    ["type", "type"],
    ["priority", "priority"],
    ["in-reply-to", "inReplyTo"],
    ["thread", "thread"],
    ["expires", "expires"],
  ] as const;
  for (const [option, field] of keys) {
    const value = context.options[option];
    if (typeof value === "string") draft[field] = value;
  }
  return draft;
}

async function drop(
  context: CommandContext,
  to: string,
  subject: string,
): Promise<number> {
  if (subject.trim() === "") {
    usageError("The bottle has no subject", 'give one, e.g. "Route tables"');
  }
  const { openVessel } = await import("../workshop/vessel.ts");
  const { dropBottle } = await import("./post.ts");
  const vessel = await openVessel(workshopOf(context));
  const body = await contentOf(context);
  if (body.trim() === "") {
    usageError("The bottle's content is empty", 'say something: -c "TEXT"');
  }
  const toVessel = context.options["to-vessel"];
  const result = await dropBottle(vessel, draftOf(context, to, subject, body), {
    ...(typeof toVessel === "string" ? { toVessel } : {}),
    ...commitOption(context),
  });
  if (context.out.json) {
    context.out.printJson(result);
    return ExitCode.Ok;
  }
  context.out.print(`${result.id} ${result.path}`);
  if (result.delivery) {
    context.out.note(
      `delivered to ${result.delivery.vessel}${
        result.delivery.commit
          ? ` (${result.delivery.commit.slice(0, 12)})`
          : ""
      }`,
    );
  }
  return ExitCode.Ok;
}

function line(entry: InboxEntry, mark: boolean): string {
  const date = entry.date ?? "(no date)";
  return `${mark ? (entry.read ? "  " : "* ") : ""}${date}  ${
    entry.from ?? "(unknown)"
  }  [${entry.type ?? "message"}]  ${entry.subject}  ${entry.path}`;
}

function dropCommand(): CommandSpec {
  return {
    name: "drop",
    summary: "Leave a bottle for an agent (and deliver it to its vessel)",
    description:
      "Writes the bottle to message-in-a-bottle/for-AGENT/ in this vessel (its outbox) and " +
      "commits it. With --to-vessel, also delivers it to that vessel: a folder, a bare " +
      "repository or a git URL (fetched into .datum/cache, committed, pushed, retried " +
      "when another push came first). A failed delivery leaves the bottle queued for " +
      "`datum bottle flush`. A drop never overwrites: every bottle gets its own file.",
    args: [
      { name: "AGENT", required: true, description: "The recipient" },
      {
        name: "SUBJECT",
        required: true,
        rest: true,
        description: "One line",
      },
    ],
    options: [
      ...WRITE_OPTIONS,
      {
        name: "to-vessel",
        type: "string",
        arg: "PATH|URL",
        description: "Deliver to this vessel as well",
      },
    ],
    examples: [
      "# leave a note in this vessel's outbox",
      'datum bottle drop navigator "Route tables" -c "North passage is open"',
      "# deliver into the navigator's vessel, body from a file",
      "datum bottle -w ./workshop drop navigator Handoff -t handoff \\",
      "  --to-vessel git@github.com:fleet/navigator.git < notes.md",
    ],
    permissions: PERMISSIONS,
    json: true,
    action: (context) =>
      drop(context, context.args.AGENT!, context.args.SUBJECT!),
  };
}

function broadcastCommand(name: string): CommandSpec {
  return {
    name,
    summary:
      "Leave a bottle for every vessel (message-in-a-bottle/for-any-vessel/)",
    args: [{
      name: "SUBJECT",
      required: true,
      rest: true,
      description: "One line",
    }],
    options: [...WRITE_OPTIONS],
    examples: [
      "# tell the fleet",
      'datum broadcast "Fleet status" -c "All systems nominal" -t signal',
    ],
    permissions: PERMISSIONS,
    json: true,
    action: async (context) => {
      const { BROADCAST } = await import("./write.ts");
      return await drop(context, BROADCAST, context.args.SUBJECT!);
    },
  };
}

function checkCommand(): CommandSpec {
  return {
    name: "check",
    summary: "List the unread bottles of the inbox (all with --all)",
    description:
      "Pulls the vessel's own remote first (unless --no-pull), then lists the bottles for " +
      "the acting agent in every place fleets keep them. Bottles without a header are " +
      "listed too; --json says which fields were inferred and from where they could not " +
      "be read. A machine-local index in .datum/cache keeps this fast on large inboxes.",
    args: [],
    options: [
      {
        name: "all",
        type: "boolean",
        description: "List read bottles too (marked with no *)",
      },
      INBOX,
      NO_PULL,
      {
        name: "rescan",
        type: "boolean",
        description: "Read every bottle again instead of trusting the index",
      },
    ],
    examples: [
      "# what is new?",
      "datum bottle check",
      "# everything, as JSON",
      "datum bottle -w ./workshop check --all --json",
    ],
    permissions: PERMISSIONS,
    json: true,
    action: async (context) => {
      const { openVessel } = await import("../workshop/vessel.ts");
      const { checkInbox } = await import("./post.ts");
      const vessel = await openVessel(workshopOf(context));
      const reader = readerOf(context);
      const report = await checkInbox(vessel, {
        ...(reader === undefined ? {} : { reader }),
        all: context.options.all === true,
        pull: context.options["no-pull"] !== true,
        rescan: context.options.rescan === true,
      });
      if (context.out.json) {
        context.out.printJson(report);
        return ExitCode.Ok;
      }
      if (report.sync?.state === "failed") {
        context.out.note(`warning: ${report.sync.detail}`);
      }
      context.out.note(
        `${report.reader}: ${report.unread} unread of ${report.total} bottle(s)`,
      );
      // One write for the whole listing: a line at a time costs a system call each.
      const lines = report.bottles.map((entry) =>
        line(entry, context.options.all === true)
      );
      if (lines.length) context.out.print(lines.join("\n"));
      for (const entry of report.bottles) {
        if (entry.problem) {
          context.out.note(`warning: ${entry.path}: ${entry.problem}`);
        }
      }
      return ExitCode.Ok;
    },
  };
}

function readCommand(): CommandSpec {
  return {
    name: "read",
    summary: "Print a bottle and mark it read",
    description:
      "FILE may be the bottle's path, its file name, its id or a unique start of its id. " +
      "Reading never deletes: it appends a receipt to " +
      "message-in-a-bottle/receipts/READER.log and commits it, so a successor on another " +
      "machine knows the bottle was read.",
    args: [{ name: "FILE", required: true, description: "Path, name or id" }],
    options: [INBOX, NO_COMMIT],
    examples: [
      "# by id",
      "datum bottle read 20261125T014748000Z-1a2b3c4d",
      "# by path",
      "datum bottle read message-in-a-bottle/for-datum/2026-11-25_oracle1_handoff-isa-v3.md",
    ],
    permissions: PERMISSIONS,
    json: true,
    action: async (context) => {
      const { openVessel } = await import("../workshop/vessel.ts");
      const { readBottle } = await import("./post.ts");
      const vessel = await openVessel(workshopOf(context));
      const reader = readerOf(context);
      const result = await readBottle(vessel, context.args.FILE!, {
        ...(reader === undefined ? {} : { reader }),
        ...commitOption(context),
      });
      if (context.out.json) {
        context.out.printJson(result);
        return ExitCode.Ok;
      }
      const b = result.bottle;
      const head = [
        `From:    ${b.from ?? "(unknown)"}`,
        `To:      ${b.to ?? "(unknown)"}`,
        `Date:    ${b.date ?? "(unknown)"}`,
        `Type:    ${b.type ?? "message"}`,
        `Subject: ${b.subject}`,
        ...(b.id ? [`Id:      ${b.id}`] : []),
        ...(b.priority ? [`Priority: ${b.priority}`] : []),
        ...(b.inReplyTo ? [`In reply to: ${b.inReplyTo}`] : []),
        `File:    ${b.path}`,
      ];
      context.out.print(`${head.join("\n")}\n\n${b.body}`);
      return ExitCode.Ok;
    },
  };
}

function summaryCommand(): CommandSpec {
  return {
    name: "summary",
    summary: "Count the inbox's bottles by sender, type and priority",
    args: [],
    options: [INBOX, NO_PULL],
    examples: ["# at a glance", "datum bottle summary"],
    permissions: PERMISSIONS,
    json: true,
    action: async (context) => {
      const { openVessel } = await import("../workshop/vessel.ts");
      const { inboxSummary } = await import("./post.ts");
      const vessel = await openVessel(workshopOf(context));
      const reader = readerOf(context);
      const s = await inboxSummary(vessel, {
        ...(reader === undefined ? {} : { reader }),
        pull: context.options["no-pull"] !== true,
      });
      if (context.out.json) {
        context.out.printJson(s);
        return ExitCode.Ok;
      }
      const counts = (record: Record<string, number>): string =>
        Object.entries(record).sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${k} ${v}`).join(", ") || "none";
      const lines = [
        `${s.reader}: ${s.total} bottle(s), ${s.unread} unread`,
        ...Object.entries(s.senders).sort((a, b) =>
          b[1].unread - a[1].unread || b[1].total - a[1].total
        ).map(([name, c]) =>
          `  from ${name}: ${c.unread} unread of ${c.total}`
        ),
        `unread by type: ${counts(s.unreadByType)}`,
        `unread by priority: ${counts(s.unreadByPriority)}`,
      ];
      if (s.problems) lines.push(`bottles with problems: ${s.problems}`);
      if (s.newestUnread.length) {
        lines.push("newest unread:");
        for (const entry of s.newestUnread) {
          lines.push(`  ${line(entry, false)}`);
        }
      }
      context.out.print(lines.join("\n"));
      return ExitCode.Ok;
    },
  };
}

function flushCommand(): CommandSpec {
  return {
    name: "flush",
    summary: "Retry the deliveries that are still queued",
    description:
      "Reads message-in-a-bottle/deliveries.log, delivers every queued bottle (one commit " +
      "and push per target vessel) and records the result. Exits 6 while any stays queued.",
    args: [],
    options: [NO_COMMIT],
    examples: ["# after the network is back", "datum bottle flush"],
    permissions: PERMISSIONS,
    json: true,
    action: async (context) => {
      const { openVessel } = await import("../workshop/vessel.ts");
      const { flushQueue } = await import("./post.ts");
      const vessel = await openVessel(workshopOf(context));
      const result = await flushQueue(vessel, commitOption(context));
      if (context.out.json) context.out.printJson(result);
      else {
        context.out.print(
          `${result.delivered.length} delivered, ${result.queued.length} still queued`,
        );
        for (const q of result.queued) {
          context.out.note(`queued: ${q.path} → ${q.vessel}: ${q.reason}`);
        }
      }
      return result.queued.length ? ExitCode.Unavailable : ExitCode.Ok;
    },
  };
}

/**
 * `datum bottle …` and `datum broadcast`.
 *
 * @returns The commands, in the order `--help` lists them.
 */
export function mibCommands(): CommandSpec[] {
  const bottle: CommandSpec = {
    name: "bottle",
    summary: "Message-in-a-Bottle: leave and read messages between agents",
    description:
      "Bottles are markdown files delivered by git and read whenever the recipient next " +
      "boots. -w and -s may come before or after the command.",
    args: [],
    options: [WORKSHOP, SENDER],
    subcommands: [
      dropCommand(),
      checkCommand(),
      readCommand(),
      summaryCommand(),
      broadcastCommand("broadcast"),
      flushCommand(),
    ],
    examples: [
      'datum bottle drop navigator "Route tables" -c "North passage is open"',
      "datum bottle -w ./workshop check",
      "datum bottle read 20261125T014748000Z-1a2b3c4d",
    ],
    permissions: PERMISSIONS,
    json: false,
    action: () =>
      usageError(
        "datum bottle needs a command",
        "see `datum bottle --help`",
      ),
  };
  return [bottle, {
    ...broadcastCommand("broadcast"),
    options: [WORKSHOP, SENDER, ...WRITE_OPTIONS],
    summary:
      "Leave a bottle for every vessel (short for `datum bottle broadcast`)",
  }];
}
