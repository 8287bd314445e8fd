/**
 * `status` (the vessel's health) and `resume` (where the last session stopped).
 * Both only read the vessel (`status` may refresh the machine-local bottle index in
 * `.datum/cache/`).
 *
 * @module
 */

import { git } from "../core/git.ts";
import { checkInbox, listQueue } from "../mib/post.ts";
import { type Brief, composeBrief } from "./brief.ts";
import { inspectVessel, type Problem } from "./inspect.ts";
import { countTrailEntries } from "./trail.ts";
import { openVessel, type VesselLayout } from "./vessel.ts";
import { resolvePath } from "../core/path.ts";

/** The git side of a vessel's health. */
export interface GitHealth {
  /** Whether the folder is a git work tree at all. */
  repository: boolean;
  /** The current branch, when on one. */
  branch: string | undefined;
  /** The upstream branch, when set. */
  upstream: string | undefined;
  /** Commits not pushed to the upstream. */
  ahead: number;
  /** Commits on the upstream not merged here (as of the last fetch). */
  behind: number;
  /** Changed or untracked paths, as `git status --porcelain` names them. */
  uncommitted: string[];
}

/** The health of a vessel. */
export interface VesselStatus {
  /** The vessel's root. */
  root: string;
  /** Its layout. */
  layout: VesselLayout;
  /** The agent. */
  agent: string;
  /** `false` when any problem is an error. */
  valid: boolean;
  /** Every problem found. */
  problems: Problem[];
  /** Git state. */
  git: GitHealth;
  /** The journal's size. */
  journal: { entries: number; bytes: number };
  /** How many trail entries there are. */
  trailEntries: number;
  /** Task counts by status. */
  tasks: Record<string, number>;
  /** The agent's inbox, and its deliveries still queued for `datum bottle flush`. */
  bottles: { total: number; unread: number; queued: number };
}

/**
 * Reads the health of the vessel in `dir`.
 *
 * @param dir The vessel's folder.
 * @returns Its status; `valid` is `false` when a document is missing or invalid.
 * @throws {DatumError} Exit 4 when there is no vessel.
 *
 * @example Gate a script on a valid vessel
 * ```ts ignore
 * import { status } from "@datum/cli";
 * const s = await status("./workshop");
 * if (!s.valid) Deno.exit(3);
 * ```
 */
export async function status(dir: string): Promise<VesselStatus> {
  // git is the slowest part: start it first, so it runs while the vessel is read.
  const pending = gitHealth(resolvePath(dir));
  const vessel = await openVessel(dir).catch(async (error) => {
    await pending.catch(() => {});
    throw error;
  });
  const [state, health, inbox, queue] = await Promise.all([
    inspectVessel(vessel),
    pending,
    checkInbox(vessel, { pull: false }),
    listQueue(vessel),
  ]);
  const problems = [...state.problems];
  if (!health.repository) {
    problems.unshift({
      severity: "error",
      path: ".",
      message:
        "the vessel is not a git repository; run `git init` and commit it",
    });
  }
  const tasks: Record<string, number> = {};
  for (const t of state.tasks) tasks[t.status] = (tasks[t.status] ?? 0) + 1;
  return {
    root: vessel.root,
    layout: vessel.layout,
    agent: vessel.agent,
    valid: !problems.some((p) => p.severity === "error"),
    problems,
    git: health,
    journal: {
      entries: state.journal.entries.length,
      bytes: state.journalBytes,
    },
    trailEntries: countTrailEntries(state.trail),
    tasks,
    bottles: { total: inbox.total, unread: inbox.unread, queued: queue.length },
  };
}

/** Where the last session stopped. */
export interface ResumePoint {
  /** The agent. */
  agent: string;
  /** The last journal entry, if any. */
  lastJournal: Brief["journal"][number] | undefined;
  /** The last trail entries, oldest first. */
  lastTrail: string[];
  /** Task counts by status. */
  tasks: Record<string, number>;
  /** Tasks in flight. */
  active: Brief["tasks"]["active"];
  /** What to do next. */
  suggestions: string[];
}

/**
 * Finds where the last session in `dir` stopped.
 *
 * @param dir The vessel's folder.
 * @returns The last entries, task counts and suggestions.
 *
 * @example
 * ```ts ignore
 * const { suggestions } = await resume("./workshop");
 * ```
 */
export async function resume(dir: string): Promise<ResumePoint> {
  const vessel = await openVessel(dir);
  const state = await inspectVessel(vessel);
  const b = composeBrief(state, [], { trail: 3, journal: 1 });
  return {
    agent: vessel.agent,
    lastJournal: b.journal.at(-1),
    lastTrail: b.trail,
    tasks: Object.fromEntries(
      Object.entries(b.tasks.counts).filter(([, n]) => n > 0),
    ),
    active: b.tasks.active,
    suggestions: b.next,
  };
}

async function gitHealth(root: string): Promise<GitHealth> {
  const result = await git(root, ["status", "--porcelain=v2", "--branch"], {
    allowFailure: true,
  });
  const health: GitHealth = {
    repository: result.code === 0,
    branch: undefined,
    upstream: undefined,
    ahead: 0,
    behind: 0,
    uncommitted: [],
  };
  if (result.code !== 0) return health;
  for (const line of result.stdout.split("\n")) {
    if (line.startsWith("# branch.head ")) {
      const head = line.slice(14);
      if (head !== "(detached)") health.branch = head;
    } else if (line.startsWith("# branch.upstream ")) {
      health.upstream = line.slice(18);
    } else if (line.startsWith("# branch.ab ")) {
      const [ahead = "+0", behind = "-0"] = line.slice(12).split(" ");
      health.ahead = Number(ahead.slice(1));
      health.behind = Number(behind.slice(1));
    } else if (line.startsWith("? ")) {
      health.uncommitted.push(line.slice(2));
    } else {
      // Ordinary, renamed and unmerged entries put the path after 8, 9 and 10 fields.
      const fields = { "1": 8, "2": 9, "u": 10 }[line[0] ?? ""];
      if (fields !== undefined && line[1] === " ") {
        const path = line.split(" ").slice(fields).join(" ");
        health.uncommitted.push(path.split("\t")[0]!);
      }
    }
  }
  return health;
}
