/**
 * Message-in-a-Bottle: git-backed messages between agents whose lives do not
 * overlap. The bottle format (lenient reading of every form fleets use, writing in
 * datum 0.3's layout), the post office (drop, check, read, receipts, summary,
 * broadcast, queued deliveries and flush) and the I2I commit-message grammar.
 *
 * Permissions: {@linkcode listInbox} needs read access to the vessel; the post
 * office needs read and write access to the vessel (and its `.datum/cache/`) and
 * `--allow-run=git`. {@linkcode parseBottle}, {@linkcode formatBottle},
 * {@linkcode parseI2I}, {@linkcode formatI2I} and {@linkcode isI2I} work on strings
 * and need no permission.
 *
 * @example Read an inbox and answer with an I2I commit message
 * ```ts ignore
 * import { formatI2I, listInbox } from "@datum/cli/mib";
 * const inbox = await listInbox("ws", { agent: "datum" });
 * const message = formatI2I({
 *   type: "ACK",
 *   sender: "datum",
 *   action: "ack",
 *   description: `read ${inbox.length} bottles`,
 * });
 * ```
 *
 * @module
 */

export {
  formatI2I,
  I2I_V1_TYPES,
  I2I_V2_TYPES,
  type I2IMessage,
  type I2IMessageInput,
  I2ISyntaxError,
  type I2IType,
  isI2I,
  parseI2I,
} from "./i2i.ts";
export {
  type Bottle,
  type BottleField,
  type BottleForm,
  type FieldSource,
  type InboxOptions,
  listInbox,
  parseBottle,
} from "./bottle.ts";
export {
  BOTTLE_TYPES,
  type BottleDraft,
  BROADCAST,
  checkAgentName,
  formatBottle,
  type FormattedBottle,
  MAX_BOTTLE_BYTES,
  slugOf,
} from "./write.ts";
export {
  checkInbox,
  type CheckOptions,
  type DeliveryRecord,
  type DeliveryState,
  dropBottle,
  type DropOptions,
  type DropResult,
  flushQueue,
  type FlushResult,
  type InboxEntry,
  type InboxReport,
  type InboxSummary,
  inboxSummary,
  listQueue,
  markRead,
  readBottle,
  type ReadResult,
  unreadBottles,
} from "./post.ts";
export {
  deliver,
  type DeliverOptions,
  type DeliveryFile,
  type DeliveryResult,
  listRemote,
  type ListRemoteOptions,
  redactTarget,
} from "./transport.ts";
