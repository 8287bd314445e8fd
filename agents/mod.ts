/**
 * datum's agents. Today: the Keeper, which holds secrets and hands them to enrolled
 * agents through {@linkcode SecretProxy}.
 *
 * Permissions: see `agents/keeper/mod.ts`.
 *
 * @example
 * ```ts ignore
 * import { SecretProxy } from "@datum/cli/agents";
 * const proxy = new SecretProxy({ url: "http://127.0.0.1:7742", agent: "scout", token });
 * ```
 *
 * @module
 */

export {
  type AgentCheck,
  type AgentInfo,
  type AuditEvent,
  AuditLog,
  type AuditProblem,
  type AuditRecord,
  type AuditVerification,
  decide,
  type Decision,
  DEFAULT_LISTEN,
  DEFAULT_MAX_BODY,
  DEFAULT_MAX_TTL,
  DEFAULT_RATE,
  DEFAULT_TTL,
  GENESIS,
  type InitOptions,
  type KeeperHandler,
  keeperHandler,
  type KeeperServer,
  type KeeperServerOptions,
  KeeperStore,
  type LegacySecret,
  parseSecretRequest,
  type PolicyOptions,
  RateLimiter,
  readAudit,
  readLegacyStore,
  readStoreMetadata,
  type SecretGrant,
  type SecretInfo,
  SecretProxy,
  type SecretProxyOptions,
  type SecretRequest,
  type SecretRequestOptions,
  serveKeeper,
  type ServeOptions,
  type SetSecretOptions,
  storePaths,
  verifyAudit,
} from "./keeper/mod.ts";
