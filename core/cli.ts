/**
 * datum's command-line framework: a declarative command table, one argument parser,
 * help text, shell completions, and the JSON/colour output contract of STYLE.md.
 *
 * It is datum's own rather than commander's: commander costs ~60 ms to import, which
 * alone would break the start-up budget of `datum --help`, `status` and `journal`.
 *
 * @module
 */

import { DatumError, ExitCode } from "./errors.ts";

/** One option of a command. */
export interface OptionSpec {
  /** Long name without dashes, e.g. `"workshop"`. */
  name: string;
  /** One-letter alias, e.g. `"w"`. */
  short?: string;
  /** `boolean` options take no value. */
  type: "boolean" | "string" | "integer";
  /** The option may be repeated; its value is an array. */
  multiple?: boolean;
  /** Placeholder of the value in help, e.g. `"DIR"`. */
  arg?: string;
  /** One line for `--help`. */
  description: string;
  /** Values completions offer and the parser accepts, when the set is closed. */
  choices?: readonly string[];
}

/** One positional argument of a command. */
export interface ArgSpec {
  /** Placeholder, e.g. `"CATEGORY"`. */
  name: string;
  /** Whether the command fails without it. */
  required: boolean;
  /** One line for `--help`. */
  description: string;
  /** Takes every remaining argument. */
  rest?: boolean;
}

/** What a command's action receives. */
export interface CommandContext {
  /** Option values by long name. */
  options: Record<string, string | number | boolean | string[] | undefined>;
  /** Positional arguments by name (rest arguments joined by a space). */
  args: Record<string, string | undefined>;
  /** Where results and messages go. */
  out: Output;
}

/** A command of the CLI. */
export interface CommandSpec {
  /** The word after `datum`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** A paragraph for `datum NAME --help`. */
  description?: string;
  /** Positional arguments. */
  args: readonly ArgSpec[];
  /** Options besides the global ones. */
  options: readonly OptionSpec[];
  /** Example invocations, each with a comment line. */
  examples: readonly string[];
  /** The permissions the command needs, for `--help`. */
  permissions: string;
  /** Whether the command returns data and so takes `--json`. */
  json: boolean;
  /**
   * Subcommands, for a group such as `datum bottle drop …`. The group's own
   * `options` are accepted before and after the subcommand's name; its `action`
   * runs only when no subcommand is named.
   */
  subcommands?: readonly CommandSpec[];
  /** Runs the command; returns the exit code. */
  action(context: CommandContext): Promise<number>;
}

/** Options every command takes. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  {
    name: "help",
    short: "h",
    type: "boolean",
    description: "Show help for the command",
  },
  {
    name: "color",
    type: "string",
    arg: "WHEN",
    choices: ["auto", "always", "never"],
    description:
      "Colour output: auto (default), always or never; NO_COLOR also turns it off",
  },
  {
    name: "no-input",
    type: "boolean",
    description: "Never prompt; fail instead where an answer would be needed",
  },
];

const JSON_OPTION: OptionSpec = {
  name: "json",
  type: "boolean",
  description: "Print exactly one JSON value on stdout",
};

/** The options `command` accepts, global ones included. */
export function optionsOf(command: CommandSpec): OptionSpec[] {
  return [
    ...command.options,
    ...(command.json ? [JSON_OPTION] : []),
    ...GLOBAL_OPTIONS,
  ];
}

/**
 * Throws a usage error (exit code 2) naming the problem and the fix.
 *
 * @param message What is wrong.
 * @param hint What to do instead.
 * @returns Never.
 */
export function usageError(message: string, hint: string): never {
  throw new DatumError(message, {
    code: "usage",
    exitCode: ExitCode.Usage,
    hint,
  });
}

/**
 * Parses `argv` (the words after the command name) against `command`.
 *
 * @param command The command's table entry.
 * @param argv Its arguments.
 * @returns Options by long name and positionals by name.
 * @throws {DatumError} Exit code 2 on an unknown flag, a missing value or argument.
 */
