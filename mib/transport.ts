/**
 * The git transport of Message-in-a-Bottle: delivering bottles into another agent's
 * vessel, a local path or a git URL, with `git push`.
 *
 * A delivery never checks out the target. Each target gets a bare mirror under the
 * sender's cache folder; the bottles become one commit built with `git fast-import`
 * on top of the target's default branch, pushed with a lease (a compare-and-swap on
 * the branch tip). A push that loses a race is fetched, rebuilt on the new tip and
 * retried with jittered exponential backoff, a bounded number of times. A drop never
 * overwrites: a path that exists with other content fails the delivery, a path that
 * exists with the same content is already delivered.
 *
 * Needs `--allow-run=git` and read/write access to the cache folder. git itself
 * reaches the network, so Deno's `--allow-net` is not involved.
 *
 * @module
 */

import { DatumError, ExitCode } from "../core/errors.ts";
import { atomicWrite, fileError, kindOf } from "../core/fs.ts";
import { git, type GitResult } from "../core/git.ts";
import { resolvePath } from "../core/path.ts";
import { fromNotCapable } from "../core/permissions.ts";
import { identityArgs } from "../core/commit.ts";

/** One file to add to the target vessel. */
export interface DeliveryFile {
  /**
   * Relative to the vessel's root, with forward slashes, e.g.
   * `message-in-a-bottle/for-navigator/2026-11-30_scout_route-tables-1a2b3c4d.md`.
   */
  path: string;
  /** The file's text, written as UTF-8. */
  content: string;
}

/** Options of {@linkcode deliver}. */
export interface DeliverOptions {
  /**
   * The sender's cache folder, e.g. `<vessel>/.datum/cache/vessels`. Each target gets
   * a bare mirror and a lock file in it, named after the target.
   */
  cacheDir: string;
  /** The committing agent: author and committer of the delivery commit. */
  agent: string;
  /** The commit message, already formatted (an I2I message). */
  message: string;
  /** Push attempts before giving up while other agents keep pushing first; 10 when omitted. */
  maxAttempts?: number;
  /** The commit's time; now when omitted. */
  now?: Date;
  /** Aborts the delivery between git calls and during backoff. */
  signal?: AbortSignal;
}

/** What {@linkcode deliver} did. */
export interface DeliveryResult {
  /** The target's branch tip that holds the files: the new commit, or the existing tip when nothing was new. */
  commit: string;
  /** Push attempts made; `0` when every file was already there. */
  attempts: number;
  /** The target's branch that received the files. */
  branch: string;
  /** The paths this delivery added; empty when all were already there. */
  added: string[];
}

/** Options of {@linkcode listRemote}. */
export interface ListRemoteOptions {
  /** The sender's cache folder, as in {@linkcode DeliverOptions.cacheDir}. */
  cacheDir: string;
  /** List what the cache last saw instead of fetching the target first. */
  offline?: boolean;
  /** Aborts the listing. */
  signal?: AbortSignal;
}

/**
 * Eight senders pushing at once into one loopback vessel took up to 6 attempts in
 * measurements; 10 leaves room without hiding a vessel that never accepts.
 */
const DEFAULT_MAX_ATTEMPTS = 10;
/** Where the cache keeps the target branch's tip as last fetched or pushed. */
const TIP = "refs/datum/tip";
/** The branch an empty target gets. */
const EMPTY_BRANCH = "main";
/** How long a discovered default branch is trusted before asking the target again. */
const BRANCH_TTL_MS = 10 * 60 * 1000;
const BACKOFF_BASE_MS = 20;
const BACKOFF_CAP_MS = 5000;
/** fast-import leaves a small pack per delivery; past this many, the cache is repacked. */
const COMPACT_AT_PACKS = 50;
/** Never let git ask for a user name, password or passphrase. */
const NO_PROMPT = {
  GIT_TERMINAL_PROMPT: "0",
  GIT_ASKPASS: "",
  SSH_ASKPASS: "",
};
const encoder = new TextEncoder();

