import assert from "node:assert/strict";
import type { DatumError } from "../../core/errors.ts";
import { KeeperStore, readLegacyStore, storePaths } from "./store.ts";

const FIXTURE =
  new URL("./testdata/secrets.enc.json", import.meta.url).pathname;
// Tests create stores with few iterations; the CLI always uses 600 000.
const FAST = { iterations: 1000 };

async function tempKeeper(): Promise<{ dir: string } & AsyncDisposable> {
  const root = await Deno.makeTempDir({ prefix: "datum-keeper-" });
  return {
    dir: `${root}/keeper`,
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

Deno.test("readLegacyStore() decrypts the datum 0.3 fixture with its documented password", async () => {
  const secrets = await readLegacyStore(
    FIXTURE,
    "correct horse battery staple",
  );
  assert.deepEqual(
    secrets.map((s) => [s.key, s.value, s.description]),
    [
      ["github_pat", "ghp_exampleexampleexample0000000000", "fleet ops token"],
      ["openai_api_key", "sk-example-0123456789", "llm key"],
    ],
  );
});

Deno.test("readLegacyStore() refuses a wrong password with a one-line error", async () => {
  await assert.rejects(
    () => readLegacyStore(FIXTURE, "wrong"),
    (error: DatumError) =>
      error.code === "keeper_import_invalid" && error.exitCode === 3 &&
      /wrong password/.test(error.message),
  );
});

Deno.test("KeeperStore keeps secrets encrypted, in a 0600 file, and unlocks with its passphrase", async () => {
  await using k = await tempKeeper();
  const { store, adminToken } = await KeeperStore.init(
    k.dir,
    "pass phrase",
    FAST,
  );
  assert.match(adminToken, /^dk_[A-Za-z0-9_-]{43}$/);
  await store.setSecret("github_pat", "ghp_value_123", {
    description: "fleet",
    allowAgents: ["scout"],
    allowDestinations: ["API.github.com"],
  });
  const text = await Deno.readTextFile(storePaths(k.dir).store);
  assert.doesNotMatch(text, /ghp_value_123/);
  assert.doesNotMatch(text, new RegExp(adminToken));
  assert.equal((await Deno.stat(storePaths(k.dir).store)).mode! & 0o777, 0o600);
  assert.equal((await Deno.stat(k.dir)).mode! & 0o777, 0o700);
  const again = await KeeperStore.unlock(k.dir, "pass phrase");
  assert.equal(await again.reveal("github_pat"), "ghp_value_123");
  assert.deepEqual(again.secret("github_pat")?.allowDestinations, [
    "api.github.com",
  ]);
  assert.equal(await again.checkAdmin(adminToken), true);
  assert.equal(await again.checkAdmin(`${adminToken}x`), false);
  assert.equal(again.secret("constructor"), undefined);
});

Deno.test("KeeperStore.unlock() with a wrong passphrase fails clearly, never with garbage", async () => {
  await using k = await tempKeeper();
  await KeeperStore.init(k.dir, "right", FAST);
  await assert.rejects(
    () => KeeperStore.unlock(k.dir, "wrong"),
    (error: DatumError) =>
      error.code === "keeper_passphrase_wrong" && error.exitCode === 3,
  );
});

Deno.test("KeeperStore refuses a second init and a folder inside a git repository", async () => {
  await using k = await tempKeeper();
  await KeeperStore.init(k.dir, "p", FAST);
  await assert.rejects(
    () => KeeperStore.init(k.dir, "p", FAST),
    (error: DatumError) =>
      error.code === "keeper_exists" && error.exitCode === 5,
  );
  await Deno.mkdir(`${k.dir}/repo/.git`, { recursive: true });
  await assert.rejects(
    () => KeeperStore.init(`${k.dir}/repo/inner`, "p", FAST),
    (error: DatumError) => error.code === "keeper_in_git",
  );
  // ".." is resolved: a sibling of the repository is outside it.
  await KeeperStore.init(`${k.dir}/repo/../sibling`, "p", FAST);
});

Deno.test("a ciphertext moved to another secret's name does not open", async () => {
  await using k = await tempKeeper();
  const { store } = await KeeperStore.init(k.dir, "p", FAST);
  await store.setSecret("a", "value-a");
  await store.setSecret("b", "value-b");
  const path = storePaths(k.dir).store;
  const file = JSON.parse(await Deno.readTextFile(path));
  file.secrets.b.nonce = file.secrets.a.nonce;
  file.secrets.b.ciphertext = file.secrets.a.ciphertext;
  await Deno.writeTextFile(path, JSON.stringify(file));
  // The MAC covers ciphertexts too: the whole store is refused.
  await assert.rejects(
    () => KeeperStore.unlock(k.dir, "p"),
    (error: DatumError) => error.code === "keeper_store_tampered",
  );
});

Deno.test("an agent or allow-list added by hand is refused: the store's MAC does not match", async () => {
  await using k = await tempKeeper();
  const { store } = await KeeperStore.init(k.dir, "p", FAST);
  await store.setSecret("a", "v", { allowAgents: ["scout"] });
  const path = storePaths(k.dir).store;
  const file = JSON.parse(await Deno.readTextFile(path));
  file.secrets.a.allow_agents.push("rogue");
  await Deno.writeTextFile(path, JSON.stringify(file));
  await assert.rejects(() => store.refresh(), /changed outside the keeper/);
});

Deno.test("enroll, revoke and token checks; a running store sees another process's changes", async () => {
  await using k = await tempKeeper();
  const { store } = await KeeperStore.init(k.dir, "p", FAST);
  const token = await store.enroll("scout");
  assert.equal(await store.checkAgent("scout", token), "ok");
  assert.equal(await store.checkAgent("scout", "dk_wrong"), "bad-token");
  assert.equal(await store.checkAgent("nobody", token), "unknown");
  const other = await KeeperStore.unlock(k.dir, "p");
  assert.equal(await other.revoke("scout"), true);
  assert.equal(await other.revoke("scout"), false);
  await store.refresh();
  assert.equal(await store.checkAgent("scout", token), "revoked");
  const fresh = await store.enroll("scout");
  assert.equal(await store.checkAgent("scout", token), "bad-token");
  assert.equal(await store.checkAgent("scout", fresh), "ok");
  await assert.rejects(() => store.enroll("../etc"), /not a valid name/);
});

Deno.test("setPolicy() and removeSecret() keep the value and the rest", async () => {
  await using k = await tempKeeper();
  const { store } = await KeeperStore.init(k.dir, "p", FAST);
  await store.setSecret("a", "v", { description: "d" });
  await store.setPolicy("a", {
    allowAgents: ["x"],
    allowDestinations: ["h.example"],
  });
  assert.equal(await store.reveal("a"), "v");
  assert.equal(store.secret("a")?.description, "d");
  assert.deepEqual(store.secret("a")?.allowAgents, ["x"]);
  assert.equal(await store.removeSecret("a"), true);
  assert.equal(await store.removeSecret("a"), false);
  await assert.rejects(() => store.reveal("a"), /Cannot find secret "a"/);
});
