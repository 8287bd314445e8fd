/**
 * The keeper's encrypted store: one JSON file, mode 0600, replaced atomically.
 *
 * The passphrase goes through PBKDF2-HMAC-SHA256 once per unlock (600 000 iterations,
 * a random salt per store) to an AES-256-GCM key and an HMAC key. Each secret is
 * sealed with a fresh 96-bit nonce and its name as associated data, so a ciphertext
 * moved to another name does not open. The metadata that decides who gets what
 * (agents, token hashes, allow-lists) is covered by an HMAC, so someone who can write
 * the file but does not know the passphrase cannot enroll an agent or widen a policy.
 *
 * @module
 */

import { DatumError, ExitCode } from "../../core/errors.ts";
import { atomicWrite, fileError, readTextIfExists } from "../../core/fs.ts";
import {
  type Bytes,
  canonicalJson,
  deriveKeys,
  fromBase64,
  fromHex,
  hmacHex,
  hmacVerify,
  newToken,
  open,
  PBKDF2_ITERATIONS,
  randomBytes,
  seal,
  sha256Hex,
  type StoreKeys,
  timingSafeEqual,
  toBase64,
} from "./_crypto.ts";

/** The store's file name inside the keeper's folder. */
export const STORE_FILE = "store.json";
/** The lock file that serialises writers of the store. */
export const LOCK_FILE = "store.lock";
/** The format tag and version of the store file. */
export const STORE_FORMAT = "datum-keeper-store";
const STORE_VERSION = 1;
const VERIFY_TEXT = "datum-keeper-verify";

/** What a secret's name may look like. */
export const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
/** What an agent's name may look like. */
export const AGENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** What a destination host may look like: a host name or address, maybe a port. */
export const DESTINATION =
  /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?(:[0-9]{1,5})?$/;

/** A secret's metadata, never its value. */
export interface SecretInfo {
  /** The secret's name. */
  key: string;
  /** What it is for. */
  description: string;
  /** Agents that may receive it; none when empty. */
  allowAgents: string[];
  /** Hosts it may be sent to; none when empty. */
  allowDestinations: string[];
  /** When it was first stored (ISO 8601). */
  createdAt: string;
  /** When its value or policy last changed (ISO 8601). */
  updatedAt: string;
}

/** An enrolled agent. */
export interface AgentInfo {
  /** The agent's name. */
  name: string;
  /** When it was enrolled (ISO 8601). */
  enrolledAt: string;
  /** When it was revoked, if it was. */
  revokedAt: string | undefined;
}

/** Options of {@linkcode KeeperStore.init}. */
export interface InitOptions {
  /**
   * PBKDF2 iterations, recorded in the file. The CLI always uses 600 000; tests may
   * pass fewer to create stores quickly.
   */
  iterations?: number;
}

/** Options of {@linkcode KeeperStore.setSecret}. */
export interface SetSecretOptions {
  /** What the secret is for. */
  description?: string;
  /** Agents that may receive it (replaces the list when given). */
  allowAgents?: readonly string[];
  /** Hosts it may be sent to (replaces the list when given). */
  allowDestinations?: readonly string[];
}

/** The outcome of checking an agent's bearer token. */
export type AgentCheck = "ok" | "unknown" | "revoked" | "bad-token";

interface SealedRecord {
  nonce: string;
  ciphertext: string;
}

interface SecretRecord extends SealedRecord {
  description: string;
  allow_agents: string[];
  allow_destinations: string[];
  created_at: string;
  updated_at: string;
}

interface AgentRecord {
  token_sha256: string;
  enrolled_at: string;
  revoked_at?: string;
}

interface StoreFile {
  format: string;
  version: number;
  kdf: { algorithm: string; iterations: number; salt: string };
  verifier: SealedRecord;
  admin: { token_sha256: string; created_at: string };
  agents: Record<string, AgentRecord>;
  secrets: Record<string, SecretRecord>;
  mac: string;
}

/** The paths of a keeper folder's files. */
export function storePaths(
  dir: string,
): { store: string; lock: string; audit: string } {
  return {
    store: `${dir}/${STORE_FILE}`,
    lock: `${dir}/${LOCK_FILE}`,
    audit: `${dir}/audit.jsonl`,
  };
}