/**
 * Adds `files` to the default branch of the vessel `target` in one commit and pushes
 * it. Files that are already there with the same content are skipped, so a retry
 * after a lost answer neither duplicates nor fails. A local working vessel (not bare)
 * takes the push into its checked-out branch only while its work tree is clean
 * (`receive.denyCurrentBranch=updateInstead`); otherwise the push is refused.
 *
 * @param target A local path (bare or not, relative or absolute) or a git URL
 * (`file://`, `https://`, `ssh://`, `git@host:path`).
 * @param files The files to add; at least one.
 * @param options Cache folder, agent, commit message, retry bound.
 * @returns The commit, the branch and the number of push attempts.
 * @throws {DatumError} `bottle_exists` (exit 5) when a path holds other content;
 * `vessel_unreachable` (exit 6) when the target cannot be read; `push_refused`
 * (exit 6) when it refuses the push; `push_rejected` (exit 5) when other agents won
 * every attempt; `bottle_path_invalid` (exit 3) for a path that is not a plain
 * relative path.
 *
 * @example Drop a bottle into a local bare vessel
 * ```ts ignore
 * const { commit } = await deliver("../navigator.git", [{
 *   path: "message-in-a-bottle/for-navigator/2026-11-30_scout_hello-1a2b3c4d.md",
 *   content: "---\nfrom: scout\nto: navigator\n---\nHello\n",
 * }], {
 *   cacheDir: ".datum/cache/vessels",
 *   agent: "scout",
 *   message: "[I2I:SIGNAL] scout:drop — hello",
 * });
 * ```
 */
export async function deliver(
  target: string,
  files: readonly DeliveryFile[],
  options: DeliverOptions,
): Promise<DeliveryResult> {
  const remote = parseTarget(target);
  const wanted = await prepareFiles(files, remote);
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(
      `Cannot deliver to "${remote.display}": maxAttempts must be a positive integer, got ${maxAttempts}`,
    );
  }
  const identity = identityOf(options.agent);
  return await withCache(
    remote,
    options.cacheDir,
    options.signal,
    async (cache) => {
      let state = await cache.cachedState();
      let fresh = false;
      let attempts = 0;
      for (;;) {
        options.signal?.throwIfAborted();
        const roundStarted = performance.now();
        if (state === undefined) {
          state = await cache.refresh();
          fresh = true;
        }
        const plan = state.hasTip ? await cache.plan(wanted) : planAll(wanted);
        if (plan === undefined) {
          // No tip in the cache yet (a new cache, or a remembered branch): fetch.
          if (fresh) throw cache.broken("the fetched tip is missing");
          state = undefined;
          continue;
        }
        if (plan.conflicts.length > 0 || plan.add.length === 0) {
          // Never refuse or skip on what the cache remembers: confirm with the target.
          if (!fresh) {
            state = undefined;
            continue;
          }
          if (plan.conflicts.length > 0) {
            throw bottleExists(
              remote,
              plan.conflicts[0]!,
              plan.conflicts.length,
            );
          }
          return {
            commit: plan.tip ?? "",
            attempts,
            branch: state.branch,
            added: [],
          };
        }
        attempts++;
        const commit = await cache.build(plan.add, state.hasTip, {
          identity,
          message: options.message,
          when: options.now ?? new Date(),
        });
        const outcome = await cache.push(commit, state);
        if (outcome === "pushed") {
          return {
            commit,
            attempts,
            branch: state.branch,
            added: plan.add.map((file) => file.path),
          };
        }
        if (attempts >= maxAttempts) {
          await cache.forget(state.hasTip);
          throw new DatumError(
            `Cannot deliver to vessel "${remote.display}": other agents pushed first ${attempts} times in a row`,
            {
              code: "push_rejected",
              exitCode: ExitCode.Conflict,
              hint:
                "the bottle stays queued; run `datum bottle flush` to retry later",
            },
          );
        }
        await sleep(
          backoff(attempts, performance.now() - roundStarted),
          options.signal,
        );
        state = undefined;
      }
    },
  );
}

/**
 * The paths of the files under `dir` in the default branch of the vessel `target`,
 * as the sender's cache sees it after fetching (or without fetching, `offline`).
 *
 * @param target A local path or a git URL, as in {@linkcode deliver}.
 * @param dir A folder relative to the vessel's root, e.g. `message-in-a-bottle/for-navigator`;
 * `""` lists the whole vessel.
 * @param options The cache folder; `offline` to skip the fetch.
 * @returns Paths relative to the vessel's root, sorted; empty when the target or the
 * folder is empty, or offline with nothing cached.
 * @throws {DatumError} `vessel_unreachable` (exit 6) when the target cannot be read.
 *
 * @example List what reached the navigator
 * ```ts ignore
 * const paths = await listRemote("../navigator.git", "message-in-a-bottle/for-navigator", {
 *   cacheDir: ".datum/cache/vessels",
 * });
 * ```
 */