export function parseArgs(
  command: CommandSpec,
  argv: readonly string[],
): Pick<CommandContext, "options" | "args"> {
  const specs = optionsOf(command);
  const options: CommandContext["options"] = {};
  const positionals: string[] = [];
  const help = `see \`datum ${command.name} --help\``;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!word.startsWith("-") || word === "-") {
      positionals.push(word);
      continue;
    }
    const long = word.startsWith("--");
    const eq = word.indexOf("=");
    const key = long
      ? word.slice(2, eq === -1 ? undefined : eq)
      : word.slice(1, 2);
    const spec = specs.find((s) => long ? s.name === key : s.short === key);
    if (!spec) {
      const near = long ? closest(key, specs.map((s) => s.name)) : undefined;
      usageError(
        `Unknown option "${
          word.slice(0, eq === -1 ? undefined : eq)
        }" for "datum ${command.name}"`,
        near ? `did you mean --${near}? ${help}` : help,
      );
    }
    let value: string | undefined;
    if (long && eq !== -1) value = word.slice(eq + 1);
    else if (!long && word.length > 2) value = word.slice(2);
    if (spec.type === "boolean") {
      if (value !== undefined) {
        usageError(
          `Option --${spec.name} takes no value`,
          `write --${spec.name} alone`,
        );
      }
      options[spec.name] = true;
      continue;
    }
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith("-") && next !== "-")) {
        usageError(
          `Option --${spec.name} needs a value`,
          `write --${spec.name} ${spec.arg ?? "VALUE"}; ${help}`,
        );
      }
      value = next;
      i++;
    }
    if (spec.choices && !spec.choices.includes(value)) {
      usageError(
        `Option --${spec.name} does not accept "${value}"`,
        `use one of: ${spec.choices.join(", ")}`,
      );
    }
    let parsed: string | number = value;
    if (spec.type === "integer") {
      if (!/^\d+$/.test(value)) {
        usageError(
          `Option --${spec.name} needs a whole number, got "${value}"`,
          `write e.g. --${spec.name} 8000`,
        );
      }
      parsed = Number(value);
    }
    if (spec.multiple) {
      const list = (options[spec.name] as string[] | undefined) ?? [];
      list.push(String(parsed));
      options[spec.name] = list;
    } else {
      options[spec.name] = parsed;
    }
  }
  const args: CommandContext["args"] = {};
  if (options.help) return { options, args };
  let index = 0;
  for (const arg of command.args) {
    if (arg.rest) {
      const rest = positionals.slice(index);
      index = positionals.length;
      if (rest.length) args[arg.name] = rest.join(" ");
    } else if (index < positionals.length) {
      args[arg.name] = positionals[index++];
    }
    if (arg.required && args[arg.name] === undefined) {
      usageError(
        `Missing argument ${arg.name} for "datum ${command.name}"`,
        help,
      );
    }
  }
  if (index < positionals.length) {
    usageError(
      `Unexpected argument "${positionals[index]}" for "datum ${command.name}"`,
      help,
    );
  }
  return { options, args };
}

/**
 * Finds the subcommand that `argv` names in `group`, wherever the group's options
 * sit: `datum bottle -w W check` and `datum bottle check -w W` are one command.
 *
 * @param group A command with `subcommands`.
 * @param argv The words after the group's name.
 * @returns The subcommand, named `"group sub"` and taking the group's options too,
 * and its words; the group itself when no subcommand is named.
 * @throws {DatumError} Exit code 2 when the word in the subcommand's place names none.
 */
export function resolveSubcommand(
  group: CommandSpec,
  argv: readonly string[],
): { command: CommandSpec; argv: string[] } {
  const subcommands = group.subcommands ?? [];
  const specs = optionsOf(group);
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === "--") break;
    if (word.startsWith("-") && word !== "-") {
      const long = word.startsWith("--");
      const key = long ? word.slice(2).split("=", 1)[0] : word.slice(1, 2);
      const spec = specs.find((s) => long ? s.name === key : s.short === key);
      const inline = long ? word.includes("=") : word.length > 2;
      if (spec && spec.type !== "boolean" && !inline) i++;
      continue;
    }
    const sub = subcommands.find((c) => c.name === word);
    if (!sub) {
      const near = closest(word, subcommands.map((c) => c.name));
      usageError(
        `Unknown command "datum ${group.name} ${word}"`,
        near
          ? `did you mean \`datum ${group.name} ${near}\`? see \`datum ${group.name} --help\``
          : `see \`datum ${group.name} --help\``,
      );
    }
    const own = new Set(sub.options.map((o) => o.name));
    const merged: CommandSpec = {
      ...sub,
      name: `${group.name} ${sub.name}`,
      options: [
        ...sub.options,
        ...group.options.filter((o) => !own.has(o.name)),
      ],
      json: sub.json,
    };
    const rest = [...argv.slice(0, i), ...argv.slice(i + 1)];
    return merged.subcommands ? resolveSubcommand(merged, rest) : {
      command: merged,
      argv: rest,
    };
  }
  return { command: group, argv: [...argv] };
}

/** A command's options and, for a group, those of every subcommand, each once. */
function allOptions(command: CommandSpec): OptionSpec[] {
  const seen = new Map<string, OptionSpec>();
  const visit = (c: CommandSpec): void => {
    for (const o of optionsOf(c)) if (!seen.has(o.name)) seen.set(o.name, o);
    for (const sub of c.subcommands ?? []) visit(sub);
  };
  visit(command);
  return [...seen.values()];
}

