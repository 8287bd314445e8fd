/**
 * `datum keeper …`: the operator's side of the Keeper. Every action imports its
 * library code lazily so `datum --help` stays fast.
 *
 * @module
 */

import type {
  CommandContext,
  CommandSpec,
  OptionSpec,
} from "../../core/cli.ts";
import { usageError, writeLine } from "../../core/cli.ts";
import { datumEnv, homeDir } from "../../core/env.ts";
import { DatumError, ExitCode } from "../../core/errors.ts";
import { requirePermission } from "../../core/permissions.ts";
import type { AuditEvent } from "./audit.ts";
import type { KeeperStore } from "./store.ts";

const DIR: OptionSpec = {
  name: "dir",
  type: "string",
  arg: "DIR",
  description:
    "The keeper's folder (default: $DATUM_HOME/keeper, else ~/.datum/keeper)",
};

const PASSPHRASE_FILE: OptionSpec = {
  name: "passphrase-file",
  type: "string",
  arg: "FILE",
  description:
    "Read the master passphrase from FILE (else $DATUM_KEEPER_PASSPHRASE, else a prompt)",
};

const POLICY_OPTIONS: OptionSpec[] = [
  {
    name: "description",
    type: "string",
    arg: "TEXT",
    description: "What the secret is for",
  },
  {
    name: "allow-agent",
    type: "string",
    arg: "AGENT",
    multiple: true,
    description: "An agent that may receive the secret",
  },
  {
    name: "allow-destination",
    type: "string",
    arg: "HOST",
    multiple: true,
    description: "A host the secret may be sent to",
  },
];

const PERMISSIONS =
  "--allow-read --allow-write (the keeper's folder), --allow-env=DATUM_*,HOME";
const SERVE_PERMISSIONS = `${PERMISSIONS}, --allow-net=127.0.0.1`;

/**
 * The keeper's folder: `--dir`, else `$DATUM_HOME/keeper`, else `~/.datum/keeper`.
 *
 * @param context The command's context.
 * @returns The folder.
 */
export function keeperDir(context: CommandContext): string {
  const dir = context.options.dir;
  if (typeof dir === "string") return dir;
  const home = datumEnv("DATUM_HOME") ??
    (homeDir() === undefined ? undefined : `${homeDir()}/.datum`);
  if (home === undefined) {
    usageError(
      "Cannot find the keeper's folder: neither DATUM_HOME nor HOME is set",
      "pass --dir DIR",
    );
  }
  return `${home}/keeper`;
}

async function readPassphraseFile(path: string): Promise<string> {
  const { readTextIfExists, fileError } = await import("../../core/fs.ts");
  let text: string | undefined;
  try {
    text = await readTextIfExists(path);
  } catch (error) {
    throw fileError("read", path, error);
  }
  if (text === undefined) {
    throw new DatumError(
      `Cannot read passphrase file "${path}": it does not exist`,
      {
        code: "not_found",
        exitCode: ExitCode.NotFound,
      },
    );
  }
  const passphrase = text.replace(/\r?\n$/, "");
  if (!passphrase) {
    throw new DatumError(`Cannot use passphrase file "${path}": it is empty`, {
      code: "keeper_passphrase_empty",
      exitCode: ExitCode.Usage,
    });
  }
  return passphrase;
}

/**
 * Reads a line from the terminal without echoing it.
 *
 * @param prompt What to ask, on stderr.
 * @returns The line.
 */
