/**
 * Black-box tests of `datum keeper`: the CLI as a subprocess, and security tests
 * against a real keeper listening on 127.0.0.1 on a port the system picks.
 */

import assert from "node:assert/strict";
import { KeeperStore } from "../agents/keeper/store.ts";
import { SecretProxy } from "../agents/keeper/proxy.ts";
import { datum, datumArgs, json, ROOT_DIR, tempDir } from "./_helpers.ts";

const PAT = "ghp_exampleexampleexample0000000000";
const OPENAI = "sk-example-0123456789";
const LEGACY = `${ROOT_DIR}/agents/keeper/testdata/secrets.enc.json`;
const PASSPHRASE = "test keeper passphrase";

interface Fixture extends AsyncDisposable {
  root: string;
  dir: string;
  pw: string;
  admin: string;
  tokens: Record<string, string>;
}

/**
 * A keeper folder made through the library with few PBKDF2 iterations (the CLI
 * always uses 600 000): agents scout, other and gone (revoked); github_pat for
 * scout and other to api.github.com; openai_api_key for scout to api.openai.com.
 */
async function fixture(): Promise<Fixture> {
  const tmp = await tempDir();
  const dir = `${tmp.path}/keeper`;
  const pw = `${tmp.path}/pw`;
  await Deno.writeTextFile(pw, `${PASSPHRASE}\n`);
  const { store, adminToken } = await KeeperStore.init(dir, PASSPHRASE, {
    iterations: 1000,
  });
  const tokens: Record<string, string> = {};
  for (const name of ["scout", "other", "gone"]) {
    tokens[name] = await store.enroll(name);
  }
  await store.revoke("gone");
  await store.setSecret("github_pat", PAT, {
    allowAgents: ["scout", "other", "gone"],
    allowDestinations: ["api.github.com"],
  });
  await store.setSecret("openai_api_key", OPENAI, {
    allowAgents: ["scout"],
    allowDestinations: ["api.openai.com"],
  });
  return {
    root: tmp.path,
    dir,
    pw,
    admin: adminToken,
    tokens,
    [Symbol.asyncDispose]: () => tmp[Symbol.asyncDispose](),
  };
}

interface Keeper extends AsyncDisposable {
  url: string;
  /** SIGTERM, then what it printed. */
  stop(): Promise<{ code: number; stdout: string; stderr: string }>;
}

async function drain(stream: ReadableStream<Uint8Array>): Promise<string> {
  let text = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    text += chunk;
  }
  return text;
}

