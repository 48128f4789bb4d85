/**
 * Elasticsearch with security on: the project's client, built from `AIOPS_ES_*` variables through loadConfig, against
 * the real es-secure node (HTTPS on 9201, its own CA, the `elastic` user). This file starts the node itself
 * (`dev-stack.sh up es-secure`) and stops it afterwards, unless it was already running.
 *
 * Proves: user/password + CA file work (health, index, read back); a wrong password gets 401; without the CA file
 * the TLS verification fails before any HTTP status; an API key limited to one index works through
 * AIOPS_ES_API_KEY, gets 403 elsewhere and 401 once invalidated; the password can come from AIOPS_ES_PASSWORD_FILE.
 *
 * API keys need the `.security` index, which the integ-test-zip can only create with the analysis shim plugin
 * that dev-stack.sh installs into es-secure (docs/adr/0001-elasticsearch-8-from-maven-integ-test-zip.md).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '@aiops/common';
import { createElasticsearchClient, type Client } from '@aiops/common';
import { devStack, integrationRequired, STACK_DIR } from '../support/stack.ts';

const RUN = `it-sec-${randomBytes(3).toString('hex')}`;
const ALLOWED_INDEX = `${RUN}-allowed`;
const OTHER_INDEX = `${RUN}-other`;

interface SecureConnection {
  url: string;
  username: string;
  caFile: string;
  passwordFile: string;
}

/** <stack>/es-secure/connection.env, written by `dev-stack.sh up es-secure` once the node answers. */
function readConnectionEnv(): SecureConnection {
  const file = join(STACK_DIR, 'es-secure', 'connection.env');
  const vars: Record<string, string> = {};
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq > 0) vars[line.slice(0, eq)] = line.slice(eq + 1);
  }
  const need = (name: string): string => {
    const v = vars[name];
    if (!v) throw new Error(`${file}: ${name} missing`);
    return v;
  };
  return {
    url: need('AIOPS_SECURE_ES_URL'),
    username: need('AIOPS_SECURE_ES_USERNAME'),
    caFile: need('AIOPS_SECURE_ES_CA_FILE'),
    passwordFile: need('AIOPS_SECURE_ES_PASSWORD_FILE'),
  };
}

/** A client through the real config path: environment variables → loadConfig → createElasticsearchClient. */
function clientFrom(env: Record<string, string>): Client {
  const config = loadConfig({ env });
  return createElasticsearchClient(config.elasticsearch);
}

function execFailure(err: unknown): string {
  const e = err as { message?: string; stderr?: string; stdout?: string };
  const tail = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
  return tail || e.message || String(err);
}

