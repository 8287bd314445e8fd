/**
 * The keeper's HTTP API: datum 0.3's routes under `/api/`, each but `/api/health`
 * behind a bearer token. Agents ask for secrets with their own token; everything
 * else needs the admin token.
 *
 * Every answer is JSON. Statuses: 200 ok, 400 malformed request, 401 missing or
 * wrong token on an admin route, 403 secret request denied, 404 unknown route or
 * secret, 405 wrong method (with `Allow`), 413 body over the limit, 429 over the
 * agent's rate (with `Retry-After`), 503 audit log unavailable, 500 anything else.
 *
 * @module
 */

import type { AuditEvent, AuditLog } from "./audit.ts";
import { readAudit } from "./audit.ts";
import {
  decide,
  DEFAULT_MAX_TTL,
  DEFAULT_RATE,
  parseSecretRequest,
  RateLimiter,
  type SecretRequest,
} from "./policy.ts";
import type { KeeperStore, SetSecretOptions } from "./store.ts";

/** The keeper's default address. */
export const DEFAULT_LISTEN = "127.0.0.1:7742";
/** The largest request body the keeper reads, in bytes. */
export const DEFAULT_MAX_BODY = 64 * 1024;
const SHARED_BUCKET = "\0unenrolled";
// After a refused body the connection closes: otherwise the server would go on
// reading (and discarding) whatever the client keeps sending.
const CLOSE = { connection: "close" };

/** Options of {@linkcode keeperHandler} and {@linkcode serveKeeper}. */
export interface KeeperServerOptions {
  /** The longest TTL a request may ask for, in seconds (3600). */
  maxTtl?: number;
  /** Sustained secret requests per second per agent (20; bursts of twice that). */
  rate?: number;
  /** Serve secrets missing from the store from `DATUM_SECRET_<KEY>` (off). */
  envFallback?: boolean;
  /** The largest request body, in bytes (64 KiB). */
  maxBody?: number;
  /** Receives one line per request (method, path, status, agent, key): never a value. */
  log?: (line: string) => void;
}

/** Options of {@linkcode serveKeeper}. */
export interface ServeOptions extends KeeperServerOptions {
  /** The address to bind (127.0.0.1). */
  hostname?: string;
  /** The port to bind (7742; 0 lets the system choose). */
  port?: number;
  /** Stops the server when aborted. */
  signal?: AbortSignal;
}

/** A running keeper. */
export interface KeeperServer extends AsyncDisposable {
  /** The address it listens on. */
  addr: Deno.NetAddr;
  /** `http://host:port`. */
  url: string;
  /** Resolves when the server has stopped. */
  finished: Promise<void>;
  /** Stops accepting requests and waits for those in flight. */
  shutdown(): Promise<void>;
}

/** A request handler, as `Deno.serve` takes it. */
export type KeeperHandler = (request: Request) => Promise<Response>;

interface Route {
  method: "GET" | "POST";
  admin: boolean;
  handle(request: Request, url: URL): Promise<Response>;
}

function json(
  status: number,
  value: unknown,
  headers: HeadersInit = {},
): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: {
      "content-type": "application/json",
      "cache-control": "no-store",
      ...headers,
    },
  });
}

function bearer(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  const match = header ? /^Bearer ([\x21-\x7e]{1,512})$/.exec(header) : null;
  return match?.[1];
}

class TooLarge extends Error {}

/** Reads the body, stopping as soon as it passes `limit` bytes. */
async function readBody(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) {
    await request.body?.cancel().catch(() => {});
    throw new TooLarge();
  }
  if (!request.body) return "";
  // A declared length is enforced by the HTTP layer: one read suffices.
  if (request.headers.has("content-length")) return await request.text();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * The keeper's request handler, for `Deno.serve` or a test.
 *
 * @param store The unlocked store.
 * @param audit The open audit log.
 * @param options Limits and the environment fallback.
 * @returns The handler.
 *
 * @example
 * ```ts ignore
 * Deno.serve({ hostname: "127.0.0.1", port: 7742 }, keeperHandler(store, audit));
 * ```
 */
