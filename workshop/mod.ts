/**
 * The vessel: boot, the succession brief, status and resume, the journal, the trail,
 * the task board and CAPABILITY.toml.
 *
 * Permissions: `--allow-read` and `--allow-write` on the workshop (and its parent, to
 * create one), `--allow-run=git`, `--allow-env=DATUM_*`. `brief` with a budget loads
 * the `o200k_base` tokenizer, which needs nothing more.
 *
 * @example Boot a vessel and brief its successor
 * ```ts ignore
 * import { boot, brief, renderBrief } from "@datum/cli/workshop";
 * await boot("./workshop", { name: "scout" });
 * console.log(renderBrief(await brief("./workshop", { budget: 8000 })));
 * ```
 *
 * @module
 */

export {
  boot,
  type BootOptions,
  type BootResult,
  type SyncResult,
} from "./boot.ts";
export {
  type Brief,
  brief,
  type BriefBottle,
  type BriefBudget,
  type BriefJournalEntry,
  type BriefOptions,
  type BriefTask,
  renderBrief,
} from "./brief.ts";
export {
  type Capability,
  type CapabilityDoc,
  parseCapability,
} from "./capability.ts";
export {
  formatProblem,
  inspectVessel,
  type Problem,
  type VesselState,
} from "./inspect.ts";
export {
  type Journal,
  type JournalEntry,
  type JournalProblem,
  parseJournal,
} from "./journal.ts";
export { journal, type JournalOptions, type JournalResult } from "./record.ts";
export {
  type GitHealth,
  resume,
  type ResumePoint,
  status,
  type VesselStatus,
} from "./status.ts";
export { parseTaskboard, type Task } from "./taskboard.ts";
export { lastTrailEntries } from "./trail.ts";
export {
  findVessel,
  openVessel,
  type Vessel,
  type VesselLayout,
  type VesselPaths,
} from "./vessel.ts";
