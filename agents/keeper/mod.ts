/**
 * The Keeper: the one process that holds an agent fleet's secrets. A secret leaves
 * it only to an enrolled agent that authenticated, named a purpose and an allowed
 * destination, and was audited first.
 *
 * - {@linkcode KeeperStore}: the encrypted store (PBKDF2-HMAC-SHA256 once per unlock,
 *   AES-256-GCM per secret with its name as associated data, HMAC over the policy).
 * - {@linkcode AuditLog}, {@linkcode verifyAudit}: the hash-chained JSONL audit log.
 * - {@linkcode serveKeeper}: the HTTP API.
 * - {@linkcode SecretProxy}: the client agents use.
 *
 * Permissions: `--allow-read` and `--allow-write` on the keeper's folder,
 * `--allow-net=127.0.0.1` (the server, or the proxy's keeper), `--allow-env=DATUM_*`.
 *
 * @example Ask a running keeper for a secret
 * ```ts ignore
 * import { SecretProxy } from "@datum/cli/agents";
 * const proxy = new SecretProxy({ url: "http://127.0.0.1:7742", agent: "scout", token });
 * const pat = await proxy.get("github_pat", { purpose: "audit the fleet", destination: "api.github.com" });
 * ```
 *
 * @module
 */

export {
  type AuditEvent,
  AuditLog,
  type AuditProblem,
  type AuditRecord,
  type AuditVerification,
  GENESIS,
  readAudit,
  verifyAudit,
} from "./audit.ts";
export {
  decide,
  type Decision,
  DEFAULT_MAX_TTL,
  DEFAULT_RATE,
  DEFAULT_TTL,
  parseSecretRequest,
  type PolicyOptions,
  RateLimiter,
  type SecretRequest,
} from "./policy.ts";
export {
  type SecretGrant,
  SecretProxy,
  type SecretProxyOptions,
  type SecretRequestOptions,
} from "./proxy.ts";
export {
  DEFAULT_LISTEN,
  DEFAULT_MAX_BODY,
  type KeeperHandler,
  keeperHandler,
  type KeeperServer,
  type KeeperServerOptions,
  serveKeeper,
  type ServeOptions,
} from "./server.ts";
export {
  type AgentCheck,
  type AgentInfo,
  type InitOptions,
  KeeperStore,
  type LegacySecret,
  readLegacyStore,
  readStoreMetadata,
  type SecretInfo,
  type SetSecretOptions,
  storePaths,
} from "./store.ts";
