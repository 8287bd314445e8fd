/**
 * `SecretProxy`: how an agent, or one of datum's own commands, asks the keeper for a
 * secret. It never falls back to the environment: a denial is an error.
 *
 * @module
 */

import { DatumError, ExitCode } from "../../core/errors.ts";

/** Options of {@linkcode SecretProxy}. */
export interface SecretProxyOptions {
  /** The keeper's URL, e.g. `http://127.0.0.1:7742`. */
  url: string;
  /** The agent's enrolled name. */
  agent: string;
  /** The token `datum keeper enroll` printed for it. */
  token: string;
}

/** What a secret is wanted for. */
export interface SecretRequestOptions {
  /** What it will be used for, in words; required. */
  purpose: string;
  /** The host it will be sent to; must be in the secret's allow-list. */
  destination: string;
  /** How long the agent will keep it, in seconds (the keeper's default: 300). */
  ttl?: number;
  /** Cancels the request. */
  signal?: AbortSignal;
}

/** A released secret. */
export interface SecretGrant {
  /** The value. */
  value: string;
  /** Seconds the agent may keep it. */
  ttl: number;
  /** When it must be forgotten (ISO 8601). */
  expiresAt: string;
}

/**
 * A client of the keeper's HTTP API for one enrolled agent.
 *
 * @example Fetch a token to call GitHub
 * ```ts ignore
 * const proxy = new SecretProxy({ url: "http://127.0.0.1:7742", agent: "scout", token });
 * const pat = await proxy.get("github_pat", { purpose: "list repositories", destination: "api.github.com" });
 * ```
 */
export class SecretProxy {
  #url: string;
  #agent: string;
  #token: string;

  /**
   * Makes a client; nothing is sent until {@linkcode SecretProxy.get}.
   *
   * @param options The keeper's URL, the agent's name and token.
   */
  constructor(options: SecretProxyOptions) {
    this.#url = options.url.replace(/\/+$/, "");
    this.#agent = options.agent;
    this.#token = options.token;
  }

  /**
   * Asks for a secret's value.
   *
   * @param key The secret's name.
   * @param options Purpose, destination, TTL.
   * @returns The value.
   * @throws {DatumError} `secret_denied` (exit 1) with the keeper's reason,
   *   `keeper_unavailable` (exit 6) when the keeper cannot be reached.
   */
  async get(key: string, options: SecretRequestOptions): Promise<string> {
    return (await this.request(key, options)).value;
  }

  /**
   * Asks for a secret, with its TTL and expiry.
   *
   * @param key The secret's name.
   * @param options Purpose, destination, TTL.
   * @returns The grant.
   * @throws {DatumError} As {@linkcode SecretProxy.get}.
   */
  async request(
    key: string,
    options: SecretRequestOptions,
  ): Promise<SecretGrant> {
    let response: Response;
    try {
      response = await fetch(`${this.#url}/api/secrets/get`, {
        method: "POST",
        headers: {
          "authorization": `Bearer ${this.#token}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({
          agent: this.#agent,
          key,
          purpose: options.purpose,
          destination: options.destination,
          ...(options.ttl === undefined ? {} : { ttl: options.ttl }),
        }),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (cause) {
      if (cause instanceof Deno.errors.NotCapable) throw cause;
      throw new DatumError(`Cannot reach the keeper at ${this.#url}`, {
        code: "keeper_unavailable",
        exitCode: ExitCode.Unavailable,
        hint: "start it with `datum keeper serve`",
        cause,
      });
    }
    let body: Record<string, unknown> = {};
    try {
      body = await response.json();
    } catch {
      // Reported below with the status.
    }
    if (
      response.ok && body.approved === true && typeof body.value === "string"
    ) {
      return {
        value: body.value,
        ttl: Number(body.ttl),
        expiresAt: String(body.expires_at),
      };
    }
    const reason = typeof body.reason === "string"
      ? body.reason
      : typeof body.error === "string"
      ? body.error
      : `HTTP ${response.status}`;
    throw new DatumError(`Keeper denied secret "${key}": ${reason}`, {
      code: "secret_denied",
      exitCode: response.status === 503
        ? ExitCode.Unavailable
        : ExitCode.Failure,
      hint: "ask the operator to allow this agent and destination",
    });
  }
}
