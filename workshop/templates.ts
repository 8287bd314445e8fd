/**
 * The default documents of a new vessel, embedded in the module graph so they work
 * from a source checkout, a bundle, JSR and a compiled binary without reading any file
 * outside the workshop.
 *
 * @module
 */

/** What a template is filled with. */
export interface TemplateValues {
  /** The agent's name. */
  name: string;
  /** Its role. */
  role: string;
  /** The creation time, ISO 8601. */
  date: string;
  /** The keeper's URL. */
  keeper?: string;
}

/** The keeper's address when none is given. */
export const DEFAULT_KEEPER = "http://127.0.0.1:7742";

const SEED = `# SEED — {{name}}

This file is who you are. Read it first, every session.

## Identity
- Name: {{name}}
- Role: {{role}}
- Vessel created: {{date}}

## Mandate
Describe in two or three sentences what this agent exists to do and for whom. Keep it
short enough that a successor can hold it in mind for a whole session.

## How to re-instantiate
1. Clone this repository (the vessel) and run \`datum boot\` in it.
2. Read the brief it prints: open tasks, the last trail and journal entries, unread
   bottles, known gaps and next actions.
3. Read METHODOLOGY.md before you change anything; record what you do with
   \`datum journal\` and commit early, so your own successor loses nothing.
`;

const METHODOLOGY = `# Methodology

How {{name}} works. Successors follow it unless they record, in the journal, why not.

1. Start every session with \`datum boot\`; end it with a journal entry and a commit.
2. Work from the task board: take the most urgent open task, mark it in progress.
3. Record decisions and discoveries in the journal as they happen, not at the end.
4. Everything a successor needs is committed; secrets never are (ask the keeper).
5. Leave the vessel valid: \`datum status\` exits 0 before you stop.
`;

const SKILLS = `# Skills

What {{name}} can do, with the evidence. Keep CAPABILITY.toml in step: it is the
machine-readable version other agents use to route work here.

- Keeping a vessel: boot, journal, trail and brief with datum
`;

const CONTEXT_README = `# Context

The knowledge base: one markdown or JSON file per subject. Name files for what they
hold (\`fleet-topology.md\`, \`api-limits.json\`) so a successor can find them by name.
`;

const SELF_INSTANTIATION = `# Self-instantiation

You are {{name}} ({{role}}). Your previous session has ended; you are its successor.

1. Run \`datum brief\` and read all of it before acting.
2. Re-read SEED.md and METHODOLOGY.md.
3. Continue the in-progress tasks first; say in the journal what you picked up.
`;

const RECIPES_README = `# Recipes

Step-by-step procedures this agent has found to work, one file each. A recipe names its
inputs, the commands it runs and how to tell that it worked.
`;

const CONFIG =
  `# datum vessel configuration. Committed: a successor on another machine reads it.
# Machine-local state (caches, locks) lives elsewhere in .datum/ and is git-ignored.

[agent]
name = {{name_toml}}
role = {{role_toml}}

# Other vessels this agent knows: name = "path or git URL".
[vessels]

[keeper]
url = {{keeper_toml}}

[bus]
`;

const GITIGNORE =
  `# Machine-local datum state; only the configuration is shared.
/.datum/*
!/.datum/config.toml
`;

const GITATTRIBUTES =
  `# Append-only documents: two clones that both append merge as base + ours + theirs,
# never a conflict (the driver is registered in .git/config by \`datum boot\`).
JOURNAL.md merge=datum-append
TRAIL.md merge=datum-append
# Receipts and delivery records: one line each, so merging keeps every line.
message-in-a-bottle/receipts/*.log merge=union
message-in-a-bottle/deliveries.log merge=union
`;
const TOOLS_MANIFEST = `{
  "tools": [],
  "interpreters": [],
  "compilers": [],
  "recipes": []
}
`;

/**
 * The files of a new vessel, relative path → content. Documents that other modules
 * format (CAPABILITY.toml, JOURNAL.md, TASKBOARD.md, TRAIL.md) are not here.
 *
 * @param values What the templates are filled with.
 * @returns The files.
 *
 * @example
 * ```ts
 * import { templateFiles } from "./templates.ts";
 * const files = templateFiles({ name: "scout", role: "explorer", date: "2026-11-30" });
 * console.assert(files["SEED.md"]!.includes("scout"));
 * ```
 */
export function templateFiles(values: TemplateValues): Record<string, string> {
  const fill = (text: string): string =>
    text.replaceAll("{{name_toml}}", JSON.stringify(values.name))
      .replaceAll("{{role_toml}}", JSON.stringify(values.role))
      .replaceAll(
        "{{keeper_toml}}",
        JSON.stringify(values.keeper ?? DEFAULT_KEEPER),
      )
      .replaceAll("{{name}}", values.name)
      .replaceAll("{{role}}", values.role)
      .replaceAll("{{date}}", values.date);
  return {
    "SEED.md": fill(SEED),
    "METHODOLOGY.md": fill(METHODOLOGY),
    "SKILLS.md": fill(SKILLS),
    "CONTEXT/README.md": fill(CONTEXT_README),
    "PROMPTS/self-instantiation.md": fill(SELF_INSTANTIATION),
    "recipes/README.md": fill(RECIPES_README),
    "tools/manifest.json": TOOLS_MANIFEST,
    ".datum/config.toml": fill(CONFIG),
    ".gitignore": GITIGNORE,
    ".gitattributes": GITATTRIBUTES,
    [`message-in-a-bottle/for-${values.name}/.gitkeep`]: "",
    "message-in-a-bottle/for-any-vessel/.gitkeep": "",
  };
}
