import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capacitySeries } from '@aiops/contracts';
import { capacityQueries, instanceMatchers, seriesKeyText } from './capacity-queries.ts';

const contracts = readFileSync(new URL('../../../../docs/contracts.md', import.meta.url), 'utf8');

describe('capacityQueries', () => {
  it('without a filter reads the recorded name, else the PromQL of docs/contracts.md word for word', () => {
    const queries = capacityQueries();
    expect(queries.map((q) => q.metric)).toEqual(['cpu', 'memory', 'disk', 'network']);
    for (const q of queries) {
      const { recorded, expression } = capacitySeries[q.metric];
      expect(q.promql).toBe(`${recorded} or ${expression}`);
      expect(contracts).toContain(`\`${expression}\``);
      expect(contracts).toContain(`\`${recorded}\``);
    }
  });

  it('an instance filter reaches every selector, quoted as a PromQL string', () => {
    const queries = capacityQueries('it-(a|b)"x');
    const matcher = 'instance=~"it-(a|b)\\"x"';
    expect(queries[0]!.promql).toBe(
      `${capacitySeries.cpu.recorded}{${matcher}} or 100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle",${matcher}}[5m])))`,
    );
    for (const q of queries) {
      const selectors = q.promql.match(/[a-z_:]*node_[a-zA-Z_:0-9]+(\{[^}]*\})?/g) ?? [];
      expect(selectors.length).toBeGreaterThan(0);
      for (const s of selectors) expect(s).toContain(matcher);
    }
  });

  it('maps each metric to its unit and device label', () => {
    const byMetric = Object.fromEntries(capacityQueries().map((q) => [q.metric, q]));
    expect(byMetric.disk).toMatchObject({ unit: 'percent', deviceLabel: 'mountpoint' });
    expect(byMetric.network).toMatchObject({ unit: 'bytes_per_second', deviceLabel: 'device' });
    expect(byMetric.cpu!.deviceLabel).toBeUndefined();
  });

  it('refuses an invalid regular expression with the option name', () => {
    expect(() => instanceMatchers('web-(')).toThrow(/--instances: not a valid regular expression "web-\("/);
    expect(instanceMatchers('')).toEqual([]);
  });

  it('names a series readably', () => {
    expect(seriesKeyText({ host: 'db:9100', metric: 'disk', device: '/var' })).toBe('db:9100 disk /var');
    expect(seriesKeyText({ host: 'db:9100', metric: 'cpu', device: '' })).toBe('db:9100 cpu');
  });
});
