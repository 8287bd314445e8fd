/**
 * The keeper's cryptographic primitives, all WebCrypto: key derivation, AES-256-GCM,
 * HMAC, SHA-256, tokens and constant-time comparison.
 *
 * @module
 */

import { createHash } from "node:crypto";

const encoder = new TextEncoder();

/** The iteration count of a store the CLI creates (DESIGN.md §5). */
export const PBKDF2_ITERATIONS = 600_000;

/** The keys one unlock derives from the passphrase. */
export interface StoreKeys {
  /** AES-256-GCM: each secret, and the passphrase verifier. */
  encryption: CryptoKey;
  /** HMAC-SHA256 over the store's metadata (agents, allow-lists, admin). */
  mac: CryptoKey;
}

/** Bytes WebCrypto accepts as a `BufferSource`. */
export type Bytes = Uint8Array<ArrayBuffer>;

/** UTF-8 bytes of `text`. */
export function utf8(text: string): Bytes {
  return encoder.encode(text) as Bytes;
}

/** `count` random bytes. */
export function randomBytes(count: number): Bytes {
  return crypto.getRandomValues(new Uint8Array(count));
}

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/** Bytes of a hex string; throws `SyntaxError` on anything else. */
export function fromHex(hex: string): Bytes {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new SyntaxError("not a hex string");
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  }
  return out;
}

/** Standard base64 of `bytes`. */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Bytes of a standard base64 string; throws `SyntaxError` on anything else. */
export function fromBase64(text: string): Bytes {
  let binary: string;
  try {
    binary = atob(text);
  } catch (cause) {
    throw new SyntaxError("not a base64 string", { cause });
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * SHA-256 of `data`, as hex. Synchronous, through Deno's built-in `node:crypto`:
 * WebCrypto's `digest` is asynchronous only, and each call costs ~240 µs of
 * thread-pool round trip on a small VM against ~5 µs here. Used only for hashes of
 * public or high-entropy data (the audit chain, bearer tokens); keys, encryption
 * and MACs stay WebCrypto.
 */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * Compares two strings in time that depends only on their lengths, so a caller
 * cannot learn a stored hash byte by byte from response times.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = utf8(a);
  const y = utf8(b);
  let diff = x.length ^ y.length;
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) {
    diff |= (x[i % x.length] ?? 0) ^ (y[i % y.length] ?? 0);
  }
  return diff === 0;
}

/**
 * A new bearer token: `dk_` and 256 random bits in base64url. High entropy, so the
 * keeper can store a plain SHA-256 of it rather than a slow password hash.
 */
export function newToken(): string {
  return `dk_${
    toBase64(randomBytes(32)).replaceAll("+", "-").replaceAll("/", "_")
      .replace(/=+$/, "")
  }`;
}

/**
 * Derives the store's keys from the passphrase: one PBKDF2-HMAC-SHA256 run giving
 * 256 bits (more bits would run all the iterations again per 256), then HKDF-SHA256
 * splits them into the AES key and the HMAC key.
 */
export async function deriveKeys(
  passphrase: string,
  salt: Bytes,
  iterations: number,
): Promise<StoreKeys> {
  const base = await crypto.subtle.importKey(
    "raw",
    utf8(passphrase),
    "PBKDF2",
    false,
    ["deriveBits"],
  );
  const bits = new Uint8Array(
    await crypto.subtle.deriveBits(
      { name: "PBKDF2", hash: "SHA-256", salt, iterations },
      base,
      256,
    ),
  );
  try {
    const master = await crypto.subtle.importKey("raw", bits, "HKDF", false, [
      "deriveKey",
    ]);
    const hkdf = (info: string) => ({
      name: "HKDF",
      hash: "SHA-256",
      salt: new Uint8Array(0),
      info: utf8(info),
    });
    const encryption = await crypto.subtle.deriveKey(
      hkdf("datum-keeper aes-256-gcm"),
      master,
      { name: "AES-GCM", length: 256 },
      false,
      ["encrypt", "decrypt"],
    );
    const mac = await crypto.subtle.deriveKey(
      hkdf("datum-keeper hmac-sha256"),
      master,
      { name: "HMAC", hash: "SHA-256", length: 256 },
      false,
      ["sign", "verify"],
    );
    return { encryption, mac };
  } finally {
    bits.fill(0);
  }
}

/** AES-256-GCM with a fresh 96-bit nonce and `aad` as associated data. */
export async function seal(
  key: CryptoKey,
  plaintext: string,
  aad: string,
): Promise<{ nonce: string; ciphertext: string }> {
  const nonce = randomBytes(12);
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: nonce, additionalData: utf8(aad) },
    key,
    utf8(plaintext),
  );
  return {
    nonce: toBase64(nonce),
    ciphertext: toBase64(new Uint8Array(sealed)),
  };
}

/** Opens what {@linkcode seal} sealed; throws `OperationError` when tampered. */
export async function open(
  key: CryptoKey,
  sealed: { nonce: string; ciphertext: string },
  aad: string,
): Promise<string> {
  const plain = await crypto.subtle.decrypt(
    {
      name: "AES-GCM",
      iv: fromBase64(sealed.nonce),
      additionalData: utf8(aad),
    },
    key,
    fromBase64(sealed.ciphertext),
  );
  return new TextDecoder("utf-8", { fatal: true }).decode(plain);
}

/** HMAC-SHA256 of `text`, as hex. */
export async function hmacHex(key: CryptoKey, text: string): Promise<string> {
  return toHex(
    new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8(text))),
  );
}

/** Checks an HMAC-SHA256 (hex) in constant time. */
export async function hmacVerify(
  key: CryptoKey,
  text: string,
  macHex: string,
): Promise<boolean> {
  let mac: Bytes;
  try {
    mac = fromHex(macHex);
  } catch {
    return false;
  }
  return await crypto.subtle.verify("HMAC", key, mac, utf8(text));
}

/**
 * JSON with object keys sorted at every level: the bytes the store's MAC covers, so
 * a reformatted but equal file still verifies.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
    return `{${
      entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
        .join(",")
    }}`;
  }
  return JSON.stringify(value);
}
