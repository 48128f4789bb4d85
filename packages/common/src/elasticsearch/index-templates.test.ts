import { describe, expect, it } from 'vitest';
import {
  buildIndexTemplates,
  dailyIndexName,
  dailyIndexPattern,
  DEFAULT_INDEX_PREFIXES,
  INDEX_FAMILIES,
  resolvePrefixes,
  CATCH_ALL_PRIORITY,
  TEMPLATE_PRIORITY,
} from './index-templates.ts';
import { findTemplateConflicts, patternsOverlap } from './template-conflicts.ts';

const templates = buildIndexTemplates({ numberOfShards: 1, numberOfReplicas: 0 });
const byFamily = Object.fromEntries(templates.map((t) => [t.family, t]));
const properties = (family: string) => byFamily[family]!.body.template.mappings.properties!;

describe('dailyIndexName', () => {
  it('names the UTC day of the date', () => {
    expect(dailyIndexName('logs-classified', new Date('2026-11-24T23:59:59.999Z'))).toBe('logs-classified-2026.11.24');
    expect(dailyIndexName('logs', '2026-01-05T00:00:00Z')).toBe('logs-2026.01.05');
    // 01:30 in UTC+2 is still the previous day in UTC.
    expect(dailyIndexName('zeek-conn', '2026-03-01T01:30:00+02:00')).toBe('zeek-conn-2026.02.28');
    expect(dailyIndexName('anomalies', Date.UTC(2027, 11, 31))).toBe('anomalies-2027.12.31');
  });

  it('refuses what is not a date', () => {
    expect(() => dailyIndexName('logs', 'yesterday')).toThrow(/logs.*not a date/);
  });

  it('is matched by the family pattern', () => {
    expect(patternsOverlap(dailyIndexPattern('logs'), dailyIndexName('logs', new Date()))).toBe(true);
  });
});

describe('patternsOverlap', () => {
  it.each([
    ['logs-2*', 'logs-2026.11.24', true],
    ['logs-2*', 'logs-classified-2026.11.24', false],
    ['logs-2*', 'logs-classified-2*', false],
    ['logs-*', 'logs-classified-2*', true],
    ['logs-*-*', 'logs-classified-2*', true],
    ['logs-*-*', 'logs-2*', true], // e.g. logs-2x-y; ours outranks it anyway
    ['zeek-conn-2*', 'zeek-dns-2*', false],
    ['*', 'anything', true],
    ['a*b', 'a*c', false],
    ['a*', '*b', true],
    ['abc', 'abc', true],
    ['abc', 'abd', false],
  ])('%s vs %s → %s', (a, b, expected) => {
    expect(patternsOverlap(a, b)).toBe(expected);
    expect(patternsOverlap(b, a)).toBe(expected);
  });
});

