import { describe, expect, it } from 'vitest';
import { constantTimeEqual, hostAllowed, isCrossSite, sessionCookieValue, validateToken, validReviewer, verifySessionCookie } from './review-auth.ts';

const TOKEN = 'a-test-token-of-24-chars';

describe('review auth', () => {
  it('wants a token of at least 16 characters, and says where to put it', () => {
    expect(() => validateToken(undefined, 'env')).toThrow(/AIOPS_REVIEW_TOKEN_FILE/);
    expect(() => validateToken('short', 'env')).toThrow(/at least 16/);
    expect(validateToken(`  ${TOKEN}\n`, 'file')).toBe(TOKEN);
  });

  it('compares tokens of any length without throwing', () => {
    expect(constantTimeEqual(TOKEN, TOKEN)).toBe(true);
    expect(constantTimeEqual(TOKEN, `${TOKEN}x`)).toBe(false);
    expect(constantTimeEqual('', TOKEN)).toBe(false);
  });

  it('a session cookie names its reviewer and holds only with the token that made it', () => {
    const cookie = sessionCookieValue(TOKEN, 'ana');
    expect(cookie).not.toContain(TOKEN);
    expect(verifySessionCookie(TOKEN, cookie)).toBe('ana');
    expect(verifySessionCookie('another-token-of-24-chars', cookie)).toBeNull();
    // Another name with the first one's MAC: refused.
    const forged = `${Buffer.from('bob').toString('base64url')}.${cookie.split('.')[1]}`;
    expect(verifySessionCookie(TOKEN, forged)).toBeNull();
    expect(verifySessionCookie(TOKEN, undefined)).toBeNull();
    expect(verifySessionCookie(TOKEN, 'garbage')).toBeNull();
  });

  it('accepts plain reviewer names only', () => {
    expect(validReviewer('Ana María')).toBe(true);
    expect(validReviewer('ops@example')).toBe(true);
    expect(validReviewer('<script>')).toBe(false);
    expect(validReviewer('')).toBe(false);
    expect(validReviewer('x'.repeat(65))).toBe(false);
  });

  it('tells cross-site requests from same-origin ones', () => {
    const host = '127.0.0.1:8790';
    expect(isCrossSite({ host, origin: 'http://127.0.0.1:8790', secFetchSite: 'same-origin' })).toBe(false);
    expect(isCrossSite({ host, origin: undefined, secFetchSite: undefined })).toBe(false); // curl: no ambient cookie
    expect(isCrossSite({ host, origin: 'http://evil.example', secFetchSite: undefined })).toBe(true);
    expect(isCrossSite({ host, origin: 'http://127.0.0.1:8791', secFetchSite: 'same-site' })).toBe(true);
    expect(isCrossSite({ host, origin: undefined, secFetchSite: 'cross-site' })).toBe(true);
    expect(isCrossSite({ host, origin: 'null', secFetchSite: undefined })).toBe(true);
    expect(isCrossSite({ host, origin: 'null', secFetchSite: 'same-origin' })).toBe(false); // a form post under no-referrer
    expect(isCrossSite({ host: 'localhost:80', origin: 'http://localhost', secFetchSite: undefined })).toBe(false);
    expect(isCrossSite({ host: undefined, origin: 'http://localhost', secFetchSite: undefined })).toBe(true);
  });

  it('on loopback, serves loopback Host names only (DNS rebinding)', () => {
    expect(hostAllowed('127.0.0.1:8790', true)).toBe(true);
    expect(hostAllowed('localhost:8790', true)).toBe(true);
    expect(hostAllowed('[::1]:8790', true)).toBe(true);
    expect(hostAllowed('evil.example:8790', true)).toBe(false);
    expect(hostAllowed(undefined, true)).toBe(false);
    expect(hostAllowed('review.lan:8790', false)).toBe(true);
  });
});
