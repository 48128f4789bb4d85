/**
 * The request builder of the dashboard query test sends what Grafana's Elasticsearch datasource sends: the shapes
 * of Grafana's own backend golden files (a terms + date_histogram count, a max/min under them, raw data), and
 * Grafana's variable and macro interpolation.
 */
import { describe, expect, it } from 'vitest';
import { esMsearchBody, interpolate, promRequest } from '@aiops/mixin';

const range = { from: 1668422437218, to: 1668422625668 };

function lines(ndjson: string): unknown[] {
  return ndjson.trim().split('\n').map((l) => JSON.parse(l));
}

describe('esMsearchBody', () => {
  it('terms then date_histogram with a count: nested aggregations, range filter, no query_string for an empty query', () => {
    const [header, body] = lines(
      esMsearchBody(
        {
          refId: 'A',
          query: '',
          timeField: 'testtime',
          metrics: [{ id: '1', type: 'count' }],
          bucketAggs: [
            { id: '3', type: 'terms', field: 'label', settings: { size: '10', order: 'desc', orderBy: '_term' } },
            { id: '2', type: 'date_histogram', field: 'testtime', settings: { interval: '1m' } },
          ],
        },
        'testdb-2022.11.14',
        range,
        {},
      ),
    );
    expect(header).toEqual({ ignore_unavailable: true, index: 'testdb-2022.11.14', search_type: 'query_then_fetch' });
    expect(body).toEqual({
      size: 0,
      query: { bool: { filter: { range: { testtime: { format: 'epoch_millis', gte: range.from, lte: range.to } } } } },
      aggs: {
        '3': {
          terms: { field: 'label', order: { _key: 'desc' }, size: 10 },
          aggs: {
            '2': {
              date_histogram: { extended_bounds: { max: range.to, min: range.from }, field: 'testtime', fixed_interval: '1m', format: 'epoch_millis', min_doc_count: 0 },
            },
          },
        },
      },
    });
  });

  it('metrics hang under the innermost bucket; a query becomes a query_string filter with variables filled in', () => {
    const [, body] = lines(
      esMsearchBody(
        {
          refId: 'A',
          query: 'host:"$host" AND metric:cpu',
          timeField: 'target_time',
          metrics: [{ id: '1', type: 'max', field: 'float' }, { id: '3', type: 'min', field: 'float' }],
          bucketAggs: [{ id: '2', type: 'date_histogram', field: 'target_time', settings: { interval: '1h' } }],
        },
        'forecasts-2*',
        range,
        { host: 'db-01:9100' },
      ),
    ) as { query: { bool: { filter: unknown[] } }; aggs: Record<string, { aggs: unknown }> }[];
    expect(body!.query.bool.filter[1]).toEqual({ query_string: { analyze_wildcard: true, query: 'host:"db-01:9100" AND metric:cpu' } });
    expect(body!.aggs['2']!.aggs).toEqual({ '1': { max: { field: 'float' } }, '3': { min: { field: 'float' } } });
  });

  it('raw data: a sorted search of `size` documents, no aggregations', () => {
    const [, body] = lines(esMsearchBody({ refId: 'A', query: '', timeField: 'testtime', metrics: [{ id: '1', type: 'raw_data', settings: { size: '500' } }] }, 'x', range, {}));
    expect(body).toEqual({
      size: 500,
      query: { bool: { filter: { range: { testtime: { format: 'epoch_millis', gte: range.from, lte: range.to } } } } },
      sort: [{ testtime: { order: 'desc', unmapped_type: 'boolean' } }, { _doc: { order: 'desc' } }],
      docvalue_fields: ['testtime'],
      script_fields: {},
      fields: [{ field: 'testtime', format: 'strict_date_optional_time_nanos' }],
    });
  });

  it('refuses an aggregation the builder does not know instead of sending something Grafana would not', () => {
    expect(() => esMsearchBody({ refId: 'A', metrics: [{ id: '1', type: 'moving_avg' }], bucketAggs: [] }, 'x', range, {})).toThrow(/moving_avg/);
  });
});

describe('interpolate / promRequest', () => {
  it('fills ${v}, ${v:regex}, $v (longest first) and $__rate_interval', () => {
    const r = { from: 0, to: 6 * 3600 * 1000 };
    expect(interpolate('a{instance=~"$instance",i2="$i"} ${instance:regex} $__rate_interval', { instance: '10.0.0.1:9100', i: 'x' }, r)).toBe(
      'a{instance=~"10.0.0.1:9100",i2="x"} 10\\.0\\.0\\.1:9100 1m',
    );
  });

  it('instant targets query at the end of the range, range targets with Grafana\'s step', () => {
    const r = { from: 0, to: 24 * 3600 * 1000 };
    expect(promRequest({ expr: 'up', instant: true }, r, {})).toEqual({ path: '/api/v1/query', params: { query: 'up', time: '86400' } });
    expect(promRequest({ expr: 'up', range: true }, r, {}).params).toEqual({ query: 'up', start: '0', end: '86400', step: '300' });
  });
});
