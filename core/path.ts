/**
 * Paths as datum handles them: absolute, normalised, with forward slashes on every
 * platform (Windows accepts them, and git prints them), so that joining with `/` and
 * comparing prefixes works everywhere.
 *
 * @module
 */

const IS_WINDOWS = Deno.build.os === "windows";
const DRIVE = /^[A-Za-z]:(?=\/|$)/;

/** Options of {@linkcode resolvePath}, for tests of the other platform. */
export interface ResolveOptions {
  /** The current folder; `Deno.cwd()` when omitted. */
  cwd?: string;
  /** Whether paths are Windows paths; the running platform when omitted. */
  windows?: boolean;
}

/**
 * `path` with forward slashes (on Windows; elsewhere as it is).
 *
 * @param path A path the platform gave.
 * @param windows Whether it is a Windows path.
 * @returns The path with `/` separators.
 *
 * @example
 * ```ts
 * import { toSlashes } from "./path.ts";
 * console.assert(toSlashes("C:\\ws\\SEED.md", true) === "C:/ws/SEED.md");
 * ```
 */
export function toSlashes(path: string, windows: boolean = IS_WINDOWS): string {
  return windows ? path.replaceAll("\\", "/") : path;
}

/**
 * Turns `dir` into an absolute, normalised path with forward slashes.
 *
 * @param dir A path, relative to the current folder or absolute.
 * @param options The current folder and platform, for tests.
 * @returns The path without `.`/`..` segments or a trailing slash.
 *
 * @example
 * ```ts
 * import { resolvePath } from "./path.ts";
 * console.assert(resolvePath("../ws/./x", { cwd: "/home/me", windows: false }) === "/home/ws/x");
 * console.assert(resolvePath("ws", { cwd: "C:\\Users\\me", windows: true }) === "C:/Users/me/ws");
 * ```
 */
export function resolvePath(dir: string, options: ResolveOptions = {}): string {
  const windows = options.windows ?? IS_WINDOWS;
  let path = toSlashes(dir, windows);
  const absolute = path.startsWith("/") || (windows && DRIVE.test(path));
  if (!absolute) {
    path = `${toSlashes(options.cwd ?? Deno.cwd(), windows)}/${path}`;
  }
  const drive = windows ? DRIVE.exec(path)?.[0] ?? "" : "";
  const parts: string[] = [];
  for (const part of path.slice(drive.length).split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `${drive}/${parts.join("/")}`;
}

/**
 * The folder that holds `path`; a root (`/`, `C:/`) is its own parent.
 *
 * @param path An absolute path from {@linkcode resolvePath}.
 * @returns Its parent.
 *
 * @example
 * ```ts
 * import { parentOf } from "./path.ts";
 * console.assert(parentOf("/home/ws") === "/home");
 * console.assert(parentOf("/home") === "/");
 * console.assert(parentOf("C:/ws") === "C:/");
 * ```
 */
export function parentOf(path: string): string {
  const parent = path.slice(0, path.lastIndexOf("/"));
  return parent === "" || DRIVE.test(parent) && parent.length === 2
    ? `${parent}/`
    : parent;
}