export async function listRemote(
  target: string,
  dir: string,
  options: ListRemoteOptions,
): Promise<string[]> {
  const remote = parseTarget(target);
  const folder = dir.replace(/^\.?\/+|\/+$/g, "").replace(/^\.$/, "");
  if (folder !== "") checkPath(folder, remote);
  return await withCache(
    remote,
    options.cacheDir,
    options.signal,
    async (cache) => {
      const state = options.offline
        ? await cache.cachedState()
        : await cache.refresh();
      if (state === undefined || !state.hasTip) return [];
      return await cache.list(folder);
    },
  );
}

/**
 * `target` with the credentials of any URL in it replaced by `***`, fit for messages
 * and logs. An `ssh://` user name without a password is kept.
 *
 * @param target A vessel path or URL, or any text that may contain URLs.
 * @returns The text without credentials.
 *
 * @example
 * ```ts
 * import { redactTarget } from "./transport.ts";
 * console.assert(redactTarget("https://me:s3cret@example.com/v.git") === "https://***@example.com/v.git");
 * console.assert(redactTarget("ssh://git@example.com/v.git") === "ssh://git@example.com/v.git");
 * ```
 */
export function redactTarget(target: string): string {
  return target.replace(
    /\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/@\s'"]*)@/g,
    (_, scheme: string, userinfo: string) =>
      !userinfo.includes(":") && /^(ssh|git\+ssh|ssh\+git):/i.test(scheme)
        ? `${scheme}${userinfo}@`
        : `${scheme}***@`,
  );
}

// ---------------------------------------------------------------------------------
// Targets and files

interface Remote {
  /** What git is given: an absolute path for a local target, else the URL. */
  url: string;
  /** The target without credentials, for messages and the cache's name. */
  display: string;
  /** On this machine: git runs the target's receive-pack itself. */
  local: boolean;
}

const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;

function parseTarget(target: string): Remote {
  const trimmed = target.trim();
  if (trimmed === "") {
    throw new DatumError("Cannot deliver: no target vessel given", {
      code: "usage",
      exitCode: ExitCode.Usage,
      hint: "name the vessel by a local path or a git URL",
    });
  }
  let url: string;
  let local: boolean;
  if (URL_SCHEME.test(trimmed)) {
    url = trimmed.replace(/(?<!:\/)\/+$/, "");
    local = /^file:/i.test(trimmed);
  } else if (
    // git's own rule: a colon before any slash makes `[user@]host:path` an scp-like URL.
    /^[^/]+:/.test(trimmed) && !WINDOWS_DRIVE.test(trimmed)
  ) {
    url = trimmed;
    local = false;
  } else {
    url = resolvePath(trimmed);
    local = true;
  }
  return { url, display: redactTarget(url), local };
}

interface WantedFile {
  path: string;
  content: string;
  blob: string;
}

