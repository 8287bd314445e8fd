/**
 * datum: a Git repository as the save file of an AI agent. When an agent's session
 * ends, its successor clones the vessel, boots it, and carries on with everything its
 * predecessor knew.
 *
 * This is the library; the `datum` CLI (`main.ts`) is a thin layer over it.
 *
 * @example Boot a vessel, journal, and brief a successor
 * ```ts ignore
 * import { boot, brief, journal, renderBrief } from "@datum/cli";
 *
 * await boot("./workshop", { name: "scout", role: "explorer" });
 * await journal("./workshop", "NOTE", "Mapped the fleet's repositories", { commit: true });
 * console.log(renderBrief(await brief("./workshop", { budget: 8000 })));
 * ```
 *
 * @module
 */

export {
  DatumError,
  type DatumErrorOptions,
  DocumentError,
  ExitCode,
  type ExitCodeValue,
} from "./core/errors.ts";
export {
  boot,
  type BootOptions,
  type BootResult,
  type Brief,
  brief,
  type BriefBottle,
  type BriefBudget,
  type BriefJournalEntry,
  type BriefOptions,
  type BriefTask,
  type Capability,
  type CapabilityDoc,
  findVessel,
  formatProblem,
  type GitHealth,
  inspectVessel,
  type Journal,
  journal,
  type JournalEntry,
  type JournalOptions,
  type JournalProblem,
  type JournalResult,
  lastTrailEntries,
  openVessel,
  parseCapability,
  parseJournal,
  parseTaskboard,
  type Problem,
  renderBrief,
  resume,
  type ResumePoint,
  status,
  type SyncResult,
  type Task,
  type Vessel,
  type VesselLayout,
  type VesselPaths,
  type VesselState,
  type VesselStatus,
} from "./workshop/mod.ts";
export {
  type Bottle,
  BOTTLE_TYPES,
  type BottleDraft,
  type BottleField,
  type BottleForm,
  BROADCAST,
  checkAgentName,
  checkInbox,
  type CheckOptions,
  deliver,
  type DeliverOptions,
  type DeliveryFile,
  type DeliveryRecord,
  type DeliveryResult,
  type DeliveryState,
  dropBottle,
  type DropOptions,
  type DropResult,
  type FieldSource,
  flushQueue,
  type FlushResult,
  formatBottle,
  formatI2I,
  type FormattedBottle,
  I2I_V1_TYPES,
  I2I_V2_TYPES,
  type I2IMessage,
  type I2IMessageInput,
  I2ISyntaxError,
  type I2IType,
  type InboxEntry,
  type InboxOptions,
  type InboxReport,
  type InboxSummary,
  inboxSummary,
  isI2I,
  listInbox,
  listQueue,
  markRead,
  MAX_BOTTLE_BYTES,
  parseBottle,
  parseI2I,
  readBottle,
  type ReadResult,
  slugOf,
  unreadBottles,
} from "./mib/mod.ts";
export {
  type AgentInfo,
  type AuditEvent,
  AuditLog,
  type AuditProblem,
  type AuditRecord,
  type AuditVerification,
  type KeeperServer,
  type KeeperServerOptions,
  KeeperStore,
  readAudit,
  readLegacyStore,
  type SecretGrant,
  type SecretInfo,
  SecretProxy,
  type SecretProxyOptions,
  type SecretRequestOptions,
  serveKeeper,
  type ServeOptions,
  type SetSecretOptions,
  verifyAudit,
} from "./agents/mod.ts";