export function keeperHandler(
  store: KeeperStore,
  audit: AuditLog,
  options: KeeperServerOptions = {},
): KeeperHandler {
  const maxBody = options.maxBody ?? DEFAULT_MAX_BODY;
  const maxTtl = options.maxTtl ?? DEFAULT_MAX_TTL;
  const envFallback = options.envFallback ?? false;
  const limiter = new RateLimiter(options.rate ?? DEFAULT_RATE);
  const log = options.log;

  async function admin(request: Request): Promise<Response | undefined> {
    const token = bearer(request);
    if (!token) {
      return json(401, { error: "missing bearer token" }, {
        "www-authenticate": "Bearer",
      });
    }
    await store.refresh();
    if (!await store.checkAdmin(token)) {
      return json(401, { error: "invalid token" }, {
        "www-authenticate": "Bearer",
      });
    }
    return undefined;
  }

  async function body(request: Request): Promise<Record<string, unknown>> {
    const text = await readBody(request, maxBody);
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new SyntaxError("the body must be a JSON object");
    }
    return value as Record<string, unknown>;
  }

  /** Audits an admin change first; no change when the record cannot be written. */
  async function audited(event: AuditEvent): Promise<Response | undefined> {
    try {
      await audit.append(event);
      return undefined;
    } catch {
      return json(503, { error: "audit log unavailable" });
    }
  }

  async function secretRequest(request: Request): Promise<Response> {
    const token = bearer(request);
    let parsed: SecretRequest | undefined;
    let failure: { status: number; reason: string } | undefined;
    try {
      const result = parseSecretRequest(
        JSON.parse(await readBody(request, maxBody)),
      );
      if ("error" in result) failure = { status: 400, reason: result.error };
      else parsed = result.request;
    } catch (error) {
      failure = error instanceof TooLarge
        ? { status: 413, reason: `body over ${maxBody} bytes` }
        : { status: 400, reason: "malformed JSON" };
    }
    await store.refresh();
    const enrolled = parsed &&
      store.agents().some((a) => a.name === parsed!.agent);
    if (!limiter.take(enrolled ? parsed!.agent : SHARED_BUCKET)) {
      return json(429, { approved: false, reason: "rate limit exceeded" }, {
        "retry-after": "1",
      });
    }
    const decision = parsed
      ? await decide(store, parsed, token, { maxTtl, envFallback })
      : undefined;
    const approved = decision?.approved === true;
    const event: AuditEvent = {
      event: "secret.request",
      actor: parsed?.agent || null,
      key: parsed?.key || null,
      purpose: parsed?.purpose || null,
      destination: parsed?.destination || null,
      ttl: parsed?.ttl ?? null,
      approved,
      reason: failure?.reason ??
        (decision?.approved === false ? decision.auditReason : "ok"),
      ...(decision?.approved ? { source: decision.source } : {}),
    };
    try {
      await audit.append(event);
    } catch {
      return json(503, { approved: false, reason: "audit log unavailable" });
    }
    if (failure) {
      return json(failure.status, {
        approved: false,
        reason: failure.reason,
        error: failure.reason,
      }, failure.status === 413 ? CLOSE : {});
    }
    if (!decision!.approved) {
      return json(decision!.status, {
        approved: false,
        reason: decision!.reason,
      });
    }
    const ttl = parsed!.ttl;
    return json(200, {
      approved: true,
      value: decision!.value,
      ttl,
      expires_at: new Date(Date.now() + ttl * 1000).toISOString(),
    });
  }

  const routes: Record<string, Route> = {
    "/api/health": {
      method: "GET",
      admin: false,
      handle: () => Promise.resolve(json(200, { status: "ok" })),
    },
    "/api/secrets/get": {
      method: "POST",
      admin: false,
      handle: secretRequest,
    },
    "/api/agents": {
      method: "GET",
      admin: true,
      handle: () =>
        Promise.resolve(json(200, {
          agents: store.agents().map((a) => ({
            name: a.name,
            enrolled_at: a.enrolledAt,
            revoked: a.revokedAt !== undefined,
            revoked_at: a.revokedAt ?? null,
          })),
        })),
    },
    "/api/agents/register": {
      method: "POST",
      admin: true,
      handle: async (request) => {
        const fields = await body(request);
        const name = fields.agent ?? fields.name;
        if (typeof name !== "string") {
          return json(400, { error: 'field "agent" must be a string' });
        }
        const refused = await audited({
          event: "agent.enroll",
          actor: "admin",
          agent: name,
          approved: true,
        });
        if (refused) return refused;
        const token = await store.enroll(name);
        return json(200, { agent: name, token });
      },
    },
    "/api/secrets": {
      method: "GET",
      admin: true,
      handle: () =>
        Promise.resolve(json(200, {
          secrets: store.secrets().map((s) => ({
            key: s.key,
            description: s.description,
            allow_agents: s.allowAgents,
            allow_destinations: s.allowDestinations,
            created_at: s.createdAt,
            updated_at: s.updatedAt,
          })),
        })),
    },
    "/api/secrets/set": {
      method: "POST",
      admin: true,
      handle: async (request) => {
        const fields = await body(request);
        const { key, value, description } = fields;
        const agents = fields.allow_agents;
        const destinations = fields.allow_destinations;
        const list = (v: unknown): v is string[] =>
          Array.isArray(v) && v.every((s) => typeof s === "string");
        if (
          typeof key !== "string" || typeof value !== "string" ||
          (description !== undefined && typeof description !== "string") ||
          (agents !== undefined && !list(agents)) ||
          (destinations !== undefined && !list(destinations))
        ) {
          return json(400, {
            error:
              'fields "key" and "value" must be strings, "allow_agents" and "allow_destinations" lists of strings',
          });
        }
        const refused = await audited({
          event: "secret.set",
          actor: "admin",
          key,
          approved: true,
        });
        if (refused) return refused;
        const policy: SetSecretOptions = {
          ...(description === undefined ? {} : { description }),
          ...(agents === undefined ? {} : { allowAgents: agents }),
          ...(destinations === undefined
            ? {}
            : { allowDestinations: destinations }),
        };
        await store.setSecret(key, value, policy);
        return json(200, { ok: true, key });
      },
    },
    "/api/secrets/delete": {
      method: "POST",
      admin: true,
      handle: async (request) => {
        const { key } = await body(request);
        if (typeof key !== "string") {
          return json(400, { error: 'field "key" must be a string' });
        }
        if (!store.secret(key)) return json(404, { error: "no such secret" });
        const refused = await audited({
          event: "secret.remove",
          actor: "admin",
          key,
          approved: true,
        });
        if (refused) return refused;
        await store.removeSecret(key);
        return json(200, { ok: true, key });
      },
    },
    "/api/audit": {
      method: "GET",
      admin: true,
      handle: async (_request, url) => {
        const tail = Number(url.searchParams.get("tail") ?? "100");
        if (!Number.isSafeInteger(tail) || tail < 0) {
          return json(400, { error: '"tail" must be a whole number' });
        }
        return json(200, { records: await readAudit(audit.path, { tail }) });
      },
    },
  };

  async function route(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const entry = Object.hasOwn(routes, url.pathname)
      ? routes[url.pathname]
      : undefined;
    if (!entry) return json(404, { error: "no such route" });
    if (request.method !== entry.method) {
      return json(405, { error: `use ${entry.method}` }, {
        allow: entry.method,
      });
    }
    if (entry.admin) {
      const refused = await admin(request);
      if (refused) return refused;
    }
    try {
      return await entry.handle(request, url);
    } catch (error) {
      if (error instanceof TooLarge) {
        return json(413, { error: `body over ${maxBody} bytes` }, CLOSE);
      }
      if (error instanceof SyntaxError) {
        return json(400, { error: "malformed JSON" });
      }
      if (error instanceof Error && "exitCode" in error) {
        // A DatumError: its message names keys and agents, never values.
        const status = error.exitCode === 4 ? 404 : 400;
        return json(status, { error: error.message });
      }
      throw error;
    }
  }

  return async (request: Request): Promise<Response> => {
    const started = performance.now();
    let response: Response;
    try {
      response = await route(request);
    } catch (error) {
      const detail = error instanceof Error ? error.name : "error";
      log?.(`internal error: ${detail}`);
      response = json(500, { error: "internal error" });
    }
    if (log) {
      const path = new URL(request.url).pathname.slice(0, 100);
      log(
        `${request.method.slice(0, 10)} ${
          JSON.stringify(path)
        } ${response.status} ${(performance.now() - started).toFixed(2)}ms`,
      );
    }
    return response;
  };
}