async function promptHidden(prompt: string): Promise<string> {
  writeLine(Deno.stderr, prompt.endsWith(" ") ? prompt : `${prompt} `);
  Deno.stdin.setRaw(true);
  const bytes: number[] = [];
  try {
    const buffer = new Uint8Array(1);
    for (;;) {
      const n = await Deno.stdin.read(buffer);
      if (n === null) break;
      const b = buffer[0]!;
      if (b === 0x03) throw new Deno.errors.Interrupted("interrupted");
      if (b === 0x0d || b === 0x0a || b === 0x04) break;
      if (b === 0x7f || b === 0x08) bytes.pop();
      else bytes.push(b);
    }
  } finally {
    Deno.stdin.setRaw(false);
    writeLine(Deno.stderr, "");
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

function canPrompt(context: CommandContext): boolean {
  return !context.options["no-input"] && Deno.stdin.isTerminal();
}

/**
 * The master passphrase: `--passphrase-file`, `DATUM_KEEPER_PASSPHRASE`, or a
 * prompt on a terminal; never a flag's value.
 */
async function passphraseOf(
  context: CommandContext,
  options: { confirm?: boolean } = {},
): Promise<string> {
  const file = context.options["passphrase-file"];
  if (typeof file === "string") return await readPassphraseFile(file);
  const env = datumEnv("DATUM_KEEPER_PASSPHRASE");
  if (env) return env;
  if (!canPrompt(context)) {
    usageError(
      "Cannot ask for the keeper's passphrase: stdin is not a terminal or --no-input is set",
      "pass --passphrase-file FILE or set DATUM_KEEPER_PASSPHRASE",
    );
  }
  const first = await promptHidden("Keeper passphrase:");
  if (!first) usageError("Cannot use an empty passphrase", "type one");
  if (options.confirm && await promptHidden("Again:") !== first) {
    usageError("Cannot create the keeper: the passphrases differ", "try again");
  }
  return first;
}

async function unlock(context: CommandContext): Promise<KeeperStore> {
  const { KeeperStore } = await import("./store.ts");
  return await KeeperStore.unlock(
    keeperDir(context),
    await passphraseOf(context),
  );
}

/** Writes an operator's audit record, durable before the change it describes. */
async function audit(dir: string, event: AuditEvent): Promise<void> {
  const { AuditLog } = await import("./audit.ts");
  const { storePaths } = await import("./store.ts");
  await using log = await AuditLog.open(storePaths(dir).audit);
  await log.append({ actor: "operator", approved: true, ...event });
}

function policyOf(
  context: CommandContext,
): import("./store.ts").SetSecretOptions {
  const o = context.options;
  return {
    ...(typeof o.description === "string"
      ? { description: o.description }
      : {}),
    ...(Array.isArray(o["allow-agent"])
      ? { allowAgents: o["allow-agent"] }
      : {}),
    ...(Array.isArray(o["allow-destination"])
      ? { allowDestinations: o["allow-destination"] }
      : {}),
  };
}

async function readSecretValue(context: CommandContext): Promise<string> {
  let value: string;
  if (!Deno.stdin.isTerminal()) {
    value = (await new Response(Deno.stdin.readable).text()).replace(
      /\r?\n$/,
      "",
    );
  } else if (canPrompt(context)) {
    value = await promptHidden("Value:");
  } else {
    usageError(
      "Cannot read the secret's value: --no-input is set and stdin is a terminal",
      "pipe the value on stdin",
    );
  }
  if (!value) {
    usageError("Cannot store an empty secret", "pipe the value on stdin");
  }
  return value;
}

function printToken(
  context: CommandContext,
  token: string,
  extra: Record<string, string>,
  note: string,
): void {
  if (context.out.json) {
    context.out.printJson({ ...extra, token });
    return;
  }
  context.out.note(note);
  context.out.print(token);
}

function initCommand(): CommandSpec {
  return {
    name: "init",
    summary: "Create the keeper's store and print the admin token once",
    description:
      "Asks for a master passphrase (or reads --passphrase-file / DATUM_KEEPER_PASSPHRASE), " +
      "creates the store with mode 0600 in a 0700 folder, and prints the admin token. " +
      "The keeper keeps only the token's hash: copy it now.",
    args: [],
    options: [],
    examples: [
      "# a store in ~/.datum/keeper",
      "datum keeper init",
      "# in a chosen folder, passphrase from a file, token as JSON",
      "datum keeper init --dir /srv/keeper --passphrase-file ~/.keeper-pass --json",
    ],
    permissions: PERMISSIONS,
    json: true,
    action: async (context) => {
      const { KeeperStore } = await import("./store.ts");
      const dir = keeperDir(context);
      const passphrase = await passphraseOf(context, { confirm: true });
      const { adminToken } = await KeeperStore.init(dir, passphrase);
      await audit(dir, { event: "store.init" });
      printToken(
        context,
        adminToken,
        {},
        `Created the keeper in ${dir}. Admin token (shown once; the keeper keeps only its hash):`,
      );
      return ExitCode.Ok;
    },
  };
}

function parseListen(value: string): { hostname: string; port: number } {
  const match = /^(\[[0-9a-fA-F:]+\]|[^:]+):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) {
    usageError(
      `Option --listen needs HOST:PORT, got "${value}"`,
      "write e.g. --listen 127.0.0.1:7742",
    );
  }
  return { hostname: match[1]!.replace(/^\[|\]$/g, ""), port };
}

function serveCommand(): CommandSpec {
  return {
    name: "serve",
    summary: "Unlock the store and serve the keeper's HTTP API",
    description:
      "Listens on 127.0.0.1:7742 unless --listen says otherwise; prints `listening on URL` " +
      "as its first line, then one line per request on stderr (never a value). " +
      "SIGINT or SIGTERM stops it after the requests in flight.",
    args: [],
    options: [
      {
        name: "listen",
        type: "string",
        arg: "HOST:PORT",
        description:
          "Address to bind (default 127.0.0.1:7742; port 0 picks one)",
      },
      {
        name: "rate",
        type: "integer",
        arg: "N",
        description:
          "Secret requests per second per agent (default 20, bursts of 2N)",
      },
      {
        name: "max-ttl",
        type: "integer",
        arg: "SECONDS",
        description: "Longest TTL a request may ask for (default 3600)",
      },
      {
        name: "env-fallback",
        type: "boolean",
        description:
          "Serve secrets missing from the store from DATUM_SECRET_<KEY>; each use is audited",
      },
    ],
    examples: [
      "# on the default address",
      "datum keeper serve",
      "# on a port the system picks",
      "datum keeper serve --listen 127.0.0.1:0",
    ],
    permissions: SERVE_PERMISSIONS,
    json: false,
    action: async (context) => {
      const o = context.options;
      const listen = parseListen(
        typeof o.listen === "string" ? o.listen : "127.0.0.1:7742",
      );
      const loopback = listen.hostname === "127.0.0.1" ||
        listen.hostname === "::1";
      // Beyond loopback needs its own --allow-net: say which, before unlocking.
      if (!loopback) requirePermission({ name: "net", host: listen.hostname });
      const { AuditLog } = await import("./audit.ts");
      const { storePaths } = await import("./store.ts");
      const { serveKeeper } = await import("./server.ts");
      const store = await unlock(context);
      await using log = await AuditLog.open(storePaths(store.dir).audit);
      const envFallback = o["env-fallback"] === true;
      await log.append({
        event: "keeper.start",
        actor: "operator",
        approved: true,
        reason: envFallback ? "environment fallback on" : "ok",
      });
      const controller = new AbortController();
      const stop = () => controller.abort();
      const signals: Deno.Signal[] = Deno.build.os === "windows"
        ? ["SIGINT"]
        : ["SIGINT", "SIGTERM"];
      for (const s of signals) Deno.addSignalListener(s, stop);
      try {
        const server = await serveKeeper(store, log, {
          ...listen,
          signal: controller.signal,
          envFallback,
          ...(typeof o.rate === "number" ? { rate: o.rate } : {}),
          ...(typeof o["max-ttl"] === "number" ? { maxTtl: o["max-ttl"] } : {}),
          log: (line) => writeLine(Deno.stderr, line),
        });
        context.out.print(`listening on ${server.url}`);
        if (!loopback) {
          context.out.note(
            "warning: listening beyond loopback; tokens and secrets travel unencrypted",
          );
        }
        if (envFallback) {
          context.out.note(
            "warning: environment fallback on: missing secrets come from DATUM_SECRET_*",
          );
        }
        await server.finished;
      } finally {
        for (const s of signals) Deno.removeSignalListener(s, stop);
      }
      return ExitCode.Ok;
    },
  };
}

function setCommand(): CommandSpec {
  return {
    name: "set",
    summary: "Store a secret, its value read from stdin or a prompt",
    description:
      "The value is never a flag (flags end up in shell history and process lists). " +
      "A new secret goes to no agent and no destination until --allow-agent and " +
      "--allow-destination name them; given again, they replace the lists.",
    args: [{ name: "KEY", required: true, description: "The secret's name" }],
    options: POLICY_OPTIONS,
    examples: [
      "# from a file, for one agent and one host",
      "datum keeper set github_pat --allow-agent scout --allow-destination api.github.com < pat.txt",
      "# typed at a prompt",
      "datum keeper set openai_api_key --description 'llm key'",
    ],
    permissions: PERMISSIONS,
    json: false,
    action: async (context) => {
      const key = context.args.KEY!;
      const store = await unlock(context);
      const value = await readSecretValue(context);
      await audit(store.dir, { event: "secret.set", key });
      await store.setSecret(key, value, policyOf(context));
      context.out.note(`Stored secret "${key}"`);
      const info = store.secret(key)!;
      if (!info.allowAgents.length || !info.allowDestinations.length) {
        context.out.note(
          "note: no agent receives it until --allow-agent and --allow-destination name one",
        );
      }
      return ExitCode.Ok;
    },
  };
}

function policyCommand(): CommandSpec {
  return {
    name: "policy",
    summary: "Change a secret's description or allow-lists, keeping its value",
    args: [{ name: "KEY", required: true, description: "The secret's name" }],
    options: POLICY_OPTIONS,
    examples: [
      "# let scout send github_pat to api.github.com",
      "datum keeper policy github_pat --allow-agent scout --allow-destination api.github.com",
    ],
    permissions: PERMISSIONS,
    json: false,
    action: async (context) => {
      const key = context.args.KEY!;
      const store = await unlock(context);
      if (!store.secret(key)) {
        throw new DatumError(`Cannot find secret "${key}"`, {
          code: "secret_not_found",
          exitCode: ExitCode.NotFound,
          hint: "see `datum keeper list`",
        });
      }
      await audit(store.dir, { event: "secret.policy", key });
      await store.setPolicy(key, policyOf(context));
      context.out.note(`Updated the policy of "${key}"`);
      return ExitCode.Ok;
    },
  };
}

function getCommand(): CommandSpec {
  return {
    name: "get",
    summary: "Print a secret's value (the operator's read; audited)",
    args: [{ name: "KEY", required: true, description: "The secret's name" }],
    options: [],
    examples: [
      "# copy a token to the clipboard",
      "datum keeper get github_pat | xclip",
    ],
    permissions: PERMISSIONS,
    json: true,
    action: async (context) => {
      const key = context.args.KEY!;
      const store = await unlock(context);
      const value = await store.reveal(key);
      await audit(store.dir, { event: "secret.read", key });
      if (context.out.json) context.out.printJson({ key, value });
      else context.out.print(value);
      return ExitCode.Ok;
    },
  };
}

function rmCommand(): CommandSpec {
  return {
    name: "rm",
    summary: "Remove a secret",
    args: [{ name: "KEY", required: true, description: "The secret's name" }],
    options: [],
    examples: ["# forget an old key", "datum keeper rm openai_api_key"],
    permissions: PERMISSIONS,
    json: false,
    action: async (context) => {
      const key = context.args.KEY!;
      const store = await unlock(context);
      if (!store.secret(key)) {
        throw new DatumError(`Cannot remove secret "${key}": there is none`, {
          code: "secret_not_found",
          exitCode: ExitCode.NotFound,
          hint: "see `datum keeper list`",
        });
      }
      await audit(store.dir, { event: "secret.remove", key });
      await store.removeSecret(key);
      context.out.note(`Removed secret "${key}"`);
      return ExitCode.Ok;
    },
  };
}

function listCommand(): CommandSpec {
  return {
    name: "list",
    summary:
      "List secrets and their policies (never values; no passphrase needed)",
    args: [],
    options: [],
    examples: [
      "# names, descriptions, who may receive them",
      "datum keeper list",
    ],
    permissions: PERMISSIONS,
    json: true,
    action: async (context) => {
      const { readStoreMetadata } = await import("./store.ts");
      const { secrets } = await readStoreMetadata(keeperDir(context));
      if (context.out.json) {
        context.out.printJson({ secrets });
        return ExitCode.Ok;
      }
      if (!secrets.length) context.out.note("No secrets");
      for (const s of secrets) {
        context.out.print(
          `${context.out.bold(s.key)}  ${s.description}\n  agents: ${
            s.allowAgents.join(", ") || "(none)"
          }\n  destinations: ${s.allowDestinations.join(", ") || "(none)"}`,
        );
      }
      return ExitCode.Ok;
    },
  };
}

function enrollCommand(): CommandSpec {
  return {
    name: "enroll",
    summary: "Enroll an agent and print its token once",
    description:
      "The keeper keeps only the token's hash. Enrolling an agent again gives it a new " +
      "token; the old one stops working, and a revoked agent is enrolled anew.",
    args: [{ name: "AGENT", required: true, description: "The agent's name" }],
    options: [],
    examples: ["# scout's token, as JSON", "datum keeper enroll scout --json"],
    permissions: PERMISSIONS,
    json: true,
    action: async (context) => {
      const agent = context.args.AGENT!;
      const store = await unlock(context);
      await audit(store.dir, { event: "agent.enroll", agent });
      const token = await store.enroll(agent);
      printToken(
        context,
        token,
        { agent },
        `Enrolled "${agent}". Its token (shown once; the keeper keeps only its hash):`,
      );
      return ExitCode.Ok;
    },
  };
}

function revokeCommand(): CommandSpec {
  return {
    name: "revoke",
    summary: "Revoke an agent: its token stops working at once",
    args: [{ name: "AGENT", required: true, description: "The agent's name" }],
    options: [],
    examples: ["# scout's token leaked", "datum keeper revoke scout"],
    permissions: PERMISSIONS,
    json: false,
    action: async (context) => {
      const agent = context.args.AGENT!;
      const store = await unlock(context);
      const known = store.agents().find((a) => a.name === agent);
      if (!known || known.revokedAt) {
        throw new DatumError(
          `Cannot revoke "${agent}": ${
            known ? "it is revoked already" : "no such agent"
          }`,
          {
            code: known ? "agent_revoked" : "agent_not_found",
            exitCode: known ? ExitCode.Conflict : ExitCode.NotFound,
            hint: "see `datum keeper agents`",
          },
        );
      }
      await audit(store.dir, { event: "agent.revoke", agent });
      await store.revoke(agent);
      context.out.note(`Revoked "${agent}"`);
      return ExitCode.Ok;
    },
  };
}

function agentsCommand(): CommandSpec {
  return {
    name: "agents",
    summary: "List enrolled agents (no passphrase needed)",
    args: [],
    options: [],
    examples: ["# who may ask", "datum keeper agents --json"],
    permissions: PERMISSIONS,
    json: true,
    action: async (context) => {
      const { readStoreMetadata } = await import("./store.ts");
      const { agents } = await readStoreMetadata(keeperDir(context));
      if (context.out.json) {
        context.out.printJson({ agents });
        return ExitCode.Ok;
      }
      if (!agents.length) context.out.note("No agents");
      for (const a of agents) {
        context.out.print(
          `${a.name}  enrolled ${a.enrolledAt}${
            a.revokedAt ? `  revoked ${a.revokedAt}` : ""
          }`,
        );
      }
      return ExitCode.Ok;
    },
  };
}

function auditVerifyCommand(): CommandSpec {
  return {
    name: "verify",
    summary:
      "Check the audit log's hash chain; name each edited, removed or reordered record",
    args: [],
    options: [],
    examples: ["# exit 0 when intact, 3 when not", "datum keeper audit verify"],
    permissions: PERMISSIONS,
    json: true,
    action: async (context) => {
      const { verifyAudit } = await import("./audit.ts");
      const { storePaths } = await import("./store.ts");
      const path = storePaths(keeperDir(context)).audit;
      const result = await verifyAudit(path);
      if (context.out.json) context.out.printJson(result);
      else if (result.ok) {
        context.out.print(`audit log intact: ${result.records} records`);
      } else {
        for (const p of result.problems) context.out.print(p.message);
      }
      if (result.ok) return ExitCode.Ok;
      throw new DatumError(
        `Audit log "${path}" is not intact: ${result.problems.length} problem${
          result.problems.length === 1 ? "" : "s"
        }`,
        {
          code: "audit_broken",
          exitCode: ExitCode.Invalid,
          hint:
            "compare with a backup; records after the first problem cannot be trusted",
        },
      );
    },
  };
}

function auditCommand(): CommandSpec {
  return {
    name: "audit",
    summary: "Print the audit log (the last N records with --tail)",
    args: [],
    options: [
      {
        name: "tail",
        type: "integer",
        arg: "N",
        description: "Only the last N records",
      },
    ],
    examples: [
      "# the last 20 requests",
      "datum keeper audit --tail 20",
      "# check the chain",
      "datum keeper audit verify",
    ],
    permissions: PERMISSIONS,
    json: true,
    subcommands: [auditVerifyCommand()],
    action: async (context) => {
      const { readAudit } = await import("./audit.ts");
      const { storePaths } = await import("./store.ts");
      const tail = context.options.tail;
      const records = await readAudit(
        storePaths(keeperDir(context)).audit,
        typeof tail === "number" ? { tail } : {},
      );
      if (context.out.json) {
        context.out.printJson({ records });
        return ExitCode.Ok;
      }
      for (const r of records) {
        const what = [
          r.actor,
          r.key,
          r.agent,
          r.purpose && `"${r.purpose}"`,
          r.destination,
        ]
          .filter((x) => x).join(" ");
        context.out.print(
          `${r.seq} ${r.time} ${r.event} ${what} ${
            r.approved ? "approved" : "denied"
          }${r.reason && r.reason !== "ok" ? `: ${r.reason}` : ""}`,
        );
      }
      return ExitCode.Ok;
    },
  };
}

function importCommand(): CommandSpec {
  return {
    name: "import",
    summary: "Import a datum 0.3 store (.superagent/secrets.enc.json)",
    description:
      "Creates the keeper when there is none (printing its admin token once), then adds " +
      "every 0.3 secret, re-encrypted. Imported secrets go to no agent until " +
      "`datum keeper policy` allows one. The 0.3 password comes from " +
      "--from-passphrase-file, else DATUM_KEEPER_IMPORT_PASSPHRASE, else it is the " +
      "keeper's own passphrase.",
    args: [{
      name: "PATH",
      required: true,
      description: "The 0.3 secrets.enc.json",
    }],
    options: [
      {
        name: "from-passphrase-file",
        type: "string",
        arg: "FILE",
        description: "Read the 0.3 store's master password from FILE",
      },
    ],
    examples: [
      "# a 0.3 workshop's secrets into a new keeper",
      "datum keeper import ./workshop/.superagent/secrets.enc.json",
    ],
    permissions: PERMISSIONS,
    json: true,
    action: async (context) => {
      const { KeeperStore, readLegacyStore, readStoreMetadata } = await import(
        "./store.ts"
      );
      const dir = keeperDir(context);
      const passphrase = await passphraseOf(context);
      const from = context.options["from-passphrase-file"];
      const legacyPassphrase = typeof from === "string"
        ? await readPassphraseFile(from)
        : datumEnv("DATUM_KEEPER_IMPORT_PASSPHRASE") ?? passphrase;
      const secrets = await readLegacyStore(
        context.args.PATH!,
        legacyPassphrase,
      );
      let existing: string[] = [];
      try {
        existing = (await readStoreMetadata(dir)).secrets.map((s) => s.key);
      } catch (error) {
        if (
          !(error instanceof DatumError && error.code === "keeper_not_found")
        ) {
          throw error;
        }
      }
      const clash = secrets.filter((s) => existing.includes(s.key));
      if (clash.length) {
        throw new DatumError(
          `Cannot import: the keeper has ${
            clash.map((s) => `"${s.key}"`).join(", ")
          } already`,
          {
            code: "keeper_import_conflict",
            exitCode: ExitCode.Conflict,
            hint:
              "remove them with `datum keeper rm`, or import into another --dir",
          },
        );
      }
      let adminToken: string | undefined;
      let store: KeeperStore;
      if (existing.length || await hasStore(dir)) {
        store = await KeeperStore.unlock(dir, passphrase);
      } else {
        ({ store, adminToken } = await KeeperStore.init(dir, passphrase));
        await audit(dir, { event: "store.init" });
      }
      for (const s of secrets) {
        await audit(dir, { event: "secret.import", key: s.key });
        await store.setSecret(s.key, s.value, { description: s.description });
      }
      const keys = secrets.map((s) => s.key);
      if (context.out.json) {
        context.out.printJson({
          imported: keys,
          ...(adminToken ? { token: adminToken } : {}),
        });
        return ExitCode.Ok;
      }
      context.out.note(
        `Imported ${keys.length} secret${keys.length === 1 ? "" : "s"}: ${
          keys.join(", ")
        }; allow agents with \`datum keeper policy KEY --allow-agent A --allow-destination HOST\``,
      );
      if (adminToken) {
        context.out.note(
          `Created the keeper in ${dir}. Admin token (shown once; the keeper keeps only its hash):`,
        );
        context.out.print(adminToken);
      }
      return ExitCode.Ok;
    },
  };
}

async function hasStore(dir: string): Promise<boolean> {
  const { kindOf } = await import("../../core/fs.ts");
  const { storePaths } = await import("./store.ts");
  return await kindOf(storePaths(dir).store) === "file";
}

/**
 * `datum keeper` and its subcommands.
 *
 * @returns The command group.
 */
export function keeperCommand(): CommandSpec {
  return {
    name: "keeper",
    summary: "Hold secrets and release them to enrolled agents, audited",
    description:
      "The keeper is the one process that holds secrets. Its files live in --dir " +
      "(default ~/.datum/keeper), never in a vessel. A secret leaves it only to an " +
      "enrolled agent that names a purpose and an allowed destination, after the " +
      "request is in the audit log.",
    args: [],
    options: [DIR, PASSPHRASE_FILE],
    examples: [
      "# create the store, enroll an agent, store a secret, serve",
      "datum keeper init",
      "datum keeper enroll scout",
      "datum keeper set github_pat --allow-agent scout --allow-destination api.github.com < pat.txt",
      "datum keeper serve",
    ],
    permissions: SERVE_PERMISSIONS,
    json: false,
    subcommands: [
      initCommand(),
      serveCommand(),
      setCommand(),
      getCommand(),
      rmCommand(),
      listCommand(),
      policyCommand(),
      enrollCommand(),
      revokeCommand(),
      agentsCommand(),
      auditCommand(),
      importCommand(),
    ],
    action: () => {
      usageError(
        'Missing subcommand for "datum keeper"',
        "see `datum keeper --help`",
      );
    },
  };
}