/** Quotes and wildcards would need quoting in git's pathspecs and fast-import's input. */
const BAD_PATH_CHARS = /[\\"*?[]/;

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function checkPath(path: string, remote: Remote): void {
  const segments = path.split("/");
  if (
    path === "" || BAD_PATH_CHARS.test(path) || hasControlCharacter(path) ||
    segments.some((s) => s === "" || s === "." || s === "..") ||
    segments.some((s) => s.toLowerCase() === ".git")
  ) {
    throw new DatumError(
      `Cannot use the path ${
        JSON.stringify(path)
      } in vessel "${remote.display}": it is not a plain relative path`,
      {
        code: "bottle_path_invalid",
        exitCode: ExitCode.Invalid,
        hint:
          "use a relative path with forward slashes, without '.', '..', '.git', control characters, quotes, backslashes or wildcards",
      },
    );
  }
}

async function prepareFiles(
  files: readonly DeliveryFile[],
  remote: Remote,
): Promise<WantedFile[]> {
  if (files.length === 0) {
    throw new RangeError(
      `Cannot deliver to "${remote.display}": no files given`,
    );
  }
  const byPath = new Map<string, WantedFile>();
  for (const file of files) {
    checkPath(file.path, remote);
    const blob = await blobId(encoder.encode(file.content));
    const seen = byPath.get(file.path);
    if (seen && seen.blob !== blob) {
      throw bottleExists(remote, file.path, 1, "twice with different content");
    }
    byPath.set(file.path, { path: file.path, content: file.content, blob });
  }
  const paths = [...byPath.keys()];
  for (const path of paths) {
    const inside = paths.find((other) => other.startsWith(`${path}/`));
    if (inside) {
      throw bottleExists(remote, path, 1, `is also the folder of "${inside}"`);
    }
  }
  return [...byPath.values()];
}

/** git's object id of a blob, computed without running git (SHA-1 repositories). */
async function blobId(bytes: Uint8Array): Promise<string> {
  const header = encoder.encode(`blob ${bytes.length}\0`);
  const data = new Uint8Array(header.length + bytes.length);
  data.set(header);
  data.set(bytes, header.length);
  const digest = await crypto.subtle.digest("SHA-1", data);
  return [...new Uint8Array(digest)]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

async function cacheName(remote: Remote): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    encoder.encode(remote.display),
  );
  const hash = [...new Uint8Array(digest).slice(0, 8)]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
  // A readable prefix, so a person looking into the cache knows which folder is which.
  const base = remote.display.replace(/\/+$/, "").split(/[/:]/).at(-1) ?? "";
  const slug = base.replace(/\.git$/i, "").toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-").replace(/^[.-]+/, "").slice(0, 40);
  return slug ? `${slug}-${hash}` : hash;
}

function identityOf(agent: string): string {
  if (agent.trim() === "" || /[<>\n\r]/.test(agent)) {
    throw new DatumError(`Cannot deliver as agent "${agent}": invalid name`, {
      code: "usage",
      exitCode: ExitCode.Usage,
      hint: "use the agent's name from its vessel's .datum/config.toml",
    });
  }
  // The same identity as every other datum commit: identityArgs is its one source.
  const args = identityArgs(agent);
  const value = (key: string): string =>
    args.find((arg) => arg.startsWith(`${key}=`))?.slice(key.length + 1) ?? "";
  return `${value("user.name")} <${value("user.email")}>`;
}

interface Plan {
  add: WantedFile[];
  conflicts: string[];
  /** The commit the plan was made against; `undefined` for an empty target. */
  tip: string | undefined;
}

function planAll(wanted: WantedFile[]): Plan {
  return { add: wanted, conflicts: [], tip: undefined };
}

// ---------------------------------------------------------------------------------
// The cache

interface TipState {
  /** The target's default branch. */
  branch: string;
  /** Whether the branch exists; an empty target has none yet. */
  hasTip: boolean;
}

async function withCache<T>(
  remote: Remote,
  cacheDir: string,
  signal: AbortSignal | undefined,
  use: (cache: Cache) => Promise<T>,
): Promise<T> {
  signal?.throwIfAborted();
  const dir = resolvePath(cacheDir);
  const name = await cacheName(remote);
  let lock: Deno.FsFile;
  try {
    await Deno.mkdir(dir, { recursive: true });
    // One process at a time per target and cache: git's own locks fail, not wait.
    lock = await Deno.open(`${dir}/${name}.lock`, {
      write: true,
      create: true,
    });
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) throw fromNotCapable(error);
    throw fileError("create the vessel cache in", dir, error);
  }
  using _lock = lock;
  await lock.lock(true);
  try {
    const cache = new Cache(remote, dir, `${dir}/${name}.git`, signal);
    await cache.init();
    return await use(cache);
  } finally {
    await lock.unlock();
  }
}

class Cache {
  readonly #remote: Remote;
  readonly #cwd: string;
  readonly #gitDir: string;
  readonly #signal: AbortSignal | undefined;

  constructor(
    remote: Remote,
    cwd: string,
    gitDir: string,
    signal: AbortSignal | undefined,
  ) {
    this.#remote = remote;
    this.#cwd = cwd;
    this.#gitDir = gitDir;
    this.#signal = signal;
  }