/**
 * Serves the keeper's API until `signal` aborts or `shutdown()` is called.
 *
 * @param store The unlocked store.
 * @param audit The open audit log; the caller closes it after the server stops.
 * @param options Address, limits and the environment fallback.
 * @returns The running server.
 *
 * @example
 * ```ts ignore
 * await using server = await serveKeeper(store, audit, { port: 0 });
 * console.log(server.url);
 * ```
 */
export function serveKeeper(
  store: KeeperStore,
  audit: AuditLog,
  options: ServeOptions = {},
): Promise<KeeperServer> {
  const handler = keeperHandler(store, audit, options);
  try {
    const server = Deno.serve({
      hostname: options.hostname ?? "127.0.0.1",
      port: options.port ?? 7742,
      ...(options.signal ? { signal: options.signal } : {}),
      // The caller prints the address; Deno's own "Listening on" line goes nowhere.
      onListen: () => {},
      onError: () => json(500, { error: "internal error" }),
    }, handler);
    const addr = server.addr;
    return Promise.resolve({
      addr,
      url: `http://${addr.hostname}:${addr.port}`,
      finished: server.finished,
      shutdown: () => server.shutdown(),
      [Symbol.asyncDispose]: () => server.shutdown(),
    });
  } catch (error) {
    return Promise.reject(error);
  }
}
