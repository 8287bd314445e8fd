import assert from "node:assert/strict";
import { parentOf, resolvePath, toSlashes } from "./path.ts";

Deno.test("resolvePath() normalises POSIX paths against the current folder", () => {
  const posix = { cwd: "/home/me", windows: false };
  assert.equal(resolvePath("ws", posix), "/home/me/ws");
  assert.equal(resolvePath("./ws/", posix), "/home/me/ws");
  assert.equal(resolvePath("../other/./ws", posix), "/home/other/ws");
  assert.equal(resolvePath("/abs//ws/..", posix), "/abs");
  assert.equal(resolvePath("/..", posix), "/");
  assert.equal(resolvePath(".", posix), "/home/me");
  // A backslash is an ordinary character in a POSIX name.
  assert.equal(resolvePath("a\\b", posix), "/home/me/a\\b");
});

Deno.test("resolvePath() turns Windows paths into drive paths with forward slashes", () => {
  const windows = { cwd: "C:\\Users\\me", windows: true };
  assert.equal(resolvePath("ws", windows), "C:/Users/me/ws");
  assert.equal(resolvePath("..\\ws", windows), "C:/Users/ws");
  assert.equal(
    resolvePath("D:\\vessels\\scout\\", windows),
    "D:/vessels/scout",
  );
  assert.equal(resolvePath("D:/", windows), "D:/");
  assert.equal(resolvePath("C:\\..\\..", windows), "C:/");
});

Deno.test("parentOf() stops at the root", () => {
  assert.equal(parentOf("/a/b"), "/a");
  assert.equal(parentOf("/a"), "/");
  assert.equal(parentOf("/"), "/");
  assert.equal(parentOf("C:/a"), "C:/");
  assert.equal(parentOf("C:/"), "C:/");
});

Deno.test("toSlashes() only rewrites Windows paths", () => {
  assert.equal(toSlashes("C:\\a\\b", true), "C:/a/b");
  assert.equal(toSlashes("/a\\b", false), "/a\\b");
});