describe('Elasticsearch client with security on (es-secure: TLS + auth, real node)', () => {
  let conn: SecureConnection | undefined;
  let password = '';
  let startedHere = false;
  const clients: Client[] = [];
  let admin: Client; // the elastic user + CA file; set once the node answers

  const track = (c: Client): Client => {
    clients.push(c);
    return c;
  };
  const userEnv = (over: Record<string, string> = {}): Record<string, string> => ({
    AIOPS_ES_URLS: conn!.url,
    AIOPS_ES_USERNAME: conn!.username,
    AIOPS_ES_PASSWORD: password,
    AIOPS_ES_CA_FILE: conn!.caFile,
    ...over,
  });

  beforeAll(async () => {
    try {
      const out = await devStack('up', 'es-secure');
      startedHere = !out.includes('already running');
      conn = readConnectionEnv();
    } catch (err) {
      const msg = `es-secure did not start (scripts/dev-stack.sh up es-secure):\n${execFailure(err)}`;
      if (integrationRequired) throw new Error(`${msg}\n(REQUIRE_INTEGRATION=1)`);
      console.warn(`\n!!! SKIPPING ES SECURITY INTEGRATION TESTS: ${msg}\n`);
      return;
    }
    password = readFileSync(conn.passwordFile, 'utf8').trim();
    admin = track(clientFrom(userEnv()));
  });

  beforeEach((ctx) => {
    if (!conn) ctx.skip();
  });

  afterAll(async () => {
    if (admin !== undefined) {
      try {
        await admin.indices.delete({ index: `${RUN}-*`, ignore_unavailable: true, allow_no_indices: true });
        await admin.security.invalidateApiKey({ name: RUN });
      } catch (err) {
        console.warn(`es-security test cleanup: ${(err as Error).message}`);
      }
    }
    await Promise.all(clients.map((c) => c.close()));
    // a node that was already running (someone's `up es-secure`) is left as it was
    if (startedHere) await devStack('down', 'es-secure');
  });

  it('user/password + CA file: cluster health answers, a document is indexed and read back', async () => {
    const health = await admin.cluster.health({ wait_for_status: 'yellow', timeout: '30s' });
    expect(health.cluster_name).toBe('aiops-secure');
    expect(['green', 'yellow']).toContain(health.status);

    const me = await admin.security.authenticate();
    expect(me).toMatchObject({ username: 'elastic', authentication_type: 'realm' });

    const doc = { '@timestamp': '2026-11-24T12:00:00Z', message: 'hello over TLS', run: RUN };
    const put = await admin.index({ index: `${RUN}-basic`, id: 'doc-1', document: doc, refresh: 'wait_for' });
    expect(put.result).toBe('created');
    const got = await admin.get<typeof doc>({ index: `${RUN}-basic`, id: 'doc-1' });
    expect(got.found).toBe(true);
    expect(got._source).toEqual(doc);
  });

  it('a wrong password is refused with 401', async () => {
    const wrong = track(clientFrom(userEnv({ AIOPS_ES_PASSWORD: `${password}-wrong` })));
    const err = await wrong.cluster.health().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ name: 'ResponseError', meta: { statusCode: 401 } });
    expect((err as { meta: { statusCode: number } }).meta.statusCode).toBe(401);
    expect(err).toMatchObject({ body: { error: { type: 'security_exception' } } });
  });

  it('without the CA file the TLS verification fails (a certificate error, not an HTTP status)', async () => {
    const env = userEnv();
    delete env.AIOPS_ES_CA_FILE;
    const noCa = track(clientFrom(env));
    const err = await noCa.cluster.health().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ name: 'ConnectionError' });
    // Node's verification message, e.g. "unable to verify the first certificate" or "self-signed certificate …"
    expect((err as Error).message).toMatch(/certificate/i);
    // no HTTP exchange took place: the transport reports status 0 (never 401)
    expect((err as { meta?: { statusCode?: number } }).meta?.statusCode ?? 0).toBe(0);
  });

  it('an API key limited to one index works through AIOPS_ES_API_KEY: 403 elsewhere, 401 once invalidated', async () => {
    const key = await admin.security.createApiKey({
      name: RUN,
      expiration: '1h',
      role_descriptors: {
        [`${RUN}-writer`]: {
          indices: [{ names: [ALLOWED_INDEX], privileges: ['create_index', 'write', 'read'] }],
        },
      },
    });
    expect(key.id).toBeTruthy();
    expect(key.api_key).toBeTruthy();
    expect(Buffer.from(key.encoded, 'base64').toString('utf8')).toBe(`${key.id}:${key.api_key}`);

    const withKey = track(clientFrom({ AIOPS_ES_URLS: conn!.url, AIOPS_ES_API_KEY: key.encoded, AIOPS_ES_CA_FILE: conn!.caFile }));
    const who = await withKey.security.authenticate();
    expect(who).toMatchObject({ authentication_type: 'api_key', api_key: { id: key.id, name: RUN } });

    const ok = await withKey.index({ index: ALLOWED_INDEX, id: 'k-1', document: { run: RUN, via: 'api key' }, refresh: 'wait_for' });
    expect(ok.result).toBe('created');
    expect((await withKey.get({ index: ALLOWED_INDEX, id: 'k-1' }))._source).toEqual({ run: RUN, via: 'api key' });

    const denied = await withKey.index({ index: OTHER_INDEX, id: 'k-2', document: { run: RUN } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(denied).toMatchObject({ name: 'ResponseError', meta: { statusCode: 403 }, body: { error: { type: 'security_exception' } } });
    expect(await admin.indices.exists({ index: OTHER_INDEX })).toBe(false);

    const inv = await admin.security.invalidateApiKey({ ids: [key.id] });
    expect(inv.invalidated_api_keys).toEqual([key.id]);
    expect(inv.error_count).toBe(0);

    const afterInvalidation = await withKey.security.authenticate().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(afterInvalidation).toMatchObject({ name: 'ResponseError', meta: { statusCode: 401 } });
  });

  it('the password can come from AIOPS_ES_PASSWORD_FILE', async () => {
    const env = userEnv({ AIOPS_ES_PASSWORD_FILE: conn!.passwordFile });
    delete env.AIOPS_ES_PASSWORD;
    const config = loadConfig({ env });
    // compared as a boolean so that a failure never prints the password
    expect(config.elasticsearch.password === password).toBe(true);

    const fromFile = track(createElasticsearchClient(config.elasticsearch));
    expect(await fromFile.security.authenticate()).toMatchObject({ username: 'elastic' });
    const health = await fromFile.cluster.health();
    expect(health.cluster_name).toBe('aiops-secure');
  });
});
