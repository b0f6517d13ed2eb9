import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** 32 random bytes as hex: the secret in the URL, as Jupyter's token. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** The cookie that carries the token after the first page load; named per port so two servers on one machine do not clash. */
export function tokenCookieName(port: number): string {
  return `sagan_studio_token_${port}`;
}

export function tokenCookie(port: number, token: string): string {
  return `${tokenCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

export interface Refusal {
  status: 401 | 403;
  message: string;
}

/**
 * Who may talk to the server: requests addressed to this port on loopback by name (Host header, against
 * DNS rebinding), from no page or one of ours (Origin, against other sites driving the API), carrying the
 * token (query, cookie or "Authorization: token …").
 */
export class AccessPolicy {
  private readonly hosts: Set<string>;
  private readonly origins: Set<string>;
  private readonly tokenBytes: Buffer;

  constructor(
    readonly port: number,
    readonly token: string,
    bindHost: string,
  ) {
    const names = new Set(['127.0.0.1', 'localhost', bindHost.includes(':') ? `[${bindHost}]` : bindHost]);
    this.hosts = new Set([...names].map((n) => `${n}:${port}`));
    this.origins = new Set([...this.hosts].map((h) => `http://${h}`));
    this.tokenBytes = Buffer.from(token);
  }

  /** ws:// addresses the page may connect to, for the Content-Security-Policy. */
  get socketSources(): string[] {
    return [...this.hosts].map((h) => `ws://${h}`);
  }

  /** Why the request is refused, or null when it may go on. */
  check(req: IncomingMessage, url: URL): Refusal | null {
    const host = req.headers.host?.toLowerCase();
    if (!host || !this.hosts.has(host))
      return {
        status: 403,
        message: `Forbidden: this server only answers requests addressed to 127.0.0.1:${this.port} or localhost:${this.port}.`,
      };
    const origin = req.headers.origin;
    if (origin !== undefined && !this.origins.has(origin.toLowerCase()))
      return { status: 403, message: `Forbidden: requests from ${origin} are not allowed.` };
    if (!this.hasToken(req, url))
      return { status: 401, message: 'Unauthorized: open the address with ?token=… that sagan-studio serve printed.' };
    return null;
  }

  /** True when the token came in the query (so the page should set the cookie). */
  tokenInQuery(url: URL): boolean {
    return this.matches(url.searchParams.get('token'));
  }

  private hasToken(req: IncomingMessage, url: URL): boolean {
    if (this.tokenInQuery(url)) return true;
    if (this.matches(readCookie(req.headers.cookie, tokenCookieName(this.port)))) return true;
    const auth = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    return this.matches(auth?.[1] ?? null);
  }

  private matches(candidate: string | null | undefined): boolean {
    if (!candidate) return false;
    const bytes = Buffer.from(candidate);
    return bytes.length === this.tokenBytes.length && timingSafeEqual(bytes, this.tokenBytes);
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
