import assert from "node:assert/strict";
import { DatumError, ExitCode } from "../core/errors.ts";
import {
  formatI2I,
  I2I_V1_TYPES,
  I2I_V2_TYPES,
  I2ISyntaxError,
  type I2IType,
  isI2I,
  parseI2I,
} from "./i2i.ts";

Deno.test("I2I type lists hold v1 and only the v2 additions", () => {
  assert.deepEqual(I2I_V1_TYPES, [
    "SIGNAL",
    "PING",
    "CHECK-IN",
    "DELIVERABLE",
    "HANDOFF",
    "QUESTION",
    "ALERT",
  ]);
  assert.deepEqual(I2I_V2_TYPES, [
    "ACK",
    "LOG",
    "BROADCAST",
    "REQUEST",
    "RESPONSE",
    "COORDINATE",
    "NOMINATE",
    "ESCALATE",
    "REVOKE",
  ]);
  assert.ok(Object.isFrozen(I2I_V1_TYPES) && Object.isFrozen(I2I_V2_TYPES));
});

Deno.test("formatI2I() writes known-answer strings", async (t) => {
  await t.step("a first line alone", () => {
    assert.equal(
      formatI2I({
        type: "CHECK-IN",
        sender: "datum",
        action: "check-in",
        description: "boot complete, 3 tasks open",
      }),
      "[I2I:CHECK-IN] datum:check-in — boot complete, 3 tasks open",
    );
  });
  await t.step("a body after one blank line", () => {
    assert.equal(
      formatI2I({
        type: "DELIVERABLE",
        sender: "Oracle1",
        action: "audit.done",
        description: "fleet audit: 42 repos green",
        body: "See CONTEXT/audit.md.\nNo red repos.",
      }),
      "[I2I:DELIVERABLE] Oracle1:audit.done — fleet audit: 42 repos green\n\n" +
        "See CONTEXT/audit.md.\nNo red repos.",
    );
  });
  await t.step("an empty or blank body is left out", () => {
    const base = {
      type: "ACK",
      sender: "datum",
      action: "ack",
      description: "ok",
    } as const;
    assert.equal(formatI2I({ ...base, body: "" }), "[I2I:ACK] datum:ack — ok");
    assert.equal(
      formatI2I({ ...base, body: " \n " }),
      "[I2I:ACK] datum:ack — ok",
    );
  });
  await t.step("surrounding whitespace of the description is trimmed", () => {
    assert.equal(
      formatI2I({
        type: "PING",
        sender: "a",
        action: "ping",
        description: "  hi  ",
      }),
      "[I2I:PING] a:ping — hi",
    );
  });
});

Deno.test("formatI2I() rejects bad input with a usage error", async (t) => {
  const good = {
    type: "SIGNAL" as I2IType,
    sender: "datum",
    action: "signal",
    description: "ok",
  };
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      "a newline in the description",
      { description: "one\ntwo" },
      /more than one line/,
    ],
    [
      "a carriage return in the description",
      { description: "one\rtwo" },
      /more than one line/,
    ],
    ["an empty description", { description: "  " }, /description is empty/],
    ["a sender with a space", { sender: "data bot" }, /sender "data bot"/],
    ["an empty sender", { sender: "" }, /sender is empty/],
    ["a sender with a colon", { sender: "a:b" }, /sender "a:b"/],
    [
      "an upper-case action",
      { action: "Handoff" },
      /action "Handoff".*lower-case/,
    ],
    ["an empty action", { action: "" }, /action is empty/],
    ["an unknown type", { type: "BOTTLE" }, /unknown type "BOTTLE"/],
  ];
  for (const [name, change, pattern] of cases) {
    await t.step(name, () => {
      const input = { ...good, ...change } as typeof good;
      assert.throws(
        () => formatI2I(input),
        (error: unknown) => {
          assert.ok(error instanceof DatumError);
          assert.equal(error.exitCode, ExitCode.Usage);
          assert.equal(error.code, "i2i_invalid");
          assert.match(error.message, /^Cannot format I2I message: /);
          assert.match(error.message, pattern);
          assert.ok(error.hint);
          return true;
        },
      );
    });
  }
});

Deno.test("parseI2I() reads every v1 and v2 type with its version", async (t) => {
  for (
    const [types, version] of [[I2I_V1_TYPES, 1], [I2I_V2_TYPES, 2]] as const
  ) {
    for (const type of types) {
      await t.step(type, () => {
        const action = type.toLowerCase();
        assert.deepEqual(
          parseI2I(`[I2I:${type}] datum:${action} — about ${type}`),
          {
            type,
            sender: "datum",
            action,
            description: `about ${type}`,
            version,
          },
        );
      });
    }
  }
});

Deno.test("parseI2I() reads back what formatI2I() wrote", () => {
  const input = {
    type: "ESCALATE" as const,
    sender: "keeper-2",
    action: "escalate",
    description: "audit chain broken — needs operator: now",
    body: "Record 41 hash mismatch.\n\nSee .datum/audit.jsonl",
  };
  assert.deepEqual(parseI2I(formatI2I(input)), { ...input, version: 2 });
});

Deno.test("parseI2I() keeps a colon or an em dash inside the description", async (t) => {
  await t.step("a colon", () => {
    const message = parseI2I("[I2I:HANDOFF] oracle1:handoff — Handoff: ISA v3");
    assert.equal(message.sender, "oracle1");
    assert.equal(message.action, "handoff");
    assert.equal(message.description, "Handoff: ISA v3");
  });
  await t.step("an em dash", () => {
    const message = parseI2I(
      "[I2I:LOG] datum:log — trail — 12 entries — synced",
    );
    assert.equal(message.action, "log");
    assert.equal(message.description, "trail — 12 entries — synced");
  });
  await t.step("a dash inside the action", () => {
    const message = parseI2I("[I2I:CHECK-IN] datum:re-sync — after: restart");
    assert.equal(message.action, "re-sync");
    assert.equal(message.description, "after: restart");
  });
});

