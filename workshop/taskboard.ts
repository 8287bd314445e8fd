/**
 * Reading the task board: `TASKBOARD.md`, a markdown view with the source of truth as
 * JSON between `<!-- TASKS_JSON_START -->` and `<!-- TASKS_JSON_END -->`, as datum
 * 0.3's Oracle wrote it. A board without the JSON block (0.3's empty board) has no
 * tasks.
 *
 * @module
 */

import { DocumentError } from "../core/errors.ts";

/** Task priorities, most urgent first. */
export const PRIORITIES = [
  "CRITICAL",
  "HIGH",
  "MEDIUM",
  "LOW",
  "BACKLOG",
] as const;

/** Task statuses. */
export const STATUSES = [
  "OPEN",
  "IN_PROGRESS",
  "BLOCKED",
  "REVIEW",
  "DONE",
  "CANCELLED",
] as const;

/** A task as datum 0.3 stored it; unknown fields are kept in `extra`. */
export interface Task {
  /** `TASK-NNN` or a datum id. */
  id: string;
  /** One line. */
  title: string;
  /** Free text. */
  description: string;
  /** One of {@linkcode PRIORITIES}, or what the board said. */
  priority: string;
  /** One of {@linkcode STATUSES}, or what the board said. */
  status: string;
  /** Who works on it. */
  assignee: string | null;
  /** Capabilities an agent needs for it. */
  requiredCapabilities: string[];
  /** Free tags. */
  tags: string[];
  /** When it was last changed, as written. */
  updatedAt: string | undefined;
}

/** Tasks that are not finished. */
export const OPEN_STATUSES: readonly string[] = [
  "OPEN",
  "IN_PROGRESS",
  "BLOCKED",
  "REVIEW",
];

const START = "<!-- TASKS_JSON_START -->";
const END = "<!-- TASKS_JSON_END -->";

/**
 * Reads the tasks of a task board.
 *
 * @param text The board's markdown.
 * @param path The board's path, for errors.
 * @returns The tasks, most urgent first, then by id.
 * @throws {DocumentError} When the JSON block does not parse or is not an object of tasks.
 *
 * @example Read datum 0.3's board
 * ```ts
 * import { parseTaskboard } from "./taskboard.ts";
 * const tasks = parseTaskboard("# Task Board\n\n## In Progress\n", "TASKBOARD.md");
 * console.assert(tasks.length === 0);
 * ```
 */
export function parseTaskboard(text: string, path: string): Task[] {
  const start = text.indexOf(START);
  if (start === -1) return [];
  const end = text.indexOf(END, start);
  const line = text.slice(0, start).split("\n").length;
  if (end === -1) {
    throw new DocumentError(path, `the JSON block opened here has no ${END}`, {
      line,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text.slice(start + START.length, end));
  } catch (error) {
    throw new DocumentError(
      path,
      `the tasks JSON does not parse (${oneLine(error)})`,
      {
        line,
        cause: error,
      },
    );
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new DocumentError(
      path,
      "the tasks JSON must be an object of tasks by id",
      { line },
    );
  }
  const tasks: Task[] = [];
  for (const [id, value] of Object.entries(data)) {
    if (typeof value !== "object" || value === null) {
      throw new DocumentError(path, `task "${id}" must be an object`, {
        line,
        key: id,
      });
    }
    const raw = value as Record<string, unknown>;
    const title = raw.title;
    if (typeof title !== "string") {
      throw new DocumentError(path, `task "${id}" needs a string "title"`, {
        line,
        key: `${id}.title`,
      });
    }
    tasks.push({
      id: typeof raw.id === "string" ? raw.id : id,
      title,
      description: typeof raw.description === "string" ? raw.description : "",
      priority: typeof raw.priority === "string"
        ? raw.priority.toUpperCase()
        : "MEDIUM",
      status: typeof raw.status === "string"
        ? raw.status.toUpperCase()
        : "OPEN",
      assignee: typeof raw.assignee === "string" ? raw.assignee : null,
      requiredCapabilities: strings(raw.required_capabilities),
      tags: strings(raw.tags),
      updatedAt: typeof raw.updated_at === "string"
        ? raw.updated_at
        : undefined,
    });
  }
  return tasks.sort((a, b) =>
    rank(a.priority) - rank(b.priority) || a.id.localeCompare(b.id)
  );
}

/**
 * The markdown of a new, empty task board with its (empty) JSON block.
 *
 * @returns The board.
 *
 * @example
 * ```ts
 * import { emptyTaskboard, parseTaskboard } from "./taskboard.ts";
 * console.assert(parseTaskboard(emptyTaskboard(), "TASKBOARD.md").length === 0);
 * ```
 */
export function emptyTaskboard(): string {
  return `# Task Board

Open work for this agent and its successors. The JSON block below is the source of
truth; \`datum task\` keeps it and this view in step.

Total tasks: 0

${START}
{}
${END}
`;
}

function rank(priority: string): number {
  const index = (PRIORITIES as readonly string[]).indexOf(priority);
  return index === -1 ? PRIORITIES.length : index;
}

function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === "string")
    : [];
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split(
    "\n",
  )[0] ?? "";
}
