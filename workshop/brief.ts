/**
 * The succession brief: what a successor must read first. Identity, the tasks in
 * flight, the last trail and journal entries, unread bottles, known gaps and next
 * actions, as markdown for a prompt or as JSON. With a token budget, the least
 * important parts are dropped first and the brief says what it dropped.
 *
 * @module
 */

import { DatumError, ExitCode } from "../core/errors.ts";
import type { Bottle } from "../mib/bottle.ts";
import { unreadBottles } from "../mib/post.ts";
import { formatProblem, inspectVessel, type VesselState } from "./inspect.ts";
import type { JournalEntry } from "./journal.ts";
import { OPEN_STATUSES, STATUSES, type Task } from "./taskboard.ts";
import { lastTrailEntries } from "./trail.ts";
import { loadTokenCounter, TOKENIZER } from "./_tokens.ts";
import { openVessel, type VesselLayout } from "./vessel.ts";

/** Options of {@linkcode brief}. */
export interface BriefOptions {
  /** Keep the markdown brief under this many `o200k_base` tokens. */
  budget?: number;
  /** How many trail entries to include; 10 by default. */
  trail?: number;
  /** How many journal entries to include; 10 by default. */
  journal?: number;
}

/** A task as the brief shows it. */
export interface BriefTask {
  /** Its id. */
  id: string;
  /** Its title. */
  title: string;
  /** Its priority. */
  priority: string;
  /** Its status. */
  status: string;
  /** Who works on it. */
  assignee: string | null;
}

/** A journal entry as the brief shows it. */
export interface BriefJournalEntry {
  /** The entry's id; `undefined` for entries datum 0.3 wrote. */
  id: string | undefined;
  /** When, as written. */
  time: string;
  /** Who wrote it. */
  author: string | undefined;
  /** Its category or tag. */
  category: string;
  /** Its text. */
  body: string;
  /** Its tags. */
  tags: string[];
}

/** An unread bottle as the brief shows it. */
export interface BriefBottle {
  /** Path relative to the vessel. */
  path: string;
  /** Sender, when known. */
  from: string | undefined;
  /** Its type, when known. */
  type: string | undefined;
  /** When it was sent, as written. */
  date: string | undefined;
  /** Its subject. */
  subject: string;
}

/** What a budgeted brief holds and left out. */
export interface BriefBudget {
  /** The budget asked for. */
  limit: number;
  /**
   * Tokens of the markdown brief as printed: the exact count when `exact`, otherwise
   * an upper bound, its UTF-8 length (an `o200k_base` token is never shorter than one
   * byte), used when that already fits and the tokenizer need not load.
   */
  tokens: number;
  /** Whether `tokens` was counted by the tokenizer. */
  exact: boolean;
  /** The tokenizer that counted. */
  tokenizer: string;
  /** What was left out, most important last, e.g. `"6 of 10 trail entries"`. */
  dropped: string[];
}

/** The succession brief. */
export interface Brief {
  /** Who the agent is. */
  agent: {
    name: string;
    role: string | undefined;
    layout: VesselLayout;
    root: string;
  };
  /** `SEED.md`'s text; `""` when missing or dropped for the budget. */
  identity: string;
  /** Tasks in flight (in progress, review, blocked) and open, most urgent first. */
  tasks: {
    active: BriefTask[];
    open: BriefTask[];
    counts: Record<string, number>;
  };
  /** The last trail entries, oldest first. */
  trail: string[];
  /** The last journal entries, oldest first. */
  journal: BriefJournalEntry[];
  /** Bottles addressed to the agent or to every vessel. */
  bottles: BriefBottle[];
  /** Known gaps: every problem datum found in the vessel. */
  gaps: string[];
  /** What to do next, most important first. */
  next: string[];
  /** Present when a budget was asked for. */
  budget?: BriefBudget;
}

/**
 * Builds the succession brief of the vessel in `dir`.
 *
 * @param dir The vessel's folder.
 * @param options Budget and how many entries to include.
 * @returns The brief.
 * @throws {DatumError} Exit 4 without a vessel; exit 2 when even the essentials exceed the budget.
 *
 * @example Brief a successor within 8000 tokens
 * ```ts ignore
 * import { brief, renderBrief } from "@datum/cli";
 * const b = await brief("./workshop", { budget: 8000 });
 * console.log(renderBrief(b));
 * ```
 */
export async function brief(
  dir: string,
  options: BriefOptions = {},
): Promise<Brief> {
  const vessel = await openVessel(dir);
  const [state, bottles] = await Promise.all([
    inspectVessel(vessel),
    unreadBottles(vessel),
  ]);
  const composed = composeBrief(state, bottles, options);
  return options.budget === undefined
    ? composed
    : await fitBrief(composed, options.budget);
}

