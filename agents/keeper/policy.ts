/**
 * Who gets a secret: the checks a secret request passes before anything leaves the
 * keeper, and the per-agent request rate.
 *
 * @module
 */

import { datumSecretEnv } from "../../core/env.ts";
import type { KeeperStore } from "./store.ts";

/** The TTL of a request that names none, in seconds. */
export const DEFAULT_TTL = 300;
/** The longest TTL a request may ask for unless the keeper is told otherwise. */
export const DEFAULT_MAX_TTL = 3600;
/** Sustained requests per second one agent may make unless told otherwise. */
export const DEFAULT_RATE = 20;
const MAX_FIELD = 1024;

/** A parsed secret request. */
export interface SecretRequest {
  /** The agent asking. */
  agent: string;
  /** The secret's name. */
  key: string;
  /** What the secret will be used for. */
  purpose: string;
  /** The host the secret will be sent to. */
  destination: string;
  /** How long the agent may keep the value, in seconds. */
  ttl: number;
}

/** How the keeper decides. */
export interface PolicyOptions {
  /** The longest TTL allowed, in seconds. */
  maxTtl: number;
  /**
   * Whether a secret missing from the store may come from `DATUM_SECRET_<KEY>`;
   * off unless the operator starts the keeper with `--env-fallback`.
   */
  envFallback: boolean;
}

/** A decision on a secret request. */
export type Decision =
  | { approved: true; value: string; source: "store" | "env" }
  | {
    approved: false;
    /** What the caller is told. */
    reason: string;
    /** What the audit log records (may be more precise than `reason`). */
    auditReason: string;
    /** The HTTP status. */
    status: number;
  };

function deny(
  reason: string,
  status = 403,
  auditReason: string = reason,
): Decision {
  return { approved: false, reason, auditReason, status };
}

/**
 * Reads a request body into a {@linkcode SecretRequest}, or says what is wrong with
 * it. Missing fields are empty strings, so the checks that follow deny them by name.
 *
 * @param body The parsed JSON body.
 * @returns The request, or an error message.
 */
export function parseSecretRequest(
  body: unknown,
): { request: SecretRequest } | { error: string } {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return { error: "the body must be a JSON object" };
  }
  const fields = body as Record<string, unknown>;
  const text = (name: string): string | undefined => {
    const value = Object.hasOwn(fields, name) ? fields[name] : undefined;
    if (value === undefined || value === null) return "";
    if (typeof value !== "string" || value.length > MAX_FIELD) return undefined;
    return value;
  };
  const out: Record<string, string> = {};
  for (const name of ["agent", "key", "purpose", "destination"]) {
    const value = text(name);
    if (value === undefined) {
      return {
        error:
          `field "${name}" must be a string of at most ${MAX_FIELD} characters`,
      };
    }
    out[name] = value;
  }
  const rawTtl = Object.hasOwn(fields, "ttl") ? fields.ttl : undefined;
  let ttl = DEFAULT_TTL;
  if (rawTtl !== undefined && rawTtl !== null) {
    if (typeof rawTtl !== "number" || !Number.isSafeInteger(rawTtl)) {
      return { error: 'field "ttl" must be a whole number of seconds' };
    }
    ttl = rawTtl;
  }
  return {
    request: {
      agent: out.agent!,
      key: out.key!,
      purpose: out.purpose!,
      destination: out.destination!,
      ttl,
    },
  };
}

/**
 * Decides a secret request. Authentication first, so a caller without a valid token
 * learns nothing about which secrets exist; then the request's own fields; then the
 * secret's policy. Decrypts the value only when every check passed.
 *
 * @param store The unlocked store, refreshed by the caller.
 * @param request The request.
 * @param token The bearer token presented, or `undefined`.
 * @param options TTL maximum and the environment fallback.
 * @returns The decision.
 */
export async function decide(
  store: KeeperStore,
  request: SecretRequest,
  token: string | undefined,
  options: PolicyOptions,
): Promise<Decision> {
  const authFailed = "agent not enrolled or token invalid";
  if (!token) return deny("missing bearer token");
  if (!request.agent) return deny("missing agent");
  const check = await store.checkAgent(request.agent, token);
  if (check === "unknown") return deny(authFailed, 403, "unknown agent");
  if (check === "bad-token") return deny(authFailed, 403, "wrong token");
  if (check === "revoked") return deny("agent revoked");
  if (!request.key) return deny("missing key");
  if (!request.purpose.trim()) return deny("missing purpose");
  if (request.ttl < 1) return deny("ttl must be at least 1 second");
  if (request.ttl > options.maxTtl) {
    return deny(`ttl over the maximum of ${options.maxTtl} seconds`);
  }
  const secret = store.secret(request.key);
  if (!secret) {
    if (options.envFallback) {
      const value = datumSecretEnv(request.key);
      if (value !== undefined) return { approved: true, value, source: "env" };
    }
    return deny("no such secret");
  }
  if (!secret.allowAgents.includes(request.agent)) {
    return deny("agent not allowed for this secret");
  }
  const destination = request.destination.toLowerCase();
  if (!destination) return deny("missing destination");
  if (!secret.allowDestinations.includes(destination)) {
    return deny("destination not allowed for this secret");
  }
  try {
    return {
      approved: true,
      value: await store.reveal(request.key),
      source: "store",
    };
  } catch {
    return deny("secret cannot be decrypted", 500);
  }
}

/**
 * A token bucket per agent: `rate` requests per second sustained, bursts of twice
 * that. Requests that name no enrolled agent share one bucket, so a flood of
 * made-up names cannot starve real agents or grow the table.
 */
export class RateLimiter {
  #rate: number;
  #burst: number;
  #buckets = new Map<string, { tokens: number; at: number }>();

  /**
   * Makes a limiter with every bucket full.
   *
   * @param rate Requests per second per agent.
   */
  constructor(rate: number) {
    this.#rate = rate;
    this.#burst = Math.max(1, rate * 2);
  }

  /**
   * Takes one token from `name`'s bucket.
   *
   * @param name The bucket: an enrolled agent's name, or a shared one.
   * @param now The time in milliseconds.
   * @returns Whether the request may proceed.
   */
  take(name: string, now: number = performance.now()): boolean {
    const bucket = this.#buckets.get(name) ?? { tokens: this.#burst, at: now };
    bucket.tokens = Math.min(
      this.#burst,
      bucket.tokens + (now - bucket.at) / 1000 * this.#rate,
    );
    bucket.at = now;
    this.#buckets.set(name, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