Deno.test("parseI2I() is lenient on separators and case", async (t) => {
  const expected = {
    type: "SIGNAL",
    sender: "Datum",
    action: "boot",
    description: "up",
    version: 1,
  };
  for (
    const text of [
      "[I2I:SIGNAL] Datum:boot - up",
      "[I2I:SIGNAL] Datum:boot -- up",
      "[I2I:SIGNAL] Datum:boot --up",
      "[I2I:SIGNAL] Datum:boot – up",
      "[I2I:SIGNAL] Datum:boot—up",
      "[i2i:signal] Datum:BOOT — up",
      "  [ I2I : Signal ]  Datum : boot  —  up  ",
    ]
  ) {
    await t.step(text, () => assert.deepEqual(parseI2I(text), expected));
  }
  await t.step("CHECK_IN and check in are CHECK-IN", () => {
    assert.equal(parseI2I("[I2I:check_in] a:b — c").type, "CHECK-IN");
    assert.equal(parseI2I("[I2I:check in] a:b — c").type, "CHECK-IN");
  });
});

Deno.test("parseI2I() reads the body after the first line", async (t) => {
  await t.step("after a blank line", () => {
    const message = parseI2I(
      "[I2I:REQUEST] a:ask — review\n\nPlease look at:\n- x\n",
    );
    assert.equal(message.body, "Please look at:\n- x");
  });
  await t.step("with CRLF line ends", () => {
    const message = parseI2I(
      "[I2I:REQUEST] a:ask — review\r\n\r\nline one\r\n",
    );
    assert.equal(message.description, "review");
    assert.equal(message.body, "line one");
  });
  await t.step("no body key when nothing follows", () => {
    assert.equal("body" in parseI2I("[I2I:PING] a:ping — x\n\n  \n"), false);
  });
});

Deno.test("parseI2I() names what is wrong with malformed input", async (t) => {
  const cases: [string, string, RegExp][] = [
    ["an empty text", "", /it is empty/],
    [
      "a missing opening bracket",
      "I2I:SIGNAL] datum:boot — up",
      /does not start with the tag/,
    ],
    [
      "a missing closing bracket",
      "[I2I:SIGNAL datum:boot — up",
      /no closing "\]"/,
    ],
    ["another tag", "[WIP] datum:boot — up", /does not start with "\[I2I:"/],
    ["no type", "[I2I:] datum:boot — up", /names no type/],
    [
      "an unknown type",
      "[I2I:BOTTLE] datum:boot — up",
      /unknown type "BOTTLE": expected one of SIGNAL/,
    ],
    ["nothing after the tag", "[I2I:PING]", /nothing follows the tag/],
    ["no sender", "[I2I:PING] :ping — hello", /sender is missing/],
    [
      "no sender:action",
      "[I2I:PING] datum — hello",
      /expected "sender:action".*"datum"/,
    ],
    ["a bad sender", "[I2I:PING] da/tum:ping — hello", /sender "da\/tum"/],
    ["no action", "[I2I:PING] datum: — hello", /action is missing/],
    ["a bad action", "[I2I:PING] datum:ping:x — hello", /action "ping:x"/],
    [
      "no separator",
      "[I2I:PING] datum:ping hello",
      /expected " — description"/,
    ],
    [
      "an empty description",
      "[I2I:PING] datum:ping — ",
      /description after "—" is empty/,
    ],
    [
      "an empty description after -",
      "[I2I:PING] datum:ping -",
      /description after "—" is empty/,
    ],
  ];
  for (const [name, text, pattern] of cases) {
    await t.step(name, () => {
      assert.throws(
        () => parseI2I(text),
        (error: unknown) => {
          assert.ok(error instanceof I2ISyntaxError);
          assert.ok(error instanceof SyntaxError);
          assert.equal(error.name, "I2ISyntaxError");
          assert.equal(error.text, text);
          assert.match(error.message, /^Cannot parse I2I message "/);
          assert.match(error.message, pattern);
          return true;
        },
      );
    });
  }
});

Deno.test("parseI2I() quotes a long first line shortened", () => {
  const text = `[I2I:NOPE] ${"x".repeat(500)}`;
  assert.throws(() => parseI2I(text), (error: unknown) => {
    assert.ok(error instanceof I2ISyntaxError);
    assert.ok(error.message.length < 400);
    assert.equal(error.text, text);
    return true;
  });
});

Deno.test("isI2I() tells I2I subjects from others", () => {
  assert.equal(isI2I("[I2I:PING] datum:ping — anyone?"), true);
  assert.equal(isI2I("[I2I:PING] datum:ping — anyone?\n\nbody"), true);
  assert.equal(isI2I("[I2I:BOTTLE] Cartographer → Navigator"), false);
  assert.equal(isI2I("Merge branch 'main'"), false);
  assert.equal(isI2I(""), false);
  assert.equal(isI2I("\n[I2I:PING] datum:ping — x"), false);
});

Deno.test("parseI2I() rejects a long line without a separator", () => {
  assert.throws(
    () => parseI2I(`[I2I:PING] datum:${"a".repeat(1_000_000)}`),
    I2ISyntaxError,
  );
  assert.throws(
    () => parseI2I(`[I2I:PING] datum:ping ${" ".repeat(200_000)}x`),
    I2ISyntaxError,
  );
});