  get #branchFile(): string {
    return `${this.#gitDir}/datum-branch`;
  }

  #git(
    args: string[],
    extra: { stdin?: string; env?: Record<string, string> } = {},
  ): Promise<GitResult> {
    return git(this.#cwd, [`--git-dir=${this.#gitDir}`, ...args], {
      allowFailure: true,
      env: { ...NO_PROMPT, ...extra.env },
      ...(extra.stdin === undefined ? {} : { stdin: extra.stdin }),
      ...(this.#signal ? { signal: this.#signal } : {}),
    });
  }

  async init(): Promise<void> {
    if (await kindOf(`${this.#gitDir}/HEAD`) === "file") return;
    const result = await this.#git(["init", "--bare", "-q", this.#gitDir]);
    if (result.code !== 0) {
      throw new DatumError(
        `Cannot create the vessel cache "${this.#gitDir}": ${gitSaid(result)}`,
        {
          code: "cache_unwritable",
          exitCode: ExitCode.Failure,
          hint: "check the permissions of the sender's .datum folder",
        },
      );
    }
  }

  /** The branch remembered from a recent discovery, trusting the cached tip. */
  async cachedState(): Promise<TipState | undefined> {
    try {
      const info = await Deno.stat(this.#branchFile);
      if (Date.now() - (info.mtime?.getTime() ?? 0) > BRANCH_TTL_MS) {
        return undefined;
      }
      const branch = (await Deno.readTextFile(this.#branchFile)).trim();
      return branch ? { branch, hasTip: true } : undefined;
    } catch {
      return undefined;
    }
  }

  /** Asks the target for its tip: fetches the known branch, rediscovering it when gone. */
  async refresh(): Promise<TipState> {
    const known = await this.cachedState();
    if (known && await this.#fetch(known.branch)) return known;
    const branch = await this.#discover();
    const hasTip = branch !== undefined && await this.#fetch(branch);
    const state = { branch: branch ?? EMPTY_BRANCH, hasTip };
    await atomicWrite(this.#branchFile, `${state.branch}\n`);
    return state;
  }

  async #discover(): Promise<string | undefined> {
    const url = this.#remote.url;
    const result = await this.#git(["ls-remote", "--symref", url, "HEAD"]);
    if (result.code !== 0) throw this.#unreachable(result);
    const symref = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(result.stdout);
    if (symref) return symref[1];
    if (result.stdout.trim() === "") return undefined;
    // A detached HEAD, or a transport that does not tell: pick a usual branch name.
    const heads = await this.#git(["ls-remote", "--heads", url]);
    if (heads.code !== 0) throw this.#unreachable(heads);
    const names = [...heads.stdout.matchAll(/\trefs\/heads\/(\S+)$/gm)]
      .map((m) => m[1]!);
    return names.find((n) => n === "main") ??
      names.find((n) => n === "master") ?? names[0];
  }

  /** Fetches `branch` into the tip ref; `false` when the target has no such branch. */
  async #fetch(branch: string): Promise<boolean> {
    const result = await this.#git([
      "fetch",
      "-q",
      "--no-tags",
      "--no-write-fetch-head",
      "--no-recurse-submodules",
      // The cache keeps itself small after pushes (see #compact), one process less here.
      "--no-auto-maintenance",
      this.#remote.url,
      `+refs/heads/${branch}:${TIP}`,
    ]);
    if (result.code === 0) return true;
    if (/couldn't find remote ref/i.test(result.stderr)) return false;
    throw this.#unreachable(result);
  }

  /**
   * Which wanted files are new, already there, or blocked, looked up in the cached tip
   * with one `cat-file` for every path and its folders; `undefined` without a tip.
   */
  async plan(wanted: WantedFile[]): Promise<Plan | undefined> {
    const queries = new Set<string>();
    for (const file of wanted) {
      const parts = file.path.split("/");
      for (let i = 1; i <= parts.length; i++) {
        queries.add(parts.slice(0, i).join("/"));
      }
    }
    const names = [...queries];
    const result = await this.#git(
      ["cat-file", "--batch-check=%(objectname) %(objecttype)"],
      { stdin: [TIP, ...names.map((name) => `${TIP}:${name}`), ""].join("\n") },
    );
    if (result.code !== 0) throw this.#cacheBroken(result);
    const lines = result.stdout.split("\n");
    const [tip, type] = (lines[0] ?? "").split(" ");
    if (type !== "commit" || tip === undefined) return undefined;
    const entries = new Map<string, { type: string; id: string }>();
    names.forEach((name, i) => {
      const [id, kind] = (lines[i + 1] ?? "").split(" ");
      if (id && kind && kind !== "missing" && /^[0-9a-f]+$/.test(id)) {
        entries.set(name, { type: kind, id });
      }
    });
    const plan: Plan = { add: [], conflicts: [], tip };
    for (const file of wanted) {
      const parts = file.path.split("/");
      const blocked = parts.slice(0, -1).some((_, i) => {
        const entry = entries.get(parts.slice(0, i + 1).join("/"));
        return entry !== undefined && entry.type !== "tree";
      });
      const entry = entries.get(file.path);
      if (
        blocked || (entry && (entry.type !== "blob" || entry.id !== file.blob))
      ) {
        plan.conflicts.push(file.path);
      } else if (!entry) {
        plan.add.push(file);
      }
    }
    return plan;
  }

  /** Writes one commit adding `files` on top of the tip (or as a root) and moves the tip ref to it. */
  async build(
    files: WantedFile[],
    onTip: boolean,
    commit: { identity: string; message: string; when: Date },
  ): Promise<string> {
    const seconds = Math.floor(commit.when.getTime() / 1000);
    const message = commit.message.endsWith("\n")
      ? commit.message
      : `${commit.message}\n`;
    const lines = [
      "feature done",
      `commit ${TIP}`,
      "mark :1",
      `author ${commit.identity} ${seconds} +0000`,
      `committer ${commit.identity} ${seconds} +0000`,
      `data ${encoder.encode(message).length}`,
      message,
    ];
    // `^0` makes fast-import read the ref from the repository, not its own branch table.
    if (onTip) lines.push(`from ${TIP}^0`);
    for (const file of files) {
      lines.push(
        `M 100644 inline ${file.path}`,
        `data ${encoder.encode(file.content).length}`,
        file.content,
      );
    }
    lines.push("get-mark :1", "done", "");
    // A pack per commit instead of loose objects: exploding a few objects costs an
    // `unpack-objects` process; #compact merges the packs now and then.
    const result = await this.#git(
      ["-c", "fastimport.unpackLimit=0", "fast-import", "--quiet", "--force"],
      { stdin: lines.join("\n") },
    );
    const id = result.stdout.trim();
    if (result.code !== 0 || !/^[0-9a-f]{40,64}$/.test(id)) {
      throw this.#cacheBroken(result);
    }
    return id;
  }

  /**
   * Pushes `commit` to the branch, only if the branch is still where the commit's parent
   * says (a lease): `"lost"` when another agent pushed first.
   */
  async push(commit: string, state: TipState): Promise<"pushed" | "lost"> {
    const ref = `refs/heads/${state.branch}`;
    const args = [
      "push",
      "--porcelain",
      "--no-verify",
      `--force-with-lease=${ref}:${state.hasTip ? `${commit}^` : ""}`,
    ];
    if (this.#remote.local) {
      // A local working vessel takes the push into its checked-out branch when its
      // tree is clean, as a pure addition; a dirty tree still refuses.
      args.push(
        "--receive-pack=git -c receive.denyCurrentBranch=updateInstead receive-pack",
      );
    }
    args.push(this.#remote.url, `${commit}:${ref}`);
    const result = await this.#git(args);
    if (result.code === 0) {
      await this.#compact();
      return "pushed";
    }
    const status = /^!\t[^\t]*\t(.*)$/m.exec(result.stdout)?.[1];
    if (status !== undefined) {
      if (
        status.startsWith("[rejected]") ||
        /failed to update ref|cannot lock ref|failed to lock|incorrect old value|reference already exists/i
          .test(status)
      ) return "lost";
      await this.forget(state.hasTip);
      throw this.#refused(result, status);
    }
    await this.forget(state.hasTip);
    if (
      /permission|denied|forbidden|\b403\b|not allowed|read-only|authentication|could not read (username|password)/i
        .test(result.stderr)
    ) {
      throw this.#refused(result, gitSaid(result));
    }
    throw this.#unreachable(result);
  }

  /** Repacks the cache once it holds many small packs, keeping lookups fast. */
  async #compact(): Promise<void> {
    let packs = 0;
    try {
      for await (const entry of Deno.readDir(`${this.#gitDir}/objects/pack`)) {
        if (entry.name.endsWith(".pack")) packs++;
      }
    } catch {
      return;
    }
    // Unreachable objects (commits of lost races) go: only this process, holding the
    // cache's lock, writes here.
    if (packs >= COMPACT_AT_PACKS) {
      await this.#git(["repack", "-a", "-d", "-q"]);
    }
  }

  /** Moves the tip ref back off an unpushed commit, so offline listings do not show it. */
  async forget(hadTip: boolean): Promise<void> {
    await this.#git(
      hadTip ? ["update-ref", TIP, `${TIP}^`] : ["update-ref", "-d", TIP],
    );
  }

  async list(folder: string): Promise<string[]> {
    const result = await this.#git(
      [
        "ls-tree",
        "-r",
        "-z",
        "--name-only",
        "--full-tree",
        TIP,
        ...(folder ? ["--", `${folder}/`] : []),
      ],
      { env: { GIT_LITERAL_PATHSPECS: "1" } },
    );
    if (result.code !== 0) throw this.#cacheBroken(result);
    return result.stdout.split("\0").filter(Boolean).sort();
  }

  #unreachable(result: GitResult): DatumError {
    return new DatumError(
      `Cannot reach vessel "${this.#remote.display}": ${gitSaid(result)}`,
      {
        code: "vessel_unreachable",
        exitCode: ExitCode.Unavailable,
        hint: this.#remote.local
          ? "check that the path names a git repository; the bottle stays queued and `datum bottle flush` retries"
          : "check the URL, the network and your git credentials (a credential helper or an SSH key, since datum never prompts); the bottle stays queued and `datum bottle flush` retries",
      },
    );
  }

  #refused(result: GitResult, reason: string): DatumError {
    const remoteSaid = result.stderr.split("\n")
      .filter((line) => line.startsWith("remote:") && line.slice(7).trim())
      .at(-1)?.slice(7).trim();
    const checkedOut = /checked out|working directory has/i.test(
      reason + result.stderr,
    );
    return new DatumError(
      `Cannot deliver to vessel "${this.#remote.display}": the push was refused: ${
        redactTarget(reason)
      }${remoteSaid ? ` (${redactTarget(remoteSaid)})` : ""}`,
      {
        code: "push_refused",
        exitCode: ExitCode.Unavailable,
        hint: checkedOut
          ? "the vessel has uncommitted changes on its checked-out branch; deliver when it is clean, or make it a bare repository; the bottle stays queued"
          : "the vessel's hooks or permissions refuse this agent's pushes; ask its keeper to allow them, then run `datum bottle flush`",
      },
    );
  }

  #cacheBroken(result: GitResult): DatumError {
    return this.broken(gitSaid(result));
  }

  /** The error of a cache that git cannot use; removing the cache repairs it. */
  broken(detail: string): DatumError {
    return new DatumError(
      `Cannot use the vessel cache "${this.#gitDir}": ${detail}`,
      {
        code: "cache_broken",
        exitCode: ExitCode.Failure,
        hint:
          `remove "${this.#gitDir}" and try again; it is rebuilt from the vessel`,
      },
    );
  }
}