/** The closest of `names` to `word`, when it is a likely typo. */
export function closest(
  word: string,
  names: readonly string[],
): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const name of names) {
    const d = distance(word, name);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j]!;
      row[j] = Math.min(
        row[j]! + 1,
        row[j - 1]! + 1,
        previous + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      previous = saved;
    }
  }
  return row[b.length]!;
}

/** Where a command's output goes, with the colour and JSON decisions made once. */
export class Output {
  /** Whether `--json` was given. */
  readonly json: boolean;
  /** Whether colour is on for stdout. */
  readonly color: boolean;

  /**
   * @param json Whether `--json` was given.
   * @param color `--color`'s value; `"auto"` looks at `NO_COLOR` and the terminal.
   */
  constructor(json: boolean, color: string | undefined) {
    this.json = json;
    const mode = color ?? "auto";
    this.color = mode === "always" ||
      (mode === "auto" && !Deno.noColor && Deno.stdout.isTerminal());
  }

  /** Writes `text` and a newline to stdout. */
  print(text: string): void {
    writeLine(Deno.stdout, text);
  }

  /** Writes `value` as one JSON document to stdout. */
  printJson(value: unknown): void {
    this.print(JSON.stringify(value, null, 2));
  }

  /** Writes `text` and a newline to stderr; never under `--json`. */
  note(text: string): void {
    if (this.json) return;
    writeLine(Deno.stderr, text);
  }

  /** `text` in bold when colour is on. */
  bold(text: string): string {
    return this.color ? `\x1b[1m${text}\x1b[22m` : text;
  }

  /** `text` dimmed when colour is on. */
  dim(text: string): string {
    return this.color ? `\x1b[2m${text}\x1b[22m` : text;
  }

  /** `text` in red when colour is on. */
  red(text: string): string {
    return this.color ? `\x1b[31m${text}\x1b[39m` : text;
  }

  /** `text` in green when colour is on. */
  green(text: string): string {
    return this.color ? `\x1b[32m${text}\x1b[39m` : text;
  }

  /** `text` in yellow when colour is on. */
  yellow(text: string): string {
    return this.color ? `\x1b[33m${text}\x1b[39m` : text;
  }
}

/**
 * Writes `text` and a newline to `stream`, all of it: a pipe may take fewer bytes
 * than offered in one call.
 *
 * @param stream `Deno.stdout` or `Deno.stderr`.
 * @param text The text; a newline is added unless it ends with one.
 */
export function writeLine(
  stream: { writeSync(p: Uint8Array): number },
  text: string,
): void {
  const bytes = new TextEncoder().encode(
    text.endsWith("\n") ? text : `${text}\n`,
  );
  for (let done = 0; done < bytes.length;) {
    done += stream.writeSync(bytes.subarray(done));
  }
}

/** The exit-code table, as `--help` and the README print it. */
export const EXIT_CODES_HELP = `Exit codes:
  0    ok
  1    failure
  2    usage: unknown command or flag, missing argument
  3    invalid data or configuration (e.g. a malformed CAPABILITY.toml)
  4    not found (e.g. no vessel in the folder)
  5    conflict or lock held
  6    network or peer unavailable
  7    missing Deno permission (the message names the --allow-… flag)
  130  interrupted`;

/**
 * The `--help` text of one command.
 *
 * @param command The command.
 * @param output For bold headings when colour is on.
 * @returns The help text.
 */
export function commandHelp(command: CommandSpec, output: Output): string {
  const usageArgs = command.args.map((a) => {
    const name = a.rest ? `${a.name}…` : a.name;
    return a.required ? name : `[${name}]`;
  });
  const subcommands = command.subcommands ?? [];
  const usage = subcommands.length
    ? ["COMMAND", ...usageArgs, "[options]"]
    : [...usageArgs, "[options]"];
  const lines = [
    `${output.bold("Usage:")} datum ${command.name} ${usage.join(" ")}`,
    "",
    command.summary,
  ];
  if (command.description) lines.push("", command.description);
  if (subcommands.length) {
    lines.push("", output.bold("Commands:"));
    const width = Math.max(...subcommands.map((c) => c.name.length)) + 4;
    for (const c of subcommands) {
      lines.push(`  ${c.name.padEnd(Math.max(width, 24))}${c.summary}`);
    }
  }
  if (command.args.length) {
    lines.push("", output.bold("Arguments:"));
    for (const a of command.args) {
      lines.push(`  ${a.name.padEnd(24)}${a.description}`);
    }
  }
  lines.push("", output.bold("Options:"));
  const flags = optionsOf(command).map((o) => ({
    option: o,
    flag: `${o.short ? `-${o.short}, ` : "    "}--${o.name}${
      o.type === "boolean" ? "" : ` ${o.arg ?? "VALUE"}`
    }`,
  }));
  // One column for every flag: the widest one sets it.
  const width = Math.max(24, ...flags.map(({ flag }) => flag.length + 2));
  for (const { option: o, flag } of flags) {
    lines.push(
      `  ${flag.padEnd(width)}${o.description}${
        o.multiple ? " (repeatable)" : ""
      }`,
    );
  }
  lines.push("", output.bold("Examples:"));
  for (const e of command.examples) lines.push(`  ${e}`);
  lines.push(
    "",
    output.bold("Permissions:"),
    `  ${command.permissions}`,
    "",
    EXIT_CODES_HELP,
  );
  return lines.join("\n");
}

