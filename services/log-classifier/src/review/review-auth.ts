/**
 * Who may use the review page: whoever knows the token (from a file or the environment, never the repository).
 * The login form trades it for a session cookie (HttpOnly, SameSite=Strict) that carries the reviewer's name and an
 * HMAC of it keyed by the token, so the cookie proves the token without holding it, and every comparison is in
 * constant time. Writes must also be same-origin (Origin / Sec-Fetch-Site) and carry a CSRF token.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Below this a token can be guessed within the rate limit's patience. */
const MIN_TOKEN_CHARS = 16;

export class TokenError extends Error {}

export function validateToken(token: string | undefined, where: string): string {
  const t = token?.trim();
  if (!t) throw new TokenError(`no review token: set review.token in the config, AIOPS_REVIEW_TOKEN or AIOPS_REVIEW_TOKEN_FILE (${where})`);
  if (t.length < MIN_TOKEN_CHARS) throw new TokenError(`the review token (${where}) has ${t.length} characters; use at least ${MIN_TOKEN_CHARS} (e.g. openssl rand -hex 24)`);
  return t;
}

/** Equal strings in time independent of where they differ (digests first: timingSafeEqual needs equal lengths). */
export function constantTimeEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** A key for one purpose, derived from the token, so no two uses share a key and none is the token. */
export function derivedKey(token: string, purpose: string): Buffer {
  return createHmac('sha256', token).update(`aiops-review:${purpose}`).digest();
}

const REVIEWER = /^[\p{L}\p{N}][\p{L}\p{N} ._@-]{0,63}$/u;

export function validReviewer(name: unknown): name is string {
  return typeof name === 'string' && REVIEWER.test(name);
}

export function sessionCookieValue(token: string, reviewer: string): string {
  const mac = createHmac('sha256', derivedKey(token, 'session')).update(reviewer).digest('base64url');
  return `${Buffer.from(reviewer, 'utf8').toString('base64url')}.${mac}`;
}

/** The reviewer a session cookie names, or null when it was not made with this token. */
export function verifySessionCookie(token: string, value: string | undefined): string | null {
  if (!value) return null;
  const dot = value.indexOf('.');
  if (dot <= 0) return null;
  const reviewer = Buffer.from(value.slice(0, dot), 'base64url').toString('utf8');
  if (!validReviewer(reviewer)) return null;
  return constantTimeEqual(sessionCookieValue(token, reviewer), value) ? reviewer : null;
}

export interface RequestOrigin {
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
}

/**
 * A request another site made the browser send. Browsers send Sec-Fetch-Site on every request and Origin on every
 * POST; a tool without them (curl) holds no ambient cookie a third party could ride on.
 */
export function isCrossSite(req: RequestOrigin): boolean {
  // Sec-Fetch-Site is set by the browser alone (no page can forge it): when present it decides. Origin is the
  // fallback, and may be "null" on a same-origin form post under a strict Referrer-Policy.
  if (req.secFetchSite !== undefined) return req.secFetchSite !== 'same-origin' && req.secFetchSite !== 'none';
  if (req.origin !== undefined) {
    try {
      // Both through URL, which drops a default port (http://localhost:80 and Host localhost:80 are one origin).
      const origin = new URL(req.origin);
      const own = new URL(`${origin.protocol}//${req.host ?? ''}`);
      if (origin.host !== own.host) return true;
    } catch {
      return true; // "null" (sandboxed frames, file://), a missing Host and anything unparsable
    }
  }
  return false;
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * On a loopback listener only loopback Host names are served: a DNS-rebinding page (evil.example resolving to
 * 127.0.0.1) then gets 421 instead of the page.
 */
export function hostAllowed(hostHeader: string | undefined, loopbackOnly: boolean): boolean {
  if (!loopbackOnly) return true;
  if (!hostHeader) return false;
  const name = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.split(':')[0]!;
  return LOOPBACK_NAMES.has(name.toLowerCase());
}