/** git's most telling line: the first `fatal:`/`error:` line, else the last one. */
function gitSaid(result: GitResult): string {
  const lines = `${result.stderr}\n${result.stdout}`.split("\n")
    .map((line) => line.trim()).filter(Boolean);
  const line = lines.find((l) => /^(fatal|error):/.test(l)) ?? lines.at(-1) ??
    `git exited with code ${result.code}`;
  return redactTarget(line.replace(/^(fatal|error):\s*/, ""));
}

function bottleExists(
  remote: Remote,
  path: string,
  count: number,
  why = "a different file is already there",
): DatumError {
  const more = count > 1 ? ` (and ${count - 1} more)` : "";
  return new DatumError(
    `Cannot deliver "${path}"${more} to vessel "${remote.display}": ${why}`,
    {
      code: "bottle_exists",
      exitCode: ExitCode.Conflict,
      hint: "a drop never overwrites: give the bottle a new file name",
    },
  );
}

/**
 * Full jitter: a random wait up to a bound that doubles with each lost attempt. The
 * bound starts at the length of the round just lost, so the wait scales with how
 * slow the target is (a loopback push or a push across the world): contenders
 * spread over about as many rounds as there are of them, instead of colliding again.
 */
function backoff(attempt: number, roundMs: number): number {
  const unit = Math.max(BACKOFF_BASE_MS, roundMs);
  return Math.random() * Math.min(BACKOFF_CAP_MS, unit * 2 ** (attempt - 1));
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
