/**
 * The `datum` command-line interface. Only this file reads `Deno.args` and exits.
 *
 * ```sh
 * deno task datum boot -w ./workshop
 * ```
 *
 * @module
 */

import {
  closest,
  commandHelp,
  type CommandSpec,
  completionScript,
  EXIT_CODES_HELP,
  Output,
  parseArgs,
  resolveSubcommand,
  usageError,
  writeLine,
} from "./core/cli.ts";
import { DatumError, ExitCode } from "./core/errors.ts";
import { fromNotCapable } from "./core/permissions.ts";
import { keeperCommand } from "./agents/keeper/cli.ts";
import { mibCommands } from "./mib/cli.ts";
import { workshopCommands } from "./workshop/cli.ts";

/** datum's version, as in deno.json. */
export const VERSION = "0.4.0";

function completionsCommand(all: () => CommandSpec[]): CommandSpec {
  return {
    name: "completions",
    summary: "Print a shell completion script (bash, zsh or fish)",
    args: [{ name: "SHELL", required: true, description: "bash, zsh or fish" }],
    options: [],
    examples: [
      "# bash, for this shell",
      "source <(datum completions bash)",
      "# fish",
      "datum completions fish > ~/.config/fish/completions/datum.fish",
    ],
    permissions: "none",
    json: false,
    action: (context) => {
      const shell = context.args.SHELL!;
      if (!["bash", "zsh", "fish"].includes(shell)) {
        usageError(
          `Cannot complete for shell "${shell}"`,
          "use bash, zsh or fish",
        );
      }
      context.out.print(completionScript(shell, all()));
      return Promise.resolve(ExitCode.Ok);
    },
  };
}

/**
 * Every command of the CLI, in the order `--help` lists them.
 *
 * @returns The command table.
 */
function commands(): CommandSpec[] {
  const list: CommandSpec[] = [
    ...workshopCommands(),
    ...mibCommands(),
    keeperCommand(),
  ];
  list.push(completionsCommand(() => list));
  return list;
}

function rootHelp(out: Output, list: readonly CommandSpec[]): string {
  const width = Math.max(...list.map((c) => c.name.length)) + 4;
  return [
    `${
      out.bold("datum")
    } ${VERSION}: a Git repository as the save file of an AI agent`,
    "",
    `${out.bold("Usage:")} datum COMMAND [options]`,
    "",
    out.bold("Commands:"),
    ...list.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    out.bold("Global options:"),
    "  -h, --help              Show help (also: datum COMMAND --help)",
    "  -V, --version           Show the version",
    "      --color WHEN        auto (default), always or never; NO_COLOR turns it off",
    "      --json              Results as one JSON value (commands that return data)",
    "",
    out.bold("Examples:"),
    "  datum boot -w ./workshop --name scout --non-interactive",
    "  datum brief -w ./workshop --budget 8000",
    '  datum journal NOTE "Found 3 repos without a LICENSE" --tag fleet --commit',
    '  datum bottle drop navigator "Route tables" -c "North passage is open"',
    "  datum bottle check",
    "  datum keeper serve",
    "",
    EXIT_CODES_HELP,
  ].join("\n");
}

/**
 * Runs the CLI with `args` and returns the exit code; prints to stdout and stderr.
 *
 * @param args The arguments after `datum`.
 * @returns The exit code.
 *
 * @example Run a command in-process
 * ```ts ignore
 * import { run } from "./main.ts";
 * const code = await run(["status", "-w", "./workshop", "--json"]);
 * ```
 */
export async function run(args: string[]): Promise<number> {
  // Known before parsing, so even a usage error is reported in the form asked for;
  // words after `--` are arguments, never flags.
  const end = args.indexOf("--");
  const flags = end === -1 ? args : args.slice(0, end);
  const json = flags.includes("--json");
  const colorArg = flags.find((a) => a.startsWith("--color="))?.slice(8) ??
    (flags.includes("--color")
      ? flags[flags.indexOf("--color") + 1]
      : undefined);
  const out = new Output(json, colorArg);
  try {
    const list = commands();
    const [first, ...rest] = args;
    if (
      first === undefined || first === "-h" || first === "--help" ||
      first === "help"
    ) {
      const group = first === "help"
        ? list.find((c) => c.name === rest[0])
        : undefined;
      const topic = group?.subcommands
        ? resolveSubcommand(group, rest.slice(1)).command
        : group;
      const text = topic ? commandHelp(topic, out) : rootHelp(out, list);
      if (first !== undefined) {
        out.print(text);
        return ExitCode.Ok;
      }
      writeLine(Deno.stderr, text);
      return ExitCode.Usage;
    }
    if (first === "-V" || first === "--version") {
      out.print(
        json ? JSON.stringify({ version: VERSION }) : `datum ${VERSION}`,
      );
      return ExitCode.Ok;
    }
    const found = list.find((c) => c.name === first);
    if (!found) {
      const near = first.startsWith("-")
        ? undefined
        : closest(first, list.map((c) => c.name));
      usageError(
        first.startsWith("-")
          ? `Unknown option "${first}"`
          : `Unknown command "${first}"`,
        near
          ? `did you mean \`datum ${near}\`? see \`datum --help\``
          : "see `datum --help`",
      );
    }
    const { command, argv } = found.subcommands
      ? resolveSubcommand(found, rest)
      : { command: found, argv: rest };
    if (json && !command.json) {
      usageError(`"datum ${command.name}" has no --json output`, `drop --json`);
    }
    const parsed = parseArgs(command, argv);
    if (parsed.options.help) {
      out.print(commandHelp(command, out));
      return ExitCode.Ok;
    }
    return await command.action({ ...parsed, out });
  } catch (error) {
    return report(error, out);
  }
}

function report(error: unknown, out: Output): number {
  let datum: DatumError;
  if (error instanceof DatumError) datum = error;
  else if (error instanceof Deno.errors.NotCapable) {
    datum = fromNotCapable(error);
  } else if (error instanceof Deno.errors.Interrupted) {
    datum = new DatumError("Interrupted", {
      code: "interrupted",
      exitCode: ExitCode.Interrupted,
    });
  } else {
    const message = error instanceof Error ? error.message : String(error);
    datum = new DatumError(`Unexpected failure: ${message.split("\n")[0]}`, {
      code: "internal",
      exitCode: ExitCode.Failure,
      hint: "this is a bug in datum; please report it with the command you ran",
      cause: error,
    });
  }
  const line = out.json
    ? JSON.stringify({
      error: {
        code: datum.code,
        message: datum.message,
        hint: datum.hint ?? null,
      },
    })
    : `${out.red("error")}: ${datum.message}${
      datum.hint ? `; ${datum.hint}` : ""
    }`;
  writeLine(Deno.stderr, line);
  return datum.exitCode;
}

if (import.meta.main) {
  Deno.exit(await run(Deno.args));
}