function invalid(path: string, detail: string, cause?: unknown): DatumError {
  return new DatumError(`Cannot read keeper store "${path}": ${detail}`, {
    code: "keeper_store_invalid",
    exitCode: ExitCode.Invalid,
    hint:
      "restore the file from a backup, or run `datum keeper init` in a new folder",
    cause,
  });
}

function notFound(dir: string): DatumError {
  return new DatumError(`Cannot open keeper "${dir}": no store there`, {
    code: "keeper_not_found",
    exitCode: ExitCode.NotFound,
    hint: "run `datum keeper init` first, or pass the right --dir",
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function parseStore(path: string, text: string): StoreFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw invalid(path, "it is not JSON", cause);
  }
  if (!isObject(raw) || raw.format !== STORE_FORMAT) {
    throw invalid(path, `it is not a ${STORE_FORMAT} file`);
  }
  if (raw.version !== STORE_VERSION) {
    throw invalid(path, `version ${String(raw.version)} is not supported`);
  }
  const kdf = raw.kdf;
  if (
    !isObject(kdf) || kdf.algorithm !== "PBKDF2-HMAC-SHA256" ||
    !Number.isInteger(kdf.iterations) || (kdf.iterations as number) < 1 ||
    typeof kdf.salt !== "string"
  ) {
    throw invalid(path, "its kdf parameters are malformed");
  }
  const sealedOk = (v: unknown): boolean =>
    isObject(v) && typeof v.nonce === "string" &&
    typeof v.ciphertext === "string";
  if (!sealedOk(raw.verifier)) throw invalid(path, "its verifier is malformed");
  const admin = raw.admin;
  if (!isObject(admin) || typeof admin.token_sha256 !== "string") {
    throw invalid(path, "its admin record is malformed");
  }
  if (!isObject(raw.agents) || !isObject(raw.secrets)) {
    throw invalid(path, "its agents or secrets are malformed");
  }
  for (const [name, agent] of Object.entries(raw.agents)) {
    if (
      !isObject(agent) || typeof agent.token_sha256 !== "string" ||
      typeof agent.enrolled_at !== "string"
    ) {
      throw invalid(path, `agent "${name}" is malformed`);
    }
  }
  for (const [key, secret] of Object.entries(raw.secrets)) {
    if (
      !sealedOk(secret) || !isObject(secret) ||
      typeof secret.description !== "string" ||
      !isStringArray(secret.allow_agents) ||
      !isStringArray(secret.allow_destinations)
    ) {
      throw invalid(path, `secret "${key}" is malformed`);
    }
  }
  if (typeof raw.mac !== "string") throw invalid(path, "it has no MAC");
  return raw as unknown as StoreFile;
}

function macText(file: StoreFile): string {
  const { mac: _mac, ...rest } = file;
  return canonicalJson(rest);
}

function own<T>(record: Record<string, T>, key: string): T | undefined {
  // Never a prototype member: a request for the secret "constructor" finds nothing.
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

// Synchronous: a running keeper stats the store on every request, and an async
// stat costs ~300 µs of thread-pool round trip against ~8 µs.
function signature(path: string): string | undefined {
  try {
    const info = Deno.statSync(path);
    return `${info.ino}:${info.mtime?.getTime()}:${info.size}`;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw fileError("inspect", path, error);
  }
}

/**
 * Makes the keeper's folder (mode 0700), refusing one inside a git work tree: a
 * secret in a repository is a leak forever.
 */
async function makeKeeperDir(dir: string): Promise<void> {
  const absolute = dir.startsWith("/") ? dir : `${Deno.cwd()}/${dir}`;
  const parts: string[] = [];
  for (const part of absolute.split("/")) {
    if (part === "..") parts.pop();
    else if (part && part !== ".") parts.push(part);
  }
  for (let i = parts.length; i >= 0; i--) {
    const candidate = `/${parts.slice(0, i).join("/")}`;
    const git = `${candidate === "/" ? "" : candidate}/.git`;
    try {
      await Deno.lstat(git);
      throw new DatumError(
        `Cannot create a keeper in "${dir}": it is inside the git repository "${candidate}"`,
        {
          code: "keeper_in_git",
          exitCode: ExitCode.Invalid,
          hint:
            "use the default (~/.datum/keeper) or a --dir outside every repository",
        },
      );
    } catch (error) {
      if (error instanceof DatumError) throw error;
      if (
        !(error instanceof Deno.errors.NotFound ||
          error instanceof Deno.errors.NotADirectory ||
          error instanceof Deno.errors.PermissionDenied)
      ) {
        throw fileError("inspect", git, error);
      }
    }
  }
  try {
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
    await Deno.chmod(dir, 0o700);
  } catch (error) {
    throw fileError("create", dir, error);
  }
}

/**
 * Reads the store's metadata without the passphrase: for `list` and `agents`, which
 * show names and policies but never values. Not authenticated: only an unlocked
 * {@linkcode KeeperStore} checks the MAC.
 *
 * @param dir The keeper's folder.
 * @returns Secrets and agents as the file records them.
 *
 * @example
 * ```ts ignore
 * const { secrets } = await readStoreMetadata(`${Deno.env.get("HOME")}/.datum/keeper`);
 * ```
 */
export async function readStoreMetadata(
  dir: string,
): Promise<{ secrets: SecretInfo[]; agents: AgentInfo[] }> {
  const path = storePaths(dir).store;
  const text = await readTextIfExists(path);
  if (text === undefined) throw notFound(dir);
  const file = parseStore(path, text);
  return { secrets: secretInfos(file), agents: agentInfos(file) };
}

function secretInfos(file: StoreFile): SecretInfo[] {
  return Object.entries(file.secrets).map(([key, s]) => secretInfo(key, s))
    .sort((a, b) => a.key < b.key ? -1 : 1);
}

function secretInfo(key: string, s: SecretRecord): SecretInfo {
  return {
    key,
    description: s.description,
    allowAgents: [...s.allow_agents],
    allowDestinations: [...s.allow_destinations],
    createdAt: s.created_at,
    updatedAt: s.updated_at,
  };
}

function agentInfos(file: StoreFile): AgentInfo[] {
  return Object.entries(file.agents).map(([name, a]) => ({
    name,
    enrolledAt: a.enrolled_at,
    revokedAt: a.revoked_at,
  })).sort((a, b) => a.name < b.name ? -1 : 1);
}

/**
 * An unlocked store. The keys are derived once, in {@linkcode KeeperStore.unlock};
 * reads re-parse the file only when it changed on disk (another `datum keeper`
 * command wrote it), and never run the key derivation again.
 *
 * @example Create, fill and read a store
 * ```ts ignore
 * const { store, adminToken } = await KeeperStore.init("/tmp/k", "a long passphrase");
 * await store.setSecret("github_pat", "ghp_…", { allowAgents: ["scout"], allowDestinations: ["api.github.com"] });
 * const value = await store.reveal("github_pat");
 * ```
 */
export class KeeperStore {
  /** The keeper's folder. */
  readonly dir: string;
  #keys: StoreKeys;
  #file: StoreFile;
  #signature: string | undefined;
  // Values already decrypted, by name, with the ciphertext they came from: WebCrypto
  // is async only and a decrypt costs ~250 µs of thread-pool round trip on a small
  // VM. The process holds the key anyway, so this adds nothing a memory dump would
  // not already give; a changed ciphertext misses.
  #plain = new Map<string, { ciphertext: string; value: string }>();

  private constructor(
    dir: string,
    keys: StoreKeys,
    file: StoreFile,
    sig: string | undefined,
  ) {
    this.dir = dir;
    this.#keys = keys;
    this.#file = file;
    this.#signature = sig;
  }

  /**
   * Creates a new store in `dir` and returns it unlocked, with the admin token,
   * which is shown once: the store keeps only its hash.
   *
   * @param dir The keeper's folder; created with mode 0700.
   * @param passphrase The master passphrase.
   * @param options The PBKDF2 iteration count (600 000 by default).
   * @returns The store and the admin token.
   * @throws {DatumError} `keeper_exists` (exit 5) when `dir` already has a store.
   */
  static async init(
    dir: string,
    passphrase: string,
    options: InitOptions = {},
  ): Promise<{ store: KeeperStore; adminToken: string }> {
    if (passphrase.length === 0) {
      throw new DatumError("Cannot create a keeper: the passphrase is empty", {
        code: "keeper_passphrase_empty",
        exitCode: ExitCode.Usage,
      });
    }
    await makeKeeperDir(dir);
    const paths = storePaths(dir);
    const iterations = options.iterations ?? PBKDF2_ITERATIONS;
    const salt = randomBytes(16);
    const keys = await deriveKeys(passphrase, salt, iterations);
    const adminToken = newToken();
    const now = new Date().toISOString();
    const file: StoreFile = {
      format: STORE_FORMAT,
      version: STORE_VERSION,
      kdf: {
        algorithm: "PBKDF2-HMAC-SHA256",
        iterations,
        salt: toBase64(salt),
      },
      verifier: await seal(keys.encryption, VERIFY_TEXT, VERIFY_TEXT),
      admin: { token_sha256: sha256Hex(adminToken), created_at: now },
      agents: {},
      secrets: {},
      mac: "",
    };
    file.mac = await hmacHex(keys.mac, macText(file));
    await withLock(paths.lock, async () => {
      if (signature(paths.store) !== undefined) {
        throw new DatumError(`Cannot create a keeper in "${dir}": it has one`, {
          code: "keeper_exists",
          exitCode: ExitCode.Conflict,
          hint: "use it, or choose another --dir",
        });
      }
      await atomicWrite(paths.store, `${JSON.stringify(file, null, 2)}\n`, {
        mode: 0o600,
      });
    });
    const store = new KeeperStore(
      dir,
      keys,
      file,
      signature(paths.store),
    );
    return { store, adminToken };
  }

  /**
   * Opens the store in `dir` with `passphrase`: the one key derivation of this
   * process.
   *
   * @param dir The keeper's folder.
   * @param passphrase The master passphrase.
   * @returns The unlocked store.
   * @throws {DatumError} `keeper_not_found` (exit 4), `keeper_passphrase_wrong`
   *   (exit 3), `keeper_store_tampered` or `keeper_store_invalid` (exit 3).
   */
  static async unlock(dir: string, passphrase: string): Promise<KeeperStore> {
    const path = storePaths(dir).store;
    const sig = signature(path);
    const text = await readTextIfExists(path);
    if (text === undefined) throw notFound(dir);
    const file = parseStore(path, text);
    let salt: Bytes;
    try {
      salt = fromBase64(file.kdf.salt);
    } catch (cause) {
      throw invalid(path, "its salt is not base64", cause);
    }
    const keys = await deriveKeys(passphrase, salt, file.kdf.iterations);
    try {
      if (
        await open(keys.encryption, file.verifier, VERIFY_TEXT) !== VERIFY_TEXT
      ) {
        throw new Error("verifier mismatch");
      }
    } catch {
      throw new DatumError(`Cannot unlock keeper "${dir}": wrong passphrase`, {
        code: "keeper_passphrase_wrong",
        exitCode: ExitCode.Invalid,
        hint:
          "check --passphrase-file or DATUM_KEEPER_PASSPHRASE; nothing was changed",
      });
    }
    const store = new KeeperStore(dir, keys, file, sig);
    await store.#verifyMac(file);
    return store;
  }

  async #verifyMac(file: StoreFile): Promise<void> {
    if (!await hmacVerify(this.#keys.mac, macText(file), file.mac)) {
      throw new DatumError(
        `Cannot trust keeper store "${
          storePaths(this.dir).store
        }": it was changed outside the keeper`,
        {
          code: "keeper_store_tampered",
          exitCode: ExitCode.Invalid,
          hint:
            "restore the store from a backup; its agents and policies cannot be trusted",
        },
      );
    }
  }

  /**
   * Re-reads the file when another process changed it since this one last did.
   * Cheap when nothing changed: one `stat`.
   */
  async refresh(): Promise<void> {
    const path = storePaths(this.dir).store;
    const sig = signature(path);
    if (sig === this.#signature) return;
    if (sig === undefined) throw notFound(this.dir);
    const text = await readTextIfExists(path);
    if (text === undefined) throw notFound(this.dir);
    const file = parseStore(path, text);
    if (file.kdf.salt !== this.#file.kdf.salt) {
      throw invalid(path, "it was replaced by another store");
    }
    await this.#verifyMac(file);
    this.#file = file;
    this.#signature = sig;
    for (const key of this.#plain.keys()) {
      if (!own(file.secrets, key)) this.#plain.delete(key);
    }
  }

  /** The PBKDF2 iteration count the file records. */
  get iterations(): number {
    return this.#file.kdf.iterations;
  }

  /**
   * Every secret's metadata, sorted by name.
   *
   * @returns The secrets, without values.
   */
  secrets(): SecretInfo[] {
    return secretInfos(this.#file);
  }

  /**
   * One secret's metadata.
   *
   * @param key The secret's name.
   * @returns Its metadata, or `undefined` when there is no such secret.
   */
  secret(key: string): SecretInfo | undefined {
    const record = own(this.#file.secrets, key);
    return record && secretInfo(key, record);
  }

  /**
   * Decrypts one secret.
   *
   * @param key The secret's name.
   * @returns Its value.
   * @throws {DatumError} `secret_not_found` (exit 4), `keeper_store_tampered` (exit 3).
   */
  async reveal(key: string): Promise<string> {
    const record = own(this.#file.secrets, key);
    if (!record) {
      throw new DatumError(`Cannot find secret "${key}"`, {
        code: "secret_not_found",
        exitCode: ExitCode.NotFound,
        hint: "see `datum keeper list`",
      });
    }
    const cached = this.#plain.get(key);
    if (cached && cached.ciphertext === record.ciphertext) return cached.value;
    try {
      const value = await open(this.#keys.encryption, record, key);
      this.#plain.set(key, { ciphertext: record.ciphertext, value });
      return value;
    } catch (cause) {
      throw new DatumError(
        `Cannot decrypt secret "${key}": its ciphertext was altered or moved`,
        { code: "keeper_store_tampered", exitCode: ExitCode.Invalid, cause },
      );
    }
  }

  /**
   * Stores (or replaces) a secret. Policy lists not given are kept from the
   * previous version, or empty (nobody, nowhere) for a new secret.
   *
   * @param key The secret's name.
   * @param value Its value.
   * @param options Description and allow-lists.
   */
  async setSecret(
    key: string,
    value: string,
    options: SetSecretOptions = {},
  ): Promise<void> {
    checkName("secret", key, SECRET_NAME);
    const agents = options.allowAgents?.map((a) =>
      checkName("agent", a, AGENT_NAME)
    );
    const destinations = options.allowDestinations?.map(normaliseDestination);
    const sealed = await seal(this.#keys.encryption, value, key);
    await this.#mutate((file) => {
      const old = own(file.secrets, key);
      const now = new Date().toISOString();
      file.secrets[key] = {
        ...sealed,
        description: options.description ?? old?.description ?? "",
        allow_agents: agents ?? old?.allow_agents ?? [],
        allow_destinations: destinations ?? old?.allow_destinations ?? [],
        created_at: old?.created_at ?? now,
        updated_at: now,
      };
    });
  }

  /**
   * Changes a secret's description or allow-lists, keeping its value.
   *
   * @param key The secret's name.
   * @param options The fields to replace.
   * @throws {DatumError} `secret_not_found` (exit 4).
   */
  async setPolicy(key: string, options: SetSecretOptions): Promise<void> {
    const agents = options.allowAgents?.map((a) =>
      checkName("agent", a, AGENT_NAME)
    );
    const destinations = options.allowDestinations?.map(normaliseDestination);
    await this.#mutate((file) => {
      const old = own(file.secrets, key);
      if (!old) {
        throw new DatumError(`Cannot find secret "${key}"`, {
          code: "secret_not_found",
          exitCode: ExitCode.NotFound,
          hint: "see `datum keeper list`",
        });
      }
      file.secrets[key] = {
        ...old,
        description: options.description ?? old.description,
        allow_agents: agents ?? old.allow_agents,
        allow_destinations: destinations ?? old.allow_destinations,
        updated_at: new Date().toISOString(),
      };
    });
  }

  /**
   * Removes a secret.
   *
   * @param key The secret's name.
   * @returns Whether it existed.
   */
  async removeSecret(key: string): Promise<boolean> {
    let existed = false;
    await this.#mutate((file) => {
      existed = own(file.secrets, key) !== undefined;
      delete file.secrets[key];
    });
    return existed;
  }

  /**
   * Whether `name` is enrolled (revoked or not).
   *
   * @param name The agent's name.
   * @returns Whether the store has a record of it.
   */
  hasAgent(name: string): boolean {
    return own(this.#file.agents, name) !== undefined;
  }

  /**
   * Every enrolled agent, revoked ones included, sorted by name.
   *
   * @returns The agents.
   */
  agents(): AgentInfo[] {
    return agentInfos(this.#file);
  }

  /**
   * Enrolls `name` (or re-enrolls it with a new token, which revives a revoked
   * agent and invalidates its old token).
   *
   * @param name The agent's name.
   * @returns Its token, shown once: the store keeps only the hash.
   */
  async enroll(name: string): Promise<string> {
    checkName("agent", name, AGENT_NAME);
    const token = newToken();
    const hash = sha256Hex(token);
    await this.#mutate((file) => {
      file.agents[name] = {
        token_sha256: hash,
        enrolled_at: new Date().toISOString(),
      };
    });
    return token;
  }

  /**
   * Revokes `name`: its token stops working at once, also in a running keeper.
   *
   * @param name The agent's name.
   * @returns Whether the agent was enrolled and not yet revoked.
   */
  async revoke(name: string): Promise<boolean> {
    let changed = false;
    await this.#mutate((file) => {
      const agent = own(file.agents, name);
      if (!agent || agent.revoked_at) return;
      file.agents[name] = { ...agent, revoked_at: new Date().toISOString() };
      changed = true;
    });
    return changed;
  }

  /**
   * Checks an agent's bearer token, comparing hashes in constant time.
   *
   * @param name The agent the request claims to be.
   * @param token The bearer token presented.
   * @returns `"ok"`, or why not.
   */
  checkAgent(name: string, token: string): AgentCheck {
    const hash = sha256Hex(token);
    const agent = own(this.#file.agents, name);
    if (!agent) return "unknown";
    if (!timingSafeEqual(hash, agent.token_sha256)) return "bad-token";
    return agent.revoked_at ? "revoked" : "ok";
  }

  /**
   * Checks the admin token in constant time.
   *
   * @param token The bearer token presented.
   * @returns Whether it is the admin token.
   */
  checkAdmin(token: string): boolean {
    return timingSafeEqual(
      sha256Hex(token),
      this.#file.admin.token_sha256,
    );
  }

  async #mutate(change: (file: StoreFile) => void): Promise<void> {
    const paths = storePaths(this.dir);
    await withLock(paths.lock, async () => {
      await this.refresh();
      const next = structuredClone(this.#file);
      change(next);
      next.mac = await hmacHex(this.#keys.mac, macText(next));
      await atomicWrite(paths.store, `${JSON.stringify(next, null, 2)}\n`, {
        mode: 0o600,
      });
      this.#file = next;
      this.#signature = signature(paths.store);
    });
  }
}

function checkName(kind: string, name: string, pattern: RegExp): string {
  if (!pattern.test(name)) {
    throw new DatumError(
      `Cannot use ${kind} name "${name}": not a valid name`,
      {
        code: "keeper_name_invalid",
        exitCode: ExitCode.Usage,
        hint:
          "use letters, digits, '.', '_' and '-', starting with a letter or digit",
      },
    );
  }
  return name;
}

/**
 * A destination as the keeper compares it: lower case, checked against
 * {@linkcode DESTINATION}.
 *
 * @param host A host name, maybe with a port.
 * @returns The normalised host.
 */
export function normaliseDestination(host: string): string {
  const lower = host.toLowerCase();
  if (!DESTINATION.test(lower)) {
    throw new DatumError(`Cannot use destination "${host}": not a host name`, {
      code: "keeper_destination_invalid",
      exitCode: ExitCode.Usage,
      hint: "write a host such as api.github.com, without a scheme or path",
    });
  }
  return lower;
}

/** Runs `fn` holding an exclusive lock on `path` (created mode 0600). */
export async function withLock<T>(
  path: string,
  fn: () => Promise<T>,
): Promise<T> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, {
      read: true,
      write: true,
      create: true,
      mode: 0o600,
    });
  } catch (error) {
    throw fileError("lock", path, error);
  }
  try {
    await file.lock(true);
    return await fn();
  } finally {
    file.close();
  }
}

