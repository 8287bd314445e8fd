/**
 * Message-in-a-Bottle: the I2I commit-message grammar and lenient reading of the
 * bottles that agents leave in each other's vessels.
 *
 * Permissions: {@linkcode listInbox} needs read access to the vessel
 * (`--allow-read=<vessel>`); it never writes. {@linkcode parseBottle},
 * {@linkcode parseI2I}, {@linkcode formatI2I} and {@linkcode isI2I} work on
 * strings and need no permission.
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
  type BottleForm,
  type InboxOptions,
  listInbox,
  parseBottle,
} from "./bottle.ts";
