import { describe, expect, it } from 'vitest';
import { isValidLabelName, isValidMetricName, renderSnapshot } from './exposition.ts';
import { SnapshotValidationError, type GaugeSample, type MetricsSnapshot } from './snapshot.ts';
import { metrics } from '@aiops/contracts';

const snapshot = (samples: GaugeSample[]): MetricsSnapshot => ({
  job: 'forecaster',
  instance: 'ml-1',
  createdAt: '2026-11-24T12:00:00.000Z',
  samples,
});

describe('renderSnapshot', () => {
  it('writes +Inf, -Inf and NaN the way the exposition format spells them', async () => {
    const text = await renderSnapshot(
      snapshot([
        { name: metrics.capacityDaysToExhaustion.name, help: 'Days until full.', labels: { host: 'a', threshold: '85' }, value: Infinity },
        { name: metrics.capacityDaysToExhaustion.name, help: 'Days until full.', labels: { host: 'a', threshold: '95' }, value: -Infinity },
        { name: metrics.forecastBacktestMape.name, help: 'MAPE.', labels: {}, value: NaN },
        { name: metrics.logsReviewPending.name, help: 'Pending.', labels: {}, value: 1.5e-7 },
      ]),
    );
    expect(text).toBe(
      [
        '# HELP aiops_capacity_days_to_exhaustion Days until full.',
        '# TYPE aiops_capacity_days_to_exhaustion gauge',
        'aiops_capacity_days_to_exhaustion{host="a",threshold="85"} +Inf',
        'aiops_capacity_days_to_exhaustion{host="a",threshold="95"} -Inf',
        '',
        '# HELP aiops_forecast_backtest_mape MAPE.',
        '# TYPE aiops_forecast_backtest_mape gauge',
        // prom-client spells it "Nan"; Prometheus and Pushgateway parse floats case-insensitively (checked live).
        'aiops_forecast_backtest_mape Nan',
        '',
        '# HELP aiops_logs_review_pending Pending.',
        '# TYPE aiops_logs_review_pending gauge',
        'aiops_logs_review_pending 1.5e-7',
        '',
      ].join('\n'),
    );
  });

  it('escapes backslash, double quote and newline in label values and help; keeps slashes and unicode', async () => {
    const text = await renderSnapshot(
      snapshot([{ name: 'm', help: 'a \\ b\nc', labels: { device: '/dev/sda1', path: 'C:\\x "q"\nz', who: 'Grüße ✓' }, value: 1 }]),
    );
    expect(text).toContain('# HELP m a \\\\ b\\nc\n');
    expect(text).toContain('m{device="/dev/sda1",path="C:\\\\x \\"q\\"\\nz",who="Grüße ✓"} 1\n');
  });

  it('omits a label a sample does not have (Prometheus reads it as empty)', async () => {
    const text = await renderSnapshot(
      snapshot([
        { name: 'm', help: 'h', labels: { a: '1' }, value: 1 },
        { name: 'm', help: 'h', labels: { b: '2' }, value: 2 },
      ]),
    );
    expect(text).toContain('m{a="1"} 1\nm{b="2"} 2\n');
  });

  it('refuses invalid names, naming the sample and field', async () => {
    const bad = (s: Partial<GaugeSample>) => renderSnapshot(snapshot([{ name: 'm', help: 'h', labels: {}, value: 1, ...s }]));
    await expect(bad({ name: 'aiops-bad' })).rejects.toThrow(/samples\.0\.name: not a valid metric name/);
    await expect(bad({ labels: { 'bad-label': 'x' } })).rejects.toThrow(/samples\.0\.labels\.bad-label: not a valid label name/);
    await expect(bad({ labels: { __reserved: 'x' } })).rejects.toThrow(SnapshotValidationError);
    await expect(bad({ help: '' })).rejects.toThrow(/samples\.0\.help/);
  });

  it('refuses duplicate series, conflicting help and labels contradicting the grouping key', async () => {
    const s = (labels: Record<string, string>, help = 'h'): GaugeSample => ({ name: 'm', help, labels, value: 1 });
    await expect(renderSnapshot(snapshot([s({ a: '1', b: '2' }), s({ b: '2', a: '1' })]))).rejects.toThrow(/samples\.1\.labels: duplicate series/);
    await expect(renderSnapshot(snapshot([s({ a: '1' }), s({ a: '2' }, 'other')]))).rejects.toThrow(/samples\.1\.help: differs/);
    await expect(renderSnapshot(snapshot([s({ job: 'other' })]))).rejects.toThrow(/samples\.0\.labels\.job: must equal the grouping key job/);
    await expect(renderSnapshot(snapshot([s({ job: 'forecaster', instance: 'ml-1' })]))).resolves.toContain('m{job="forecaster",instance="ml-1"} 1');
  });
});

describe('name rules', () => {
  it('follow the Prometheus data model', () => {
    expect(isValidMetricName('aiops_job:rate5m')).toBe(true);
    expect(isValidMetricName('9lives')).toBe(false);
    expect(isValidLabelName('device')).toBe(true);
    expect(isValidLabelName('dev:ice')).toBe(false);
    expect(isValidLabelName('__name__')).toBe(false);
  });
});
