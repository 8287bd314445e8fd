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
 * rename. A crash leaves either the old file or the new one, never a mix. With
 * `exclusive`, the file is created, never replaced: the temp file is hard-linked
 * into place, which fails when `path` exists.
 *
 * @param path The file to write.
 * @param data Its new content.
 * @param options `mode` of a file that does not exist yet; `exclusive` to never
 * replace one (a `DatumError` with code `exists`, exit 5, when it exists);
 * `sync: false` to skip the fsync, for caches that are rebuilt when torn.
 *
 * @example
 * ```ts ignore
 * await atomicWrite("ws/.datum/config.toml", 'name = "datum"\n');
 * ```
 */
export async function atomicWrite(
  path: string,
  data: string | Uint8Array,
  options: { mode?: number; exclusive?: boolean; sync?: boolean } = {},
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
      if (options.sync !== false) await file.sync();
    }
    if (options.exclusive) {
      await Deno.link(temp, path);
      await Deno.remove(temp);
    } else {
      await Deno.rename(temp, path);
    }
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    if (error instanceof Deno.errors.AlreadyExists) {
      throw new DatumError(`Cannot create "${path}": it exists already`, {
        code: "exists",
        exitCode: ExitCode.Conflict,
        hint: "nothing was overwritten; write under another name",
        cause: error,
      });
    }
    throw fileError("write", path, error);
  }
}

/**
 * Appends `data` to `path` under an exclusive lock, in one write, then fsyncs. Two
 * processes appending at once each leave whole records.
 *
 * @param path The file to append to; created when missing.
 * @param data The record, ending with a newline.
 * @param options `lineStart`: when the file does not end with a newline (a record
 * torn by a crash), write one first.
 *
 * @example
 * ```ts ignore
 * await appendLocked("ws/TRAIL.md", "- [2026-11-30T03:40:00Z] datum boot\n");
 * ```
 */
export async function appendLocked(
  path: string,
  data: string,
  options: { lineStart?: boolean } = {},
): Promise<void> {
  try {
    using file = await Deno.open(path, {
      append: true,
      create: true,
      read: options.lineStart === true,
    });
    await file.lock(true);
    try {
      let record = data;
      if (options.lineStart) {
        // A record torn by a crash ends without a newline; start on a fresh line so
        // this record is not glued to it.
        const { size } = await file.stat();
        if (size > 0) {
          const last = new Uint8Array(1);
          await file.seek(size - 1, Deno.SeekMode.Start);
          await file.read(last);
          if (last[0] !== 0x0a) record = `\n${data}`;
        }
      }
      await writeAll(file, encoder.encode(record));
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
  const bytes = await readBytesIfExists(path);
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
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
    // One read into a buffer of the file's size: Deno.readFile grows its buffer
    // chunk by chunk and takes ~10x longer on a journal of a few megabytes.
    using file = await Deno.open(path);
    const { size } = await file.stat();
    const buffer = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      const read = await file.read(buffer.subarray(filled));
      if (read === null) break;
      filled += read;
    }
    if (filled < size) return buffer.subarray(0, filled);
    // A file that grew since the stat (another writer appending) is read to its end.
    const rest = await readRest(file);
    return rest.length ? concat(buffer, rest) : buffer;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw fileError("read", path, error);
  }
}

async function readRest(file: Deno.FsFile): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const chunk = new Uint8Array(65536);
  for (
    let read = await file.read(chunk);
    read !== null;
    read = await file.read(chunk)
  ) {
    chunks.push(chunk.slice(0, read));
  }
  return chunks.length === 1 ? chunks[0]! : concat(...chunks);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
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