describe('index templates', () => {
  it('cover every family of the contract, named aiops-<prefix> (never the built-in name "logs")', () => {
    expect(templates.map((t) => t.name)).toEqual([
      'aiops-logs',
      'aiops-logs-classified',
      'aiops-zeek-conn',
      'aiops-zeek-dns',
      'aiops-zeek-http',
      'aiops-zeek-ssl',
      'aiops-zeek-weird',
      'aiops-zeek-files',
      'aiops-zeek-notice',
      'aiops-zeek-x509',
      'aiops-zeek-dhcp',
      'aiops-zeek-ntp',
      'aiops-zeek-other',
      'aiops-anomalies',
      'aiops-forecasts',
      'aiops-log-reviews',
    ]);
    expect(INDEX_FAMILIES).toHaveLength(16);
  });

  it('map every other Zeek path through one catch-all below the families of their own: strings as keywords', () => {
    const other = byFamily.zeekOther!.body;
    expect(other.index_patterns).toEqual(['zeek-*-2*']);
    expect(other.priority).toBe(CATCH_ALL_PRIORITY);
    expect(other.priority).toBeGreaterThan(100);
    expect(other.priority).toBeLessThan(TEMPLATE_PRIORITY);
    for (const name of ['zeek-known_hosts-2026.12.03', 'zeek-files-2026.12.03', 'zeek-conn-2026.12.03']) {
      expect(patternsOverlap(other.index_patterns[0]!, name)).toBe(true);
    }
    // …where zeek-files and zeek-conn have their own, higher template: theirs wins
    expect(patternsOverlap(byFamily.zeekFiles!.body.index_patterns[0]!, 'zeek-files-2026.12.03')).toBe(true);
    expect(other.template.mappings).toMatchObject({
      dynamic: true,
      date_detection: false,
      dynamic_templates: [{ zeek_strings_as_keywords: { match_mapping_type: 'string', mapping: { type: 'keyword', ignore_above: 1024 } } }],
    });
    expect(properties('zeekX509')).toMatchObject({ 'certificate.not_valid_after': { type: 'date' }, 'san.ip': { type: 'ip' } });
    expect(properties('zeekDhcp')).toMatchObject({ assigned_addr: { type: 'ip' }, lease_time: { type: 'double' } });
  });

  it('outrank the built-in logs-*-* template (priority 100) and never overlap each other at one priority', () => {
    for (const t of templates) expect(t.body.priority).toBeGreaterThan(100);
    expect(findTemplateConflicts(templates.map((t) => ({ name: t.name, ...t.body })))).toEqual([]);
  });

  it('raw logs do not catch logs-classified, and logs-classified outranks the built-in data-stream template', () => {
    expect(patternsOverlap(byFamily.logs!.body.index_patterns[0]!, 'logs-classified-2026.11.24')).toBe(false);
    expect(patternsOverlap(byFamily.logsClassified!.body.index_patterns[0]!, 'logs-classified-2026.11.24')).toBe(true);
    const builtIn = { name: 'logs', index_patterns: ['logs-*-*'], priority: 100 };
    expect(findTemplateConflicts([builtIn, { name: 'x', ...byFamily.logsClassified!.body }])).toEqual([
      'template logs: priority 100 does not outrank the built-in templates (≤ 100)',
    ]);
  });

  it('flags two of ours that overlap at one priority, and a priority at or below the built-ins', () => {
    const problems = findTemplateConflicts([
      { name: 'raw', index_patterns: ['logs-*'], priority: TEMPLATE_PRIORITY },
      { name: 'classified', index_patterns: ['logs-classified-*'], priority: TEMPLATE_PRIORITY },
      { name: 'low', index_patterns: ['forecasts-*'], priority: 100 },
    ]);
    expect(problems).toEqual([
      'template low: priority 100 does not outrank the built-in templates (≤ 100)',
      `templates raw (logs-*) and classified (logs-classified-*) overlap at the same priority ${TEMPLATE_PRIORITY}`,
    ]);
  });

  it('map the contract fields with plain types', () => {
    expect(properties('logs')).toMatchObject({
      '@timestamp': { type: 'date' },
      'host.name': { type: 'keyword' },
      'log.source': { type: 'keyword' },
      severity: { type: 'keyword' },
      service: { type: 'keyword' },
      pid: { type: 'long' },
      message: { type: 'text' },
    });
    expect(properties('logsClassified')).toMatchObject({
      message: { type: 'text' },
      ml_category: { type: 'keyword' },
      ml_confidence: { type: 'float' },
      ml_model_version: { type: 'keyword' },
      ml_review: { type: 'boolean' },
      ml_rule: { type: 'keyword' },
    });
    expect(properties('zeekConn')).toMatchObject({
      'id.orig_h': { type: 'ip' },
      'id.orig_p': { type: 'long' },
      'id.resp_h': { type: 'ip' },
      'id.resp_p': { type: 'long' },
      uid: { type: 'keyword' },
      duration: { type: 'double' },
      orig_bytes: { type: 'long' },
      conn_state: { type: 'keyword' },
    });
    expect(properties('anomalies')).toMatchObject({ anomaly_score: { type: 'float' }, model_version: { type: 'keyword' }, explanation: { enabled: false } });
    expect(properties('forecasts')).toMatchObject({ target_time: { type: 'date' }, yhat_upper_95: { type: 'double' }, run_id: { type: 'keyword' } });
    const types = templates.flatMap((t) => Object.values(t.body.template.mappings.properties!).map((p) => p.type));
    // Only core types: the minimal distribution has no mapper-extras (match_only_text, search_as_you_type, …).
    expect(new Set(types)).toEqual(new Set(['date', 'keyword', 'long', 'text', 'float', 'boolean', 'ip', 'double', 'object']));
  });

  it('keep unknown fields of outside records unmapped (dynamic false) and refuse them in our own forecasts (strict)', () => {
    expect(byFamily.logs!.body.template.mappings.dynamic).toBe(false);
    expect(byFamily.zeekConn!.body.template.mappings.dynamic).toBe(false);
    expect(byFamily.forecasts!.body.template.mappings.dynamic).toBe('strict');
  });

  it('take shards and replicas from the config, attach an ILM policy only when given, and carry _meta', () => {
    const withIlm = buildIndexTemplates({ numberOfShards: 3, numberOfReplicas: 1, lifecyclePolicy: 'p' });
    expect(withIlm[0]!.body.template.settings).toEqual({ number_of_shards: 3, number_of_replicas: 1, 'index.lifecycle.name': 'p' });
    expect(templates[0]!.body.template.settings).toEqual({ number_of_shards: 1, number_of_replicas: 0 });
    expect(templates[0]!.body._meta).toMatchObject({ managed_by: 'aiops', version: 1, family: 'logs' });
  });

  it('follow configured prefixes, defaulting to the contract', () => {
    const custom = buildIndexTemplates({ numberOfShards: 1, numberOfReplicas: 0, prefixes: { logs: 'it-x-logs', logsClassified: 'it-x-logs-classified' } });
    expect(custom[0]).toMatchObject({ name: 'aiops-it-x-logs', body: { index_patterns: ['it-x-logs-2*'] } });
    expect(custom[1]!.body.index_patterns).toEqual(['it-x-logs-classified-2*']);
    expect(custom[2]!.body.index_patterns).toEqual([`${DEFAULT_INDEX_PREFIXES.zeekConn}-2*`]);
    expect(() => resolvePrefixes({ logs: 'Logs*' })).toThrow(/prefix for logs/);
  });
});
