/**
 * The committed dashboards validate against JSON schemas derived from the SDK's own TypeScript types
 * (ts-json-schema-generator over @grafana/grafana-foundation-sdk's .d.ts, checked with ajv): the dashboard, every
 * target against its datasource's query type, and every panel's options against its panel type's Options.
 * A stray or misspelled property fails (additionalProperties: false).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { createGenerator } from 'ts-json-schema-generator';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS } from './index.ts';

const require = createRequire(import.meta.url);
const REPO_ROOT = new URL('../../../../', import.meta.url).pathname;

/** A validator for `type` of one SDK module (its types.gen.d.ts; the exports map hides dist/ from imports). */
function validator(module: string, type: string, open: string[] = []): ValidateFunction {
  const path = join(dirname(require.resolve(`@grafana/grafana-foundation-sdk/${module}`)), 'types.gen.d.ts');
  const schema = createGenerator({ path, type, skipTypeCheck: true, expose: 'export', topRef: true, additionalProperties: false }).createSchema(type);
  expect(Object.keys(schema.definitions ?? {}).length, `${module}.${type} resolved to an empty schema`).toBeGreaterThan(1);
  // Types the dashboard schema only knows generically (a target's fields depend on its datasource): checked apart.
  for (const name of open) (schema.definitions![name] as { additionalProperties?: boolean }).additionalProperties = true;
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

function errors(validate: ValidateFunction, value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

interface PanelJson {
  type: string;
  title: string;
  options?: unknown;
  fieldConfig?: { defaults?: { custom?: unknown } };
  targets?: { datasource?: { type?: string } }[];
}

const dashboards = Object.keys(DASHBOARDS).map((name) => ({
  name,
  json: JSON.parse(readFileSync(join(REPO_ROOT, `infrastructure/grafana/dashboards/${name}.json`), 'utf8')) as { uid: string; panels: PanelJson[] },
}));
const panelTypes = [...new Set(dashboards.flatMap((d) => d.json.panels.map((p) => p.type)))].sort();

describe('dashboards validate against the SDK types', { timeout: 120_000 }, () => {
  it('uses the panel types it validates', () => {
    expect(panelTypes).toEqual(['barchart', 'bargauge', 'gauge', 'piechart', 'stat', 'table', 'timeseries', 'xychart']);
  });

  it('each dashboard is a valid dashboard.Dashboard', () => {
    const validate = validator('dashboard', 'Dashboard', ['Dataquery']);
    for (const d of dashboards) expect(errors(validate, d.json), d.name).toEqual([]);
    // and the check can fail: an unknown property is rejected
    expect(errors(validate, { ...dashboards[0]!.json, titel: 'typo' }).join()).toContain('"additionalProperty":"titel"');
  });

  it('each target is a valid query of its datasource type', () => {
    const byType = { prometheus: validator('prometheus', 'Dataquery'), elasticsearch: validator('elasticsearch', 'dataquery') };
    let checked = 0;
    for (const d of dashboards) {
      for (const p of d.json.panels) {
        for (const t of p.targets ?? []) {
          const type = t.datasource?.type as keyof typeof byType;
          expect(Object.keys(byType), `${d.name} / ${p.title}`).toContain(type);
          expect(errors(byType[type], t), `${d.name} / ${p.title}`).toEqual([]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('every Elasticsearch metric and bucket aggregation has a type Grafana knows (the SDK emits "unknown" for some)', () => {
    const metricTypes = new Set(['count', 'avg', 'max', 'min', 'sum', 'cardinality', 'raw_data', 'raw_document', 'logs', 'percentiles', 'extended_stats']);
    const bucketTypes = new Set(['date_histogram', 'terms', 'histogram', 'filters', 'geohash_grid', 'nested']);
    for (const d of dashboards) {
      for (const p of d.json.panels) {
        for (const t of (p.targets ?? []) as { metrics?: { type: string }[]; bucketAggs?: { type: string }[] }[]) {
          for (const m of t.metrics ?? []) expect(metricTypes, `${d.name} / ${p.title}`).toContain(m.type);
          for (const b of t.bucketAggs ?? []) expect(bucketTypes, `${d.name} / ${p.title}`).toContain(b.type);
        }
      }
    }
  });

  it('each panel\'s options are valid Options of its panel type', () => {
    for (const type of panelTypes) {
      const validate = validator(type, 'Options');
      for (const d of dashboards) {
        for (const p of d.json.panels.filter((x) => x.type === type)) expect(errors(validate, p.options ?? {}), `${d.name} / ${p.title}`).toEqual([]);
      }
    }
  });
});