/**
 * Builds the brief from a vessel already read, without a budget.
 *
 * @param state What `inspectVessel` read.
 * @param bottles The agent's unread bottles.
 * @param options How many trail and journal entries to include.
 * @returns The brief.
 *
 * @example
 * ```ts ignore
 * const b = composeBrief(await inspectVessel(vessel), [], {});
 * ```
 */
export function composeBrief(
  state: VesselState,
  bottles: readonly Pick<
    Bottle,
    "path" | "from" | "type" | "date" | "subject"
  >[],
  options: BriefOptions = {},
): Brief {
  const { vessel } = state;
  const counts: Record<string, number> = {};
  for (const status of STATUSES) counts[status] = 0;
  for (const task of state.tasks) {
    counts[task.status] = (counts[task.status] ?? 0) + 1;
  }
  const unfinished = state.tasks.filter((t) =>
    OPEN_STATUSES.includes(t.status)
  );
  const active = unfinished.filter((t) => t.status !== "OPEN").map(briefTask);
  const open = unfinished.filter((t) => t.status === "OPEN").map(briefTask);
  const keep = options.journal ?? 10;
  const journal = keep === 0
    ? []
    : state.journal.entries.slice(-keep).map(briefEntry);
  const gaps = state.problems.map(formatProblem);
  const inbox = bottles.map((b) => ({
    path: b.path,
    from: b.from,
    type: b.type,
    date: b.date,
    subject: b.subject,
  }));
  const next: string[] = [];
  for (const t of active) {
    next.push(
      t.status === "BLOCKED"
        ? `Unblock ${t.id}: ${t.title}`
        : `Continue ${t.id} (${
          t.status.toLowerCase().replace("_", " ")
        }): ${t.title}`,
    );
  }
  if (inbox.length) {
    next.push(`Read ${plural(inbox.length, "bottle")} in your inbox`);
  }
  const errors = state.problems.filter((p) => p.severity === "error").length;
  if (errors) next.push(`Fix ${plural(errors, "vessel problem")} (see gaps)`);
  const first = open[0];
  if (first) {
    next.push(`Pick up ${first.id} (${first.priority}): ${first.title}`);
  }
  if (!next.length) {
    next.push(
      "Plan the session: add a task, or record the plan with `datum journal PLAN …`",
    );
  }
  return {
    agent: {
      name: vessel.agent,
      role: vessel.role,
      layout: vessel.layout,
      root: vessel.root,
    },
    identity: (state.seed ?? "").trim(),
    tasks: { active, open, counts },
    trail: lastTrailEntries(state.trail, options.trail ?? 10),
    journal,
    bottles: inbox,
    gaps,
    next,
  };
}

/**
 * Renders a brief as markdown for a prompt.
 *
 * @param b The brief.
 * @returns Its markdown.
 *
 * @example
 * ```ts ignore
 * console.log(renderBrief(await brief("./workshop")));
 * ```
 */