/** A secret read from a datum 0.3 store. */
export interface LegacySecret {
  /** Its name. */
  key: string;
  /** Its plaintext. */
  value: string;
  /** 0.3's description. */
  description: string;
}

/**
 * Decrypts a datum 0.3 store (`.superagent/secrets.enc.json`): each value is hex of
 * salt(16) ‖ nonce(12) ‖ AES-256-GCM ciphertext and tag, the key PBKDF2-HMAC-SHA256
 * of the password and that salt, 600 000 iterations, no associated data. One key
 * derivation per distinct salt, as 0.3 salted every value separately.
 *
 * @param path The 0.3 store file.
 * @param password Its master password.
 * @returns Its secrets, decrypted.
 * @throws {DatumError} `keeper_import_invalid` (exit 3) on a malformed file or a
 *   wrong password.
 *
 * @example
 * ```ts ignore
 * const secrets = await readLegacyStore(".superagent/secrets.enc.json", "correct horse battery staple");
 * ```
 */
export async function readLegacyStore(
  path: string,
  password: string,
): Promise<LegacySecret[]> {
  const text = await readTextIfExists(path);
  if (text === undefined) {
    throw new DatumError(`Cannot import "${path}": it does not exist`, {
      code: "not_found",
      exitCode: ExitCode.NotFound,
    });
  }
  const bad = (detail: string, cause?: unknown): DatumError =>
    new DatumError(`Cannot import "${path}": ${detail}`, {
      code: "keeper_import_invalid",
      exitCode: ExitCode.Invalid,
      hint: "check the file and the 0.3 master password",
      cause,
    });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw bad("it is not JSON", cause);
  }
  if (!isObject(raw)) throw bad("it is not a JSON object of secrets");
  const base = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(password),
    "PBKDF2",
    false,
    ["deriveKey"],
  );
  const keys = new Map<string, CryptoKey>();
  const out: LegacySecret[] = [];
  for (const [key, entry] of Object.entries(raw)) {
    if (!isObject(entry) || typeof entry.value_encrypted !== "string") {
      throw bad(`entry "${key}" has no value_encrypted`);
    }
    let blob: Bytes;
    try {
      blob = fromHex(entry.value_encrypted);
    } catch (cause) {
      throw bad(`entry "${key}" is not hex`, cause);
    }
    if (blob.length < 16 + 12 + 16) throw bad(`entry "${key}" is too short`);
    const saltHex = entry.value_encrypted.slice(0, 32);
    let aes = keys.get(saltHex);
    if (!aes) {
      aes = await crypto.subtle.deriveKey(
        {
          name: "PBKDF2",
          hash: "SHA-256",
          salt: blob.slice(0, 16),
          iterations: 600_000,
        },
        base,
        { name: "AES-GCM", length: 256 },
        false,
        ["decrypt"],
      );
      keys.set(saltHex, aes);
    }
    let plain: ArrayBuffer;
    try {
      plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: blob.slice(16, 28) },
        aes,
        blob.slice(28),
      );
    } catch (cause) {
      throw bad(
        `entry "${key}" does not open: wrong password or damaged`,
        cause,
      );
    }
    out.push({
      key,
      value: new TextDecoder().decode(plain),
      description: typeof entry.description === "string"
        ? entry.description
        : "",
    });
  }
  return out;
}
