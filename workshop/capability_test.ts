import assert from "node:assert/strict";
import { DocumentError, ExitCode } from "../core/errors.ts";
import { formatCapability, parseCapability } from "./capability.ts";
import { lineOfKey } from "./_toml.ts";

function fixture(name: string): Promise<string> {
  return Deno.readTextFile(
    new URL(`./testdata/capability/${name}/CAPABILITY.toml`, import.meta.url),
  );
}

/** Asserts that parsing `text` fails with exactly this message, line and key. */
function assertInvalid(
  text: string,
  expected: {
    message: string;
    line: number | undefined;
    key: string | undefined;
  },
): void {
  assert.throws(() => parseCapability(text), (error: unknown) => {
    assert.ok(error instanceof DocumentError);
    assert.equal(error.message, expected.message);
    assert.equal(error.line, expected.line);
    assert.equal(error.key, expected.key);
    assert.equal(error.path, "CAPABILITY.toml");
    assert.equal(error.exitCode, ExitCode.Invalid);
    return true;
  });
}

Deno.test("parseCapability() reads datum 0.3's CAPABILITY.toml exactly", async () => {
  const doc = parseCapability(await fixture("datum-0.3"));
  assert.deepEqual(doc.agent, {
    name: "cartographer",
    role: "navigator",
    description:
      "Maps repository dependencies and keeps the fleet's routing tables current",
    version: "0.3.0",
  });
  assert.deepEqual(doc.capabilities, [
    {
      name: "audit",
      confidence: 0.8,
      description: "Structural audits of a workshop",
    },
    {
      name: "dependency-mapping",
      confidence: 0.92,
      description: "Builds fork and dependency graphs across repositories",
    },
    {
      name: "fleet-scan",
      confidence: 0.7,
      description: "Health classification of an organisation's repositories",
    },
  ]);
  assert.deepEqual(doc.domains, {
    "fleet-hygiene": { level: "advanced", repos: ["example-org/*"] },
    "git-operations": { level: "expert" },
  });
  assert.deepEqual(doc.communication, {
    incoming: ["message-in-a-bottle/for-cartographer/"],
    outgoing: ["message-in-a-bottle/for-{agent}/"],
    protocol: "MiB",
  });
  assert.equal(doc.vesselUrl, undefined);
  assert.deepEqual(doc.raw.metadata, {
    last_active: "2026-04-18",
    session_count: 3,
    total_commits: 41,
  });
  assert.deepEqual(Object.keys(doc.raw), [
    "agent",
    "capabilities",
    "domains",
    "communication",
    "metadata",
  ]);
});

Deno.test("parseCapability() reads a fleet variant with capability tables and extra keys", async () => {
  const doc = parseCapability(await fixture("fleet"));
  assert.deepEqual(doc.agent, {
    name: "Lighthouse Keeper",
    role: "watch",
    description:
      "Watches the harbour's repositories\nand raises a bottle when a build turns red.",
    version: undefined,
  });
  assert.deepEqual(doc.capabilities, [
    {
      name: "build-watch",
      confidence: 0.95,
      description: "Notices failing builds within one interval",
    },
    {
      name: "release.notes",
      confidence: 1,
      description: "Drafts release notes from merged pull requests",
    },
    { name: "triage", confidence: undefined, description: undefined },
  ]);
  assert.deepEqual(doc.domains, {
    ci: { level: "advanced", systems: ["actions", "drone"] },
  });
  assert.deepEqual(doc.communication, {
    incoming: ["for-lighthouse-keeper/", "for-fleet/"],
    outgoing: ["for-{agent}/", "for-fleet/"],
    protocol: undefined,
  });
  assert.equal(
    doc.vesselUrl,
    "https://git.example/harbour/lighthouse-keeper.git",
  );
});

Deno.test("parseCapability() keeps every unknown key of a fleet variant in raw", async () => {
  const { raw } = parseCapability(await fixture("fleet"));
  const agent = raw.agent as Record<string, unknown>;
  assert.equal(agent.type, "monitor");
  assert.equal(agent.avatar, "🗼");
  assert.equal(agent.status, "active");
  assert.equal(agent.model, "some-model-7b");
  assert.ok(agent.last_active instanceof Date);
  assert.equal(agent.last_active.toISOString(), "2026-05-04T18:22:00.000Z");
  assert.deepEqual(agent.runtime, {
    host: "pier-3",
    interval_minutes: 15,
    flags: ["--quiet", "--no-input"],
  });
  const capabilities = raw.capabilities as Record<
    string,
    Record<string, unknown>
  >;
  // TOML dates keep their TOML form in JSON, as local dates without a time
  assert.equal(
    JSON.stringify(capabilities["build-watch"]?.last_used),
    '"2026-05-04"',
  );
  assert.deepEqual(raw.metadata, {
    session_count: 12,
    notes: { first_boot: "2026-01-09", by: "harbourmaster" },
  });
  assert.deepEqual(raw.watchlist, [
    { repo: "harbour/dock", branch: "main" },
    { repo: "harbour/crane" },
  ]);
});