export function renderBrief(b: Brief): string {
  const out: string[] = [
    `# Succession brief: ${b.agent.name}${
      b.agent.role ? ` (${b.agent.role})` : ""
    }`,
    "",
    `Vessel: ${b.agent.root} (${
      b.agent.layout === "datum" ? "datum" : "datum 0.3"
    } layout)`,
    "",
    "## Next actions",
    "",
    ...b.next.map((n, i) => `${i + 1}. ${n}`),
    "",
  ];
  const counts = Object.entries(b.tasks.counts).filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`).join(", ");
  out.push(
    "## Tasks",
    "",
    counts ? `Board: ${counts}.` : "Board: no tasks.",
    "",
  );
  for (const t of [...b.tasks.active, ...b.tasks.open]) out.push(taskLine(t));
  if (b.tasks.active.length + b.tasks.open.length) out.push("");
  if (b.gaps.length) {
    out.push(
      "## Known gaps",
      "",
      ...b.gaps.map((g) => `- ${g}`),
      "",
    );
  }
  if (b.bottles.length) {
    out.push("## Unread bottles", "", ...b.bottles.map(bottleLine), "");
  }
  if (b.identity) out.push("## Identity (SEED.md)", "", b.identity, "");
  if (b.journal.length) {
    out.push("## Last journal entries", "");
    for (const e of b.journal) out.push(journalBlock(e), "");
  }
  if (b.trail.length) {
    out.push(
      "## Last trail entries",
      "",
      ...b.trail.map((t) => `- ${t}`),
      "",
    );
  }
  if (b.budget) {
    const dropped = b.budget.dropped.length
      ? `; dropped to fit: ${b.budget.dropped.join("; ")}`
      : "; nothing dropped";
    out.push(
      `_${
        b.budget.exact ? "" : "At most "
      }${b.budget.tokens} of ${b.budget.limit} ${b.budget.tokenizer} tokens${
        b.budget.exact ? "" : " (one per byte at most)"
      }${dropped}._`,
      "",
    );
  }
  return out.join("\n");
}

/**
 * Drops the least important parts of `b` until its markdown fits `limit` tokens:
 * older trail entries, then older journal entries, bottles, the SEED text, open
 * tasks by falling priority, and known gaps. Next actions and tasks in flight stay.
 *
 * @param b The full brief.
 * @param limit The token budget.
 * @returns The brief that fits, with `budget` saying what was dropped.
 * @throws {DatumError} Exit 2 when even the essentials exceed `limit`.
 *
 * @example
 * ```ts ignore
 * const small = await fitBrief(fullBrief, 2000);
 * ```
 */
export async function fitBrief(b: Brief, limit: number): Promise<Brief> {
  const fitted: Brief = structuredClone(b);
  const encoder = new TextEncoder();
  // The footer states its own count, so measure until the number stops changing.
  const settle = (
    count: (text: string) => number,
    exact: boolean,
    dropped: string[],
  ) => {
    fitted.budget = { limit, tokens: 0, exact, tokenizer: TOKENIZER, dropped };
    for (let pass = 0; pass < 4; pass++) {
      const tokens = count(renderBrief(fitted));
      if (tokens === fitted.budget.tokens) break;
      fitted.budget.tokens = tokens;
    }
    return fitted.budget.tokens;
  };
  // A token covers at least one byte: a brief whose bytes fit needs no tokenizer,
  // which costs ~300 ms to load.
  if (settle((text) => encoder.encode(text).length, false, []) <= limit) {
    return fitted;
  }
  const count = await loadTokenCounter();
  const dropped = new Map<string, number>();
  const drop = (what: string): void => {
    dropped.set(what, (dropped.get(what) ?? 0) + 1);
  };
  // Each step removes one least-important item; `undefined` means nothing left to drop.
  const steps: (() => boolean)[] = [
    () => fitted.trail.shift() !== undefined && (drop("trail"), true),
    () => fitted.journal.shift() !== undefined && (drop("journal"), true),
    () => fitted.bottles.pop() !== undefined && (drop("bottles"), true),
    () =>
      fitted.identity !== "" &&
      ((fitted.identity = ""), drop("identity"), true),
    () => fitted.tasks.open.pop() !== undefined && (drop("open"), true),
    () => fitted.gaps.pop() !== undefined && (drop("gaps"), true),
  ];
  const describe = (): string[] => {
    const parts: string[] = [];
    const of = (key: string, total: number, noun: string): void => {
      const n = dropped.get(key);
      if (n) parts.push(`${n} of ${total} ${noun}`);
    };
    of("trail", b.trail.length, "trail entries (oldest first)");
    of("journal", b.journal.length, "journal entries (oldest first)");
    of(
      "bottles",
      b.bottles.length,
      "unread bottles (newest first; run `datum bottle check`)",
    );
    if (dropped.get("identity")) parts.push("the SEED.md text (read SEED.md)");
    of("open", b.tasks.open.length, "open tasks (lowest priority first)");
    of("gaps", b.gaps.length, "known gaps (run `datum status`)");
    return parts;
  };
  const measure = (): number => settle(count, true, describe());
  let tokens = measure();
  let step = 0;
  while (tokens > limit) {
    // Drop several items per measurement when far over, one at a time when close.
    const over = tokens - limit;
    let batch = Math.max(1, Math.floor(over / 200));
    while (batch > 0 && step < steps.length) {
      if (steps[step]!()) batch--;
      else step++;
    }
    if (step >= steps.length && batch > 0) {
      tokens = measure();
      if (tokens <= limit) break;
      throw new DatumError(
        `Cannot fit the brief in ${limit} tokens: its essentials alone take ${tokens}`,
        {
          code: "budget_too_small",
          exitCode: ExitCode.Usage,
          hint: `raise --budget to at least ${tokens}`,
        },
      );
    }
    tokens = measure();
  }
  return fitted;
}

function briefTask(t: Task): BriefTask {
  return {
    id: t.id,
    title: t.title,
    priority: t.priority,
    status: t.status,
    assignee: t.assignee,
  };
}

function briefEntry(e: JournalEntry): BriefJournalEntry {
  return {
    id: e.id,
    time: e.time,
    author: e.author,
    category: e.category,
    body: e.body,
    tags: e.tags,
  };
}

function taskLine(t: BriefTask): string {
  const who = t.assignee ? ` (${t.assignee})` : "";
  return `- [${t.id}] ${t.status} ${t.priority}: ${t.title}${who}`;
}

function bottleLine(b: BriefBottle): string {
  const meta = [b.from && `from ${b.from}`, b.type, b.date].filter(Boolean)
    .join(", ");
  return `- ${b.subject}${meta ? ` (${meta})` : ""}: ${b.path}`;
}

function journalBlock(e: BriefJournalEntry): string {
  const tags = e.tags.length ? ` [${e.tags.join(", ")}]` : "";
  const by = e.author ? `${e.author} — ` : "";
  return `### ${e.time} ${by}${e.category}${tags}\n\n${e.body}`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