/** Starts `datum keeper serve` on 127.0.0.1:0 and waits for its address. */
async function startKeeper(
  f: Fixture,
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<Keeper> {
  const child = new Deno.Command(Deno.execPath(), {
    args: datumArgs([
      "keeper",
      "serve",
      "--dir",
      f.dir,
      "--passphrase-file",
      f.pw,
      "--listen",
      "127.0.0.1:0",
      ...extra,
    ]),
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = drain(child.stderr);
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let stdout = "";
  while (!stdout.includes("\n")) {
    const { done, value } = await lines.read();
    if (done) break;
    stdout += value;
  }
  const rest = (async () => {
    for (;;) {
      const { done, value } = await lines.read();
      if (done) return;
      stdout += value;
    }
  })();
  const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
  let stopped:
    | Promise<{ code: number; stdout: string; stderr: string }>
    | undefined;
  const stop = () =>
    stopped ??= (async () => {
      try {
        child.kill("SIGTERM");
      } catch {
        // Exited already.
      }
      const status = await child.status;
      await rest;
      return { code: status.code, stdout, stderr: await stderr };
    })();
  if (!match) {
    const out = await stop();
    throw new Error(`keeper did not start: ${out.stdout}${out.stderr}`);
  }
  return {
    url: match[1]!,
    stop,
    [Symbol.asyncDispose]: async () => {
      await stop();
    },
  };
}

async function post(
  url: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const response = await fetch(`${url}/api/secrets/get`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    // Asserted by the caller.
  }
  return { status: response.status, body: parsed, text };
}

function request(
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    agent: "scout",
    key: "github_pat",
    purpose: "list the fleet's repositories",
    destination: "api.github.com",
    ttl: 300,
    ...overrides,
  };
}

/** A seeded PRNG (mulberry32), so a failing random body can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBody(random: () => number): string {
  const pick = <T>(items: T[]): T =>
    items[Math.floor(random() * items.length)]!;
  const junk = (): unknown =>
    pick<() => unknown>([
      () => null,
      () => random() * 1e6 - 5e5,
      () => random() < 0.5,
      () => "x".repeat(Math.floor(random() * 2000)),
      () =>
        String.fromCharCode(
          ...Array.from({ length: 8 }, () => Math.floor(random() * 0xffff)),
        ),
      () => [junk()],
      () => ({ nested: junk() }),
      () => "constructor",
      () => "__proto__",
      () => -1,
      () => 1e300,
    ])();
  const kind = random();
  if (kind < 0.2) {
    return Array.from(
      { length: Math.floor(random() * 200) },
      () => String.fromCharCode(Math.floor(random() * 128)),
    ).join("");
  }
  if (kind < 0.3) return JSON.stringify(junk());
  // No prototype, so "__proto__" is a field like any other.
  const body: Record<string, unknown> = Object.create(null);
  for (
    const field of [
      "agent",
      "key",
      "purpose",
      "destination",
      "ttl",
      "value",
      "__proto__",
    ]
  ) {
    if (random() < 0.3) continue;
    body[field] = random() < 0.5 ? junk() : pick<unknown>(
      {
        agent: ["scout", "other", "gone", "nobody", ""],
        key: ["github_pat", "openai_api_key", "constructor", "toString", ""],
        purpose: ["", " ", "fleet scan"],
        // Never an allowed destination: no random body may be approved.
        destination: [
          "evil.example",
          "api.github.com.evil.example",
          "",
          "API.GITHUB.COM:443",
        ],
        ttl: [0, -5, 300, 3601, 1.5, "300"],
        value: [PAT],
        ["__proto__"]: [{ admin: true }],
      }[field]!,
    );
  }
  return JSON.stringify(body);
}

Deno.test("datum keeper: init, enroll, set, get, list, rm and audit verify from the command line", async () => {
  await using tmp = await tempDir();
  const dir = `${tmp.path}/keeper`;
  const pw = `${tmp.path}/pw`;
  await Deno.writeTextFile(pw, "a long passphrase\n");
  const base = ["--dir", dir, "--passphrase-file", pw];
  const init = await datum(["keeper", "init", ...base, "--json"]);
  assert.equal(init.code, 0, init.stderr);
  const { token } = json<{ token: string }>(init);
  assert.match(token, /^dk_[A-Za-z0-9_-]{43}$/);
  const store = JSON.parse(await Deno.readTextFile(`${dir}/store.json`));
  assert.equal(store.kdf.iterations, 600_000);
  assert.equal((await Deno.stat(`${dir}/store.json`)).mode! & 0o777, 0o600);
  const again = await datum(["keeper", "init", ...base]);
  assert.equal(again.code, 5);

  const enroll = await datum(["keeper", "enroll", "scout", ...base, "--json"]);
  assert.equal(enroll.code, 0, enroll.stderr);
  assert.deepEqual(Object.keys(json(enroll)).sort(), ["agent", "token"]);
  assert.equal(json(enroll).agent, "scout");
  const plain = await datum(["keeper", "enroll", "other", ...base]);
  assert.match(plain.stdout, /^dk_[A-Za-z0-9_-]{43}\n$/);

  const set = new Deno.Command(Deno.execPath(), {
    args: datumArgs([
      "keeper",
      "set",
      "github_pat",
      ...base,
      "--description",
      "fleet",
      "--allow-agent",
      "scout",
      "--allow-destination",
      "api.github.com",
    ]),
    env: { NO_COLOR: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = set.stdin.getWriter();
  await writer.write(new TextEncoder().encode(`${PAT}\n`));
  await writer.close();
  const setOut = await set.output();
  assert.equal(setOut.code, 0, new TextDecoder().decode(setOut.stderr));

  const get = await datum(["keeper", "get", "github_pat", ...base]);
  assert.equal(get.stdout, `${PAT}\n`);
  const list = await datum(["keeper", "list", "--dir", dir, "--json"]);
  assert.deepEqual(
    json<{ secrets: { key: string; allowAgents: string[] }[] }>(list).secrets
      .map((s) => [s.key, s.allowAgents]),
    [["github_pat", ["scout"]]],
  );
  assert.doesNotMatch(list.stdout, new RegExp(PAT));
  const agents = await datum(["keeper", "agents", "--dir", dir, "--json"]);
  assert.deepEqual(
    json<{ agents: { name: string }[] }>(agents).agents.map((a) => a.name),
    ["other", "scout"],
  );
  assert.equal((await datum(["keeper", "revoke", "other", ...base])).code, 0);
  assert.equal((await datum(["keeper", "revoke", "nobody", ...base])).code, 4);
  assert.equal((await datum(["keeper", "rm", "github_pat", ...base])).code, 0);
  assert.equal((await datum(["keeper", "rm", "github_pat", ...base])).code, 4);

  const audit = await datum(["keeper", "audit", "--dir", dir, "--json"]);
  const events = json<{ records: { event: string }[] }>(audit).records.map((
    r,
  ) => r.event);
  assert.deepEqual(events, [
    "store.init",
    "agent.enroll",
    "agent.enroll",
    "secret.set",
    "secret.read",
    "agent.revoke",
    "secret.remove",
  ]);
  const tail = await datum(["keeper", "audit", "--tail", "2", "--dir", dir]);
  assert.equal(tail.stdout.trim().split("\n").length, 2);
  const verify = await datum(["keeper", "audit", "verify", "--dir", dir]);
  assert.equal(verify.code, 0, verify.stderr);
  assert.match(verify.stdout, /audit log intact: 7 records/);
  const everything = await Deno.readTextFile(`${dir}/audit.jsonl`) +
    await Deno.readTextFile(`${dir}/store.json`);
  assert.doesNotMatch(everything, new RegExp(PAT));
  assert.doesNotMatch(everything, new RegExp(token));
});

Deno.test("datum keeper takes the passphrase from a file or DATUM_KEEPER_PASSPHRASE, never a flag", async (t) => {
  await using f = await fixture();
  await t.step(
    "no terminal and no source is a usage error naming the fix",
    async () => {
      const result = await datum([
        "keeper",
        "get",
        "github_pat",
        "--dir",
        f.dir,
      ]);
      assert.equal(result.code, 2);
      assert.match(
        result.stderr,
        /--passphrase-file FILE or set DATUM_KEEPER_PASSPHRASE/,
      );
    },
  );
  await t.step("there is no --passphrase flag", async () => {
    const result = await datum([
      "keeper",
      "get",
      "github_pat",
      "--dir",
      f.dir,
      "--passphrase",
      PASSPHRASE,
    ]);
    assert.equal(result.code, 2);
  });
  await t.step("the environment works", async () => {
    const result = await datum(
      ["keeper", "get", "github_pat", "--dir", f.dir],
      {
        env: { DATUM_KEEPER_PASSPHRASE: PASSPHRASE },
      },
    );
    assert.equal(result.stdout, `${PAT}\n`);
  });
  await t.step("a wrong passphrase is one clear line, exit 3", async () => {
    const result = await datum(
      ["keeper", "get", "github_pat", "--dir", f.dir],
      {
        env: { DATUM_KEEPER_PASSPHRASE: "wrong" },
      },
    );
    assert.equal(result.code, 3);
    assert.match(
      result.stderr,
      /^error: Cannot unlock keeper ".*": wrong passphrase; /,
    );
    assert.equal(result.stderr.trim().split("\n").length, 1);
    assert.equal(result.stdout, "");
  });
  await t.step("set refuses an empty value", async () => {
    const result = await datum([
      "keeper",
      "set",
      "x",
      "--dir",
      f.dir,
      "--passphrase-file",
      f.pw,
    ]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /empty secret/);
  });
});

Deno.test("datum keeper import reads the datum 0.3 store into a new store", async () => {
  await using tmp = await tempDir();
  const pw = `${tmp.path}/pw`;
  const old = `${tmp.path}/old`;
  await Deno.writeTextFile(pw, "new passphrase\n");
  await Deno.writeTextFile(old, "correct horse battery staple\n");
  const base = ["--dir", `${tmp.path}/k`, "--passphrase-file", pw];
  const result = await datum([
    "keeper",
    "import",
    LEGACY,
    ...base,
    "--from-passphrase-file",
    old,
    "--json",
  ]);
  assert.equal(result.code, 0, result.stderr);
  const out = json<{ imported: string[]; token: string }>(result);
  assert.deepEqual(out.imported, ["github_pat", "openai_api_key"]);
  assert.match(out.token, /^dk_/);
  assert.equal(
    (await datum(["keeper", "get", "openai_api_key", ...base])).stdout,
    `${OPENAI}\n`,
  );
  const twice = await datum([
    "keeper",
    "import",
    LEGACY,
    ...base,
    "--from-passphrase-file",
    old,
  ]);
  assert.equal(twice.code, 5);
  const wrong = await datum([
    "keeper",
    "import",
    LEGACY,
    "--dir",
    `${tmp.path}/k2`,
    "--passphrase-file",
    pw,
  ]);
  assert.equal(wrong.code, 3);
  assert.match(wrong.stderr, /wrong password/);
});

Deno.test("datum keeper serve binds loopback only, unless --listen and a permission say otherwise", async () => {
  await using f = await fixture();
  const result = await datum([
    "keeper",
    "serve",
    "--dir",
    f.dir,
    "--passphrase-file",
    f.pw,
    "--listen",
    "0.0.0.0:0",
  ]);
  assert.equal(result.code, 7);
  assert.match(result.stderr, /--allow-net=0\.0\.0\.0/);
});

Deno.test("a running keeper releases a secret only to an enrolled agent with a purpose and an allowed destination", async (t) => {
  await using f = await fixture();
  await using keeper = await startKeeper(f, ["--rate", "100000"]);
  const scout = f.tokens.scout!;
  const responses: string[] = [];
  const denied = async (
    body: unknown,
    token: string | undefined,
    reason: RegExp,
    status = 403,
  ) => {
    const r = await post(keeper.url, body, token);
    responses.push(r.text);
    assert.equal(r.status, status, r.text);
    assert.equal(r.body.approved, false);
    assert.match(String(r.body.reason), reason);
    assert.equal(r.body.value, undefined);
  };

  await t.step("approved", async () => {
    const r = await post(keeper.url, request(), scout);
    assert.equal(r.status, 200);
    assert.equal(r.body.approved, true);
    assert.equal(r.body.value, PAT);
    assert.equal(r.body.ttl, 300);
    assert.ok(Date.parse(String(r.body.expires_at)) > Date.now());
    const proxy = new SecretProxy({
      url: keeper.url,
      agent: "scout",
      token: scout,
    });
    assert.equal(
      await proxy.get("openai_api_key", {
        purpose: "summarise",
        destination: "api.openai.com",
        ttl: 60,
      }),
      OPENAI,
    );
    await assert.rejects(
      () =>
        proxy.get("openai_api_key", {
          purpose: "summarise",
          destination: "pastebin.com",
        }),
      /Keeper denied secret "openai_api_key": destination not allowed/,
    );
  });
  await t.step(
    "no token",
    () => denied(request(), undefined, /missing bearer token/),
  );
  await t.step(
    "a wrong token",
    () => denied(request(), "dk_wrong", /not enrolled or token invalid/),
  );
  await t.step(
    "another agent's token",
    () => denied(request(), f.tokens.other, /not enrolled or token invalid/),
  );
  await t.step(
    "an unknown agent",
    () =>
      denied(
        request({ agent: "rogue" }),
        scout,
        /not enrolled or token invalid/,
      ),
  );
  await t.step(
    "a revoked agent",
    () => denied(request({ agent: "gone" }), f.tokens.gone, /agent revoked/),
  );
  await t.step(
    "a secret that does not exist",
    () => denied(request({ key: "nope" }), scout, /no such secret/),
  );
  await t.step(
    "a prototype name is no secret",
    () => denied(request({ key: "constructor" }), scout, /no such secret/),
  );
  await t.step(
    "an empty purpose",
    () => denied(request({ purpose: "  " }), scout, /missing purpose/),
  );
  await t.step(
    "a destination not in the allow-list",
    () =>
      denied(
        request({ destination: "pastebin.com" }),
        scout,
        /destination not allowed/,
      ),
  );
  await t.step(
    "an agent not in the allow-list",
    () =>
      denied(
        request({
          agent: "other",
          key: "openai_api_key",
          destination: "api.openai.com",
        }),
        f.tokens.other,
        /agent not allowed/,
      ),
  );
  await t.step(
    "a TTL over the maximum",
    () => denied(request({ ttl: 3601 }), scout, /ttl over the maximum/),
  );
  await t.step(
    "malformed JSON",
    () => denied("{not json", scout, /malformed JSON/, 400),
  );
  await t.step(
    "a field of the wrong type",
    () => denied(request({ ttl: "300" }), scout, /ttl/, 400),
  );
  await t.step("a 10 MiB body is refused before it is read", async () => {
    const big = new Uint8Array(10 * 1024 * 1024).fill(0x20);
    const response = await fetch(`${keeper.url}/api/secrets/get`, {
      method: "POST",
      headers: { authorization: `Bearer ${scout}` },
      body: big,
    }).catch((error) => error as Error);
    if (response instanceof Response) {
      assert.equal(response.status, 413);
      assert.match(await response.text(), /body over 65536 bytes/);
    }
  });
  await t.step("unknown routes and methods", async () => {
    for (
      const [method, path, status] of [
        ["GET", "/", 404],
        ["GET", "/api/secret", 404],
        ["GET", "/api/../api/health", 200],
        ["POST", "/api/health", 405],
        ["GET", "/api/secrets/get", 405],
        ["DELETE", "/api/secrets", 405],
        ["PUT", "/api/agents/register", 405],
      ] as const
    ) {
      const response = await fetch(`${keeper.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${f.admin}` },
      });
      assert.equal(response.status, status, `${method} ${path}`);
      const body = await response.json();
      if (status !== 200) assert.equal(typeof body.error, "string");
    }
  });
  await t.step("admin routes refuse agents and strangers", async () => {
    for (const token of [undefined, scout, "dk_wrong"]) {
      for (const path of ["/api/agents", "/api/secrets", "/api/audit"]) {
        const response = await fetch(`${keeper.url}${path}`, {
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
        assert.equal(response.status, 401, `${path} with ${token}`);
        await response.body?.cancel();
      }
    }
  });
  await t.step("admin routes with the admin token", async () => {
    const headers = { authorization: `Bearer ${f.admin}` };
    const secrets =
      await (await fetch(`${keeper.url}/api/secrets`, { headers })).json();
    assert.deepEqual(secrets.secrets.map((s: { key: string }) => s.key), [
      "github_pat",
      "openai_api_key",
    ]);
    assert.doesNotMatch(JSON.stringify(secrets), new RegExp(PAT));
    const register = await fetch(`${keeper.url}/api/agents/register`, {
      method: "POST",
      headers,
      body: JSON.stringify({ agent: "newbie" }),
    });
    const { token } = await register.json();
    assert.match(token, /^dk_/);
    const set = await fetch(`${keeper.url}/api/secrets/set`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        key: "tmp",
        value: "tmp-value-42",
        allow_agents: ["newbie"],
        allow_destinations: ["h.example"],
      }),
    });
    assert.equal(set.status, 200, await set.text());
    const got = await post(
      keeper.url,
      request({ agent: "newbie", key: "tmp", destination: "h.example" }),
      token,
    );
    assert.equal(got.body.value, "tmp-value-42");
    const del = await fetch(`${keeper.url}/api/secrets/delete`, {
      method: "POST",
      headers,
      body: JSON.stringify({ key: "tmp" }),
    });
    assert.equal(del.status, 200);
    await del.body?.cancel();
    const audit =
      await (await fetch(`${keeper.url}/api/audit?tail=5`, { headers })).json();
    assert.equal(audit.records.length, 5);
  });
  await t.step(
    "a revocation on the command line takes effect in the running keeper",
    async () => {
      const revoked = await datum([
        "keeper",
        "revoke",
        "other",
        "--dir",
        f.dir,
        "--passphrase-file",
        f.pw,
      ]);
      assert.equal(revoked.code, 0, revoked.stderr);
      await denied(
        request({ agent: "other" }),
        f.tokens.other,
        /agent revoked/,
      );
    },
  );
  await t.step(
    "1 000 random bodies, and the keeper still answers",
    async () => {
      const random = prng(20261130);
      for (let i = 0; i < 1000; i++) {
        const body = randomBody(random);
        const token = random() < 0.7
          ? scout
          : random() < 0.5
          ? undefined
          : f.tokens.other;
        const r = await post(keeper.url, body, token);
        responses.push(r.text);
        assert.ok(
          [400, 403].includes(r.status),
          `body #${i} ${body.slice(0, 200)} → ${r.status} ${r.text}`,
        );
        assert.equal(r.body.approved, false, `body #${i}`);
      }
      const health = await fetch(`${keeper.url}/api/health`);
      assert.deepEqual(await health.json(), { status: "ok" });
      const r = await post(keeper.url, request(), scout);
      assert.equal(r.body.value, PAT);
    },
  );
  await t.step(
    "no secret value in any denial, log line or audit record; the chain verifies",
    async () => {
      const out = await keeper.stop();
      assert.equal(out.code, 0, out.stderr);
      const audit = await Deno.readTextFile(`${f.dir}/audit.jsonl`);
      for (
        const secret of [
          PAT,
          OPENAI,
          "tmp-value-42",
          ...Object.values(f.tokens),
          f.admin,
        ]
      ) {
        for (
          const [what, text] of [
            ["responses", responses.join("\n")],
            ["stdout", out.stdout],
            ["stderr", out.stderr],
            ["audit", audit],
          ]
        ) {
          assert.ok(!text!.includes(secret), `${what} contains a secret`);
        }
      }
      assert.ok(audit.split("\n").length > 1000);
      const verify = await datum(["keeper", "audit", "verify", "--dir", f.dir]);
      assert.equal(verify.code, 0, verify.stdout);
    },
  );
});

Deno.test("a running keeper limits each agent's request rate", async () => {
  await using f = await fixture();
  await using keeper = await startKeeper(f, ["--rate", "2"]);
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++) {
    statuses.push((await post(keeper.url, request(), f.tokens.scout)).status);
  }
  assert.deepEqual(statuses.slice(0, 4), [200, 200, 200, 200]);
  assert.ok(statuses.includes(429), String(statuses));
  // Another agent has its own bucket.
  const other = await post(
    keeper.url,
    request({ agent: "other" }),
    f.tokens.other,
  );
  assert.equal(other.status, 200);
});

Deno.test("the environment fallback is off unless the keeper is started with it, and each use is audited", async () => {
  await using f = await fixture();
  const env = { DATUM_SECRET_FROM_ENV: "env-value-7" };
  {
    await using keeper = await startKeeper(f, [], env);
    const r = await post(
      keeper.url,
      request({ key: "from_env" }),
      f.tokens.scout,
    );
    assert.equal(r.status, 403);
    assert.match(String(r.body.reason), /no such secret/);
  }
  {
    await using keeper = await startKeeper(f, ["--env-fallback"], env);
    const r = await post(
      keeper.url,
      request({ key: "from_env" }),
      f.tokens.scout,
    );
    assert.equal(r.body.value, "env-value-7");
  }
  const audit = await datum(["keeper", "audit", "--dir", f.dir, "--json"]);
  const records = json<{ records: Record<string, unknown>[] }>(audit).records;
  const uses = records.filter((r) => r.source === "env");
  assert.equal(uses.length, 1);
  assert.equal(uses[0]!.key, "from_env");
  assert.ok(
    records.some((r) =>
      r.event === "keeper.start" && r.reason === "environment fallback on"
    ),
  );
  assert.doesNotMatch(JSON.stringify(records), /env-value-7/);
});

Deno.test("a request whose audit record cannot be written is denied", async () => {
  await using f = await fixture();
  await using keeper = await startKeeper(f);
  assert.equal((await post(keeper.url, request(), f.tokens.scout)).status, 200);
  await Deno.writeTextFile(`${f.dir}/audit.jsonl`, "torn", { append: true });
  const r = await post(keeper.url, request(), f.tokens.scout);
  assert.equal(r.status, 503);
  assert.deepEqual(r.body, {
    approved: false,
    reason: "audit log unavailable",
  });
});

Deno.test("a keeper killed with SIGKILL during set calls leaves a store that opens and an audit chain that verifies", async () => {
  await using f = await fixture();
  for (let round = 0; round < 6; round++) {
    const child = new Deno.Command(Deno.execPath(), {
      args: datumArgs([
        "keeper",
        "set",
        `key${round}`,
        "--dir",
        f.dir,
        "--passphrase-file",
        f.pw,
      ]),
      env: { NO_COLOR: "1" },
      stdin: "piped",
      stdout: "null",
      stderr: "null",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(`value-${round}`));
    await writer.close();
    // Killed at a different point of its run each round: loading, unlocking,
    // auditing, writing the store.
    await new Promise((resolve) => setTimeout(resolve, 80 + round * 60));
    try {
      child.kill("SIGKILL");
    } catch {
      // It finished first.
    }
    await child.status;
  }
  const store = await KeeperStore.unlock(f.dir, PASSPHRASE);
  assert.equal(await store.reveal("github_pat"), PAT);
  for (
    const { key } of store.secrets().filter((s) => s.key.startsWith("key"))
  ) {
    assert.equal(await store.reveal(key), `value-${key.slice(3)}`);
  }
  const verify = await datum(["keeper", "audit", "verify", "--dir", f.dir]);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  const leftovers = [...Deno.readDirSync(f.dir)].map((e) => e.name).filter((
    n,
  ) => n.endsWith(".tmp"));
  assert.ok(leftovers.length <= 6);
});

Deno.test("datum keeper audit verify exits 3 and names an edited record", async () => {
  await using f = await fixture();
  const log = `${f.dir}/audit.jsonl`;
  {
    await using keeper = await startKeeper(f, ["--rate", "1000"]);
    for (let i = 0; i < 3; i++) {
      await post(keeper.url, request(), f.tokens.scout);
    }
  }
  const lines = (await Deno.readTextFile(log)).split("\n");
  lines[1] = lines[1]!.replace('"approved":true', '"approved":false');
  await Deno.writeTextFile(log, lines.join("\n"));
  const result = await datum(["keeper", "audit", "verify", "--dir", f.dir]);
  assert.equal(result.code, 3);
  assert.match(result.stdout, /record 2 \(line 2\) was edited/);
});