/**
 * A completion script for `shell` covering `commands` and their options.
 *
 * @param shell `bash`, `zsh` or `fish`.
 * @param commands The CLI's command table.
 * @returns The script.
 */
export function completionScript(
  shell: string,
  commands: readonly CommandSpec[],
): string {
  const names = commands.map((c) => c.name);
  const flagsOf = (c: CommandSpec): string[] => [
    ...new Set(
      allOptions(c).flatMap((
        o,
      ) => [`--${o.name}`, ...(o.short ? [`-${o.short}`] : [])]),
    ),
  ];
  const subNames = (c: CommandSpec): string =>
    (c.subcommands ?? []).map((s) => s.name).join(" ");
  if (shell === "bash") {
    const cases = commands.map((c) =>
      `    ${c.name}) opts="${flagsOf(c).join(" ")}"${
        c.subcommands ? `; subs="${subNames(c)}"` : ""
      } ;;`
    );
    return [
      "# datum bash completion: source it, or save it as /etc/bash_completion.d/datum",
      "_datum() {",
      '  local cur="${COMP_WORDS[COMP_CWORD]}" opts subs=""',
      '  if [ "$COMP_CWORD" -eq 1 ]; then',
      `    COMPREPLY=($(compgen -W "${
        names.join(" ")
      } --help --version" -- "$cur"))`,
      "    return",
      "  fi",
      '  case "${COMP_WORDS[1]}" in',
      ...cases,
      '    *) opts="" ;;',
      "  esac",
      '  if [[ "$cur" != -* && -n "$subs" && "$COMP_CWORD" -eq 2 ]]; then',
      '    COMPREPLY=($(compgen -W "$subs" -- "$cur"))',
      '  elif [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur"));',
      '  else COMPREPLY=($(compgen -f -- "$cur")); fi',
      "}",
      "complete -F _datum datum",
      "",
    ].join("\n");
  }
  if (shell === "zsh") {
    const cases = commands.map((c) =>
      `    ${c.name}) ${
        c.subcommands
          ? `(( CURRENT == 3 )) && _values 'command' ${subNames(c)}; `
          : ""
      }_arguments ${
        allOptions(c).map((o) =>
          `'--${o.name}[${
            o.description.replaceAll("'", "").replaceAll(/[[\]]/g, "")
          }]${
            o.type === "boolean"
              ? ""
              : `:${(o.arg ?? "value").toLowerCase()}:${
                o.choices ? `(${o.choices.join(" ")})` : "_files"
              }`
          }'`
        ).join(" ")
      } ;;`
    );
    return [
      "#compdef datum",
      "# datum zsh completion: save it as _datum in a folder on $fpath",
      "_datum() {",
      "  if (( CURRENT == 2 )); then",
      `    _values 'command' ${
        commands.map((c) => `'${c.name}[${c.summary.replaceAll("'", "")}]'`)
          .join(" ")
      }`,
      "    return",
      "  fi",
      "  case $words[2] in",
      ...cases,
      "  esac",
      "}",
      '_datum "$@"',
      "",
    ].join("\n");
  }
  const lines = [
    "# datum fish completion: save it as ~/.config/fish/completions/datum.fish",
    "complete -c datum -f",
  ];
  for (const c of commands) {
    lines.push(
      `complete -c datum -n '__fish_use_subcommand' -a ${c.name} -d '${
        c.summary.replaceAll("'", "")
      }'`,
    );
    if (c.subcommands) {
      lines.push(
        `complete -c datum -n '__fish_seen_subcommand_from ${c.name}; and not __fish_seen_subcommand_from ${
          subNames(c)
        }' -a '${subNames(c)}'`,
      );
    }
    for (const o of allOptions(c)) {
      lines.push(
        `complete -c datum -n '__fish_seen_subcommand_from ${c.name}' -l ${o.name}${
          o.short ? ` -s ${o.short}` : ""
        }${o.type === "boolean" ? "" : " -r"}${
          o.choices ? ` -a '${o.choices.join(" ")}'` : ""
        } -d '${o.description.replaceAll("'", "")}'`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
