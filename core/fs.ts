/**
 * File primitives that never lose data: atomic replacement and locked appends.
 *
 * @module
 */

import { DatumError, ExitCode } from "./errors.ts";
import { fromNotCapable } from "./permissions.ts";

const encoder = new TextEncoder();

/**
 * Replaces `path` with `data` atomically: a temp file in the same folder, fsync,
 * rename. A crash leaves either the old file or the new one, never a mix.
 *
 * @param path The file to write.
 * @param data Its new content.
 * @param options `mode` of a file that does not exist yet.
 *
 * @example
 * ```ts ignore
 * await atomicWrite("ws/.datum/config.toml", 'name = "datum"\n');
 * ```
 */
export async function atomicWrite(
  path: string,
  data: string | Uint8Array,
  options: { mode?: number } = {},
): Promise<void> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  const slash = path.lastIndexOf("/");
  const dir = slash === -1 ? "." : path.slice(0, slash) || "/";
  const name = slash === -1 ? path : path.slice(slash + 1);
  const temp = `${dir}/.${name}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    {
      using file = await Deno.open(temp, {
        write: true,
        createNew: true,
        ...(options.mode === undefined ? {} : { mode: options.mode }),
      });
      await writeAll(file, bytes);
      await file.sync();
    }
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw fileError("write", path, error);
  }
}

/**
 * Appends `data` to `path` under an exclusive lock, in one write, then fsyncs. Two
 * processes appending at once each leave whole records.
 *
 * @param path The file to append to; created when missing.
 * @param data The record, ending with a newline.
 *
 * @example
 * ```ts ignore
 * await appendLocked("ws/TRAIL.md", "- [2026-11-30T03:40:00Z] datum boot\n");
 * ```
 */
export async function appendLocked(path: string, data: string): Promise<void> {
  try {
    using file = await Deno.open(path, { append: true, create: true });
    await file.lock(true);
    try {
      await writeAll(file, encoder.encode(data));
      await file.syncData();
    } finally {
      await file.unlock();
    }
  } catch (error) {
    throw fileError("append to", path, error);
  }
}

/**
 * Reads a text file, or `undefined` when it does not exist.
 *
 * @param path The file.
 * @returns Its text, or `undefined`.
 *
 * @example
 * ```ts ignore
 * const seed = await readTextIfExists("ws/SEED.md");
 * ```
 */
export async function readTextIfExists(
  path: string,
): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw fileError("read", path, error);
  }
}

/**
 * Reads a file's bytes, or `undefined` when it does not exist.
 *
 * @param path The file.
 * @returns Its bytes, or `undefined`.
 *
 * @example
 * ```ts ignore
 * const journal = await readBytesIfExists("ws/JOURNAL.md");
 * ```
 */
export async function readBytesIfExists(
  path: string,
): Promise<Uint8Array | undefined> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw fileError("read", path, error);
  }
}

/**
 * What is at `path`: `"file"`, `"dir"`, or `undefined` when nothing is there.
 *
 * @param path The path to look at.
 * @returns The kind of entry.
 *
 * @example
 * ```ts ignore
 * if (await kindOf("ws") === "file") throw new Error("not a folder");
 * ```
 */
export async function kindOf(
  path: string,
): Promise<"file" | "dir" | undefined> {
  try {
    const info = await Deno.stat(path);
    return info.isDirectory ? "dir" : "file";
  } catch (error) {
    // A path under a file does not exist; callers find the file by walking up.
    if (
      error instanceof Deno.errors.NotFound ||
      error instanceof Deno.errors.NotADirectory
    ) {
      return undefined;
    }
    throw fileError("inspect", path, error);
  }
}

/**
 * Turns a file-system error into a one-line {@linkcode DatumError}.
 *
 * @param verb What was being done, e.g. `"write"`.
 * @param path The path involved.
 * @param error What was thrown.
 * @returns The error to throw.
 *
 * @example
 * ```ts
 * import { fileError } from "./fs.ts";
 * const err = fileError("write", "ws/SEED.md", new Deno.errors.PermissionDenied("EACCES"));
 * console.assert(err.exitCode === 1);
 * ```
 */
export function fileError(
  verb: string,
  path: string,
  error: unknown,
): DatumError {
  if (error instanceof DatumError) return error;
  if (error instanceof Deno.errors.NotCapable) return fromNotCapable(error);
  if (error instanceof Deno.errors.PermissionDenied) {
    return new DatumError(
      `Cannot ${verb} "${path}": permission denied by the file system`,
      {
        code: "fs_denied",
        exitCode: ExitCode.Failure,
        hint: "choose a folder you can write to, or fix its owner and mode",
        cause: error,
      },
    );
  }
  if (error instanceof Deno.errors.NotFound) {
    return new DatumError(`Cannot ${verb} "${path}": it does not exist`, {
      code: "not_found",
      exitCode: ExitCode.NotFound,
      cause: error,
    });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new DatumError(`Cannot ${verb} "${path}": ${detail}`, {
    code: "fs_failed",
    exitCode: ExitCode.Failure,
    cause: error,
  });
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    written += await file.write(bytes.subarray(written));
  }
}