Deno.test("parseCapability() prefers [agent] vessel over home_repo for the vessel URL", () => {
  const doc = parseCapability(
    '[agent]\nname = "a"\nhome_repo = "org/a"\nvessel = "https://git.example/org/a.git"\n',
  );
  assert.equal(doc.vesselUrl, "https://git.example/org/a.git");
});

Deno.test("formatCapability() writes a declaration that parses back to the same identity", () => {
  const text = formatCapability({
    name: "cartographer",
    role: "navigator",
    description: 'Maps "dependency" graphs\\trees\nacross repositories',
    version: "0.1.0",
    vesselUrl: "https://git.example/fleet/cartographer.git",
  });
  const doc = parseCapability(text);
  assert.deepEqual(doc.agent, {
    name: "cartographer",
    role: "navigator",
    description: 'Maps "dependency" graphs\\trees\nacross repositories',
    version: "0.1.0",
  });
  assert.equal(doc.vesselUrl, "https://git.example/fleet/cartographer.git");
  assert.deepEqual(doc.capabilities, []);
  assert.deepEqual(doc.domains, {});
  assert.deepEqual(doc.communication, {
    incoming: ["message-in-a-bottle/for-cartographer/"],
    outgoing: ["message-in-a-bottle/for-{agent}/"],
    protocol: "MiB",
  });
  assert.deepEqual(doc.raw.metadata, {});
  assert.match(text, /^\[agent\]$/m);
  assert.match(
    text,
    /^vessel = "https:\/\/git\.example\/fleet\/cartographer\.git"$/m,
  );
  assert.match(text, /^# /m);
});

Deno.test("formatCapability() leaves the vessel URL out when none is given", () => {
  const text = formatCapability({
    name: "a",
    role: "",
    description: "",
    version: "0.1.0",
  });
  const doc = parseCapability(text);
  assert.equal(doc.vesselUrl, undefined);
  assert.equal(doc.agent.role, "");
  assert.doesNotMatch(text, /^vessel/m);
});

Deno.test("formatCapability() refuses an empty name", () => {
  assert.throws(
    () =>
      formatCapability({
        name: " ",
        role: "r",
        description: "d",
        version: "1",
      }),
    TypeError,
  );
});

Deno.test("parseCapability() reports a syntax error with the parser's line on one line", () => {
  assertInvalid('[agent]\nname = "x"\n\nname "y"\n', {
    message: "Invalid CAPABILITY.toml:4: illegal character in key at column 6",
    line: 4,
    key: undefined,
  });
});

Deno.test("parseCapability() reports a missing agent.name on the [agent] line", () => {
  assertInvalid('# a vessel\n\n[agent]\nrole = "navigator"\n', {
    message:
      'Invalid CAPABILITY.toml:3: key "agent.name" is required and must be a non-empty string',
    line: 3,
    key: "agent.name",
  });
});

Deno.test("parseCapability() reports a file without [agent] with no line", () => {
  assertInvalid("[metadata]\nx = 1\n", {
    message:
      'Invalid CAPABILITY.toml: key "agent.name" is required and must be a non-empty string',
    line: undefined,
    key: "agent.name",
  });
});

Deno.test("parseCapability() reports an agent.name that is a number", () => {
  assertInvalid('[agent]\nrole = "r"\nname = 42\n', {
    message:
      'Invalid CAPABILITY.toml:3: key "agent.name" must be a non-empty string, got 42',
    line: 3,
    key: "agent.name",
  });
});

Deno.test("parseCapability() reports an agent.role that is not a string", () => {
  assertInvalid('[agent]\nname = "a"\nrole = ["x"]\n', {
    message:
      'Invalid CAPABILITY.toml:3: key "agent.role" must be a string, got an array',
    line: 3,
    key: "agent.role",
  });
});

Deno.test('parseCapability() reports a confidence of "high" in an inline table', () => {
  const text = [
    "[agent]",
    'name = "a"',
    "",
    "[capabilities]",
    "scan = { confidence = 0.5 }",
    "",
    "# audits",
    "",
    'audit = { description = "d", confidence = "high" }',
  ].join("\n");
  assertInvalid(text, {
    message:
      'Invalid CAPABILITY.toml:9: key "capabilities.audit.confidence" must be a number from 0 to 1, got "high"',
    line: 9,
    key: "capabilities.audit.confidence",
  });
});

Deno.test("parseCapability() reports a confidence of 1.5 in a capability table", () => {
  const text =
    '[agent]\nname = "a"\n\n[capabilities.audit]\ndescription = "d"\nconfidence = 1.5\n';
  assertInvalid(text, {
    message:
      'Invalid CAPABILITY.toml:6: key "capabilities.audit.confidence" must be a number from 0 to 1, got 1.5',
    line: 6,
    key: "capabilities.audit.confidence",
  });
});

Deno.test("parseCapability() quotes a capability name that needs quoting in the key", () => {
  const text =
    '[agent]\nname = "a"\n[capabilities]\n"v1.2" = { confidence = -0.1 }\n';
  assertInvalid(text, {
    message:
      'Invalid CAPABILITY.toml:4: key "capabilities."v1.2".confidence" must be a number from 0 to 1, got -0.1',
    line: 4,
    key: 'capabilities."v1.2".confidence',
  });
});

Deno.test("parseCapability() reports a capability that is a string instead of a table", () => {
  assertInvalid(
    '[agent]\nname = "a"\n[capabilities]\naudit = { confidence = 0.8 }\nx = "fast"\n',
    {
      message:
        'Invalid CAPABILITY.toml:5: key "capabilities.x" must be a table, got "fast"',
      line: 5,
      key: "capabilities.x",
    },
  );
});

Deno.test("parseCapability() reports communication.incoming that is not an array", () => {
  const text =
    '[agent]\nname = "a"\n\n[communication]\nprotocol = "MiB"\nincoming = "for-a/"\n';
  assertInvalid(text, {
    message:
      'Invalid CAPABILITY.toml:6: key "communication.incoming" must be an array of strings, got "for-a/"',
    line: 6,
    key: "communication.incoming",
  });
});

Deno.test("parseCapability() reports a non-string inside communication.outgoing", () => {
  const text =
    '[agent]\nname = "a"\n[communication]\noutgoing = [\n  "for-b/",\n  7,\n]\n';
  assertInvalid(text, {
    message:
      'Invalid CAPABILITY.toml:4: key "communication.outgoing" must be an array of strings, got 7 at index 1',
    line: 4,
    key: "communication.outgoing",
  });
});

Deno.test("parseCapability() reports an empty file without a line", async (t) => {
  const cases: [string, string][] = [["empty", ""], [
    "only comments",
    "# nothing yet\n\n",
  ]];
  for (const [name, text] of cases) {
    await t.step(name, () => {
      assertInvalid(text, {
        message:
          'Invalid CAPABILITY.toml: the file is empty: expected an [agent] table with a "name" key',
        line: undefined,
        key: "agent.name",
      });
    });
  }
});

Deno.test("parseCapability() names the path it is given", () => {
  assert.throws(
    () => parseCapability("[agent]\nname = 1\n", "vessels/a/CAPABILITY.toml"),
    {
      message:
        'Invalid vessels/a/CAPABILITY.toml:2: key "agent.name" must be a non-empty string, got 1',
    },
  );
});

Deno.test("lineOfKey() finds keys in headers, dotted keys and inline tables", async (t) => {
  const text = [
    "# [agent] in a comment",
    'title = """',
    "[agent]",
    'name = "not a key"',
    '"""',
    "agent.runtime.host = 'h' # agent first mentioned here",
    "[agent]",
    'name = { first = "a", "last.name" = "b" }',
    "tags = [ { name = 1 },",
    "  { name = 2 } ]",
    "[capabilities.audit]",
    "confidence = 0.8",
    "[[watch]]",
    "repo = 'x'",
  ].join("\n");
  const cases: [string, number | undefined][] = [
    ["title", 2],
    ["agent", 7],
    ["agent.runtime.host", 6],
    ["agent.name", 8],
    ['agent.name."last.name"', 8],
    ["agent.tags", 9],
    ["agent.tags.name", undefined],
    ["capabilities", 11],
    ["capabilities.audit.confidence", 12],
    ["watch.repo", 14],
    ["missing", undefined],
  ];
  for (const [key, line] of cases) {
    await t.step(key, () => assert.equal(lineOfKey(text, key), line));
  }
});
