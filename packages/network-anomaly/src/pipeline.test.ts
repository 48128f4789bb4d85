import { describe, expect, it } from 'vitest';
import { buildFeatureMatrix, injectAttacks, type ConnRecord, type FeatureMatrix } from '@aiops/zeek';
import { evaluateScores } from './evaluation.ts';
import { scoreConnections } from './connection-score.ts';
import { modelFromDocument, scoreRecords, trainModel } from './pipeline.ts';

const asDense = (m: FeatureMatrix) => ({ data: m.data, rows: m.rows, cols: m.columns });

const T0 = 1_700_000_000;

/**
 * A quiet office: two hosts browsing a handful of sites over a day (TLS, HTTP, DNS, now and then a failed
 * attempt), with varied sizes and timing. Variety matters: a column that is constant in training cannot be split on.
 */
function benignTraffic(seed: number, count = 3000): ConnRecord[] {
  let state = seed;
  const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296);
  return Array.from({ length: count }, (_, i) => {
    const bytes = Math.round(200 * Math.exp(3 * random()));
    const kind = random();
    const shape: Partial<ConnRecord> =
      kind < 0.1
        ? { respHost: '10.1.1.1', respPort: 53, proto: 'udp', service: 'dns', origBytes: 40, respBytes: 120, origPkts: 1, respPkts: 1, duration: 0.02 }
        : kind < 0.14
          ? { connState: random() < 0.5 ? 'S0' : 'REJ', service: null, origBytes: 0, respBytes: 0, origPkts: 2, respPkts: 0, duration: null }
          : kind < 0.35
            ? { respPort: 80, service: 'http' }
            : {};
    return {
      ts: T0 + (i / count) * 86_400 + random() * 20,
      uid: `Cb${seed}x${i}`,
      origHost: random() < 0.7 ? '10.1.1.10' : '10.1.1.11',
      origPort: 40000 + i,
      respHost: `52.0.0.${Math.floor(random() * 40)}`,
      respPort: 443,
      proto: 'tcp',
      service: 'ssl',
      duration: 0.1 + 5 * random(),
      origBytes: bytes,
      respBytes: bytes * 8,
      connState: 'SF',
      origPkts: 4 + Math.floor(bytes / 1400),
      origIpBytes: bytes + 200,
      respPkts: 6 + Math.floor((bytes * 8) / 1400),
      respIpBytes: bytes * 8 + 300,
      label: 'Benign',
      detailedLabel: null,
      ...shape,
    };
  });
}

const trainedAt = '2024-01-01T00:00:00.000Z';

const doc = (m: { document: { formatVersion: number } }) => m.document;

describe('anomaly pipeline', () => {
  const model = trainModel(benignTraffic(1), { featureSet: 'aggregates', contamination: 0.01, seed: 3, source: 'test', trainedAt });

  it('documents what it was trained on, and versions the model by set, time and content', () => {
    const doc = model.document;
    expect(doc.modelVersion).toMatch(/^aggregates-20240101T000000Z-[0-9a-f]{8}$/);
    expect(doc.training).toMatchObject({ source: 'test', rows: 3000 });
    expect(Date.parse(doc.training.to!) - Date.parse(doc.training.from!)).toBeGreaterThan(86_000_000);
    expect(doc.hyperparameters).toEqual({ contamination: 0.01, nEstimators: 100, maxSamples: 'auto', seed: 3 });
    expect(doc.features.names).toContain('orig_log_distinct_resp_hosts');
    // deterministic: same data and seed, same version
    expect(trainModel(benignTraffic(1), { featureSet: 'aggregates', contamination: 0.01, seed: 3, source: 'test', trainedAt }).document.modelVersion).toBe(doc.modelVersion);
  });

  it('flags an injected scan on held-out traffic, with explanations naming the scan features', () => {
    const heldOut = injectAttacks(benignTraffic(2), { seed: 5, attacks: ['horizontal-scan'] });
    const result = scoreRecords(model, heldOut.records, { explainTop: 3 });
    const attackRows = heldOut.attackTypes.filter((t) => t !== null).length;
    const flaggedAttacks = heldOut.attackTypes.filter((t, i) => t !== null && result.labels[i] === -1).length;
    expect(flaggedAttacks / attackRows).toBeGreaterThan(0.9);
    const benignFlags = heldOut.attackTypes.filter((t, i) => t === null && result.labels[i] === -1).length;
    expect(benignFlags / (heldOut.records.length - attackRows)).toBeLessThan(0.05);
    // only flagged rows by default, each scored above the threshold (rarer than ~99 % of training rows), ≤ 3 explanations
    expect(result.rows.length).toBe(result.flagged);
    for (const row of result.rows) {
      expect(row.label).toBe(-1);
      expect(row.anomaly_score).toBeGreaterThanOrEqual(model.connection.json.threshold);
      expect(row.explanation.length).toBeLessThanOrEqual(3);
    }
    const scanRow = result.rows.find((r) => r.uid === heldOut.records[heldOut.attackTypes.indexOf('horizontal-scan')]!.uid);
    const features = result.rows.filter((r) => r.conn_state === 'S0').flatMap((r) => r.explanation.map((e) => e.feature));
    expect(features.some((f) => /failed|distinct_resp_hosts|duration_unset|conn_state/.test(f))).toBe(true);
    expect(scanRow === undefined || scanRow['id.resp_p'] !== null).toBe(true);
  });

  it('evaluates on labels (ROC-AUC, recall, silhouette)', () => {
    const heldOut = injectAttacks(benignTraffic(4), { seed: 9, attacks: ['horizontal-scan', 'bulk-transfer'] });
    const result = scoreRecords(model, heldOut.records, { all: true });
    expect(result.rows.length).toBe(heldOut.records.length);
    const report = evaluateScores(heldOut.records, result.scores, result.labels, result.matrix, { silhouetteSample: 500 });
    expect(report.malicious).toBe(heldOut.attackTypes.filter((t) => t !== null).length);
    expect(report.rocAuc).toBeGreaterThan(0.95);
    expect(report.recall).toBeGreaterThan(0.9);
    expect(report.silhouette).not.toBeNull();
  });

  it('round-trips the model document and refuses a foreign or stale one, naming the field', () => {
    const copy = modelFromDocument(JSON.parse(JSON.stringify(model.document)));
    const records = benignTraffic(6, 300);
    expect(scoreRecords(copy, records).scores).toEqual(scoreRecords(model, records).scores);
    expect(() => modelFromDocument({ ...model.document, format: 'other' }, 'm.json')).toThrow(/m\.json: format/);
    expect(doc(model).formatVersion).toBe(6);
    expect(() => modelFromDocument({ ...model.document, formatVersion: 5 })).toThrow(/formatVersion/);
    const { connectionScore: _none, ...withoutScore } = model.document;
    expect(() => modelFromDocument(withoutScore, 'm.json')).toThrow(/m\.json: connectionScore\.\(root\): missing/);
    const badTail = { ...model.document, connectionScore: { ...model.document.connectionScore, primaryTail: { rows: 3, scores: [0.5, 0.4], atLeast: [2, 1] } } };
    expect(() => modelFromDocument(badTail)).toThrow(/connectionScore\.primaryTail\.scores\[1\]: not ascending/);
    expect(() => modelFromDocument({ ...model.document, host: { ...model.document.host, threshold: 'x' } }, 'm.json')).toThrow(/m\.json: host: threshold/);
    const { beacon: _dropped, ...withoutBeacon } = model.document;
    expect(() => modelFromDocument(withoutBeacon)).toThrow(/beacon: missing/);
    const unsorted = { ...model.document, beacon: { ...model.document.beacon, baseline: { ...model.document.beacon.baseline, pairs: ['b', 'a'] } } };
    expect(() => modelFromDocument(unsorted, 'm.json')).toThrow(/m\.json: beacon\.baseline\.pairs\[1\]/);
    const badTest = { ...model.document, beacon: { ...model.document.beacon, test: { ...model.document.beacon.test, maxCv: 'x' } } };
    expect(() => modelFromDocument(badTest)).toThrow(/beacon\.test\.maxCv/);
    const stale = { ...model.document, features: { ...model.document.features, names: ['a'] } };
    expect(() => modelFromDocument(stale)).toThrow(/features\.names/);
    expect(() => modelFromDocument({ ...model.document, forest: { format: 'x' } })).toThrow(/forest/);
  });

  it('keeps the training pairs as the beacon baseline, sorted', () => {
    const { baseline, test } = model.document.beacon;
    expect(baseline.pairs.length).toBe(baseline.pairsSeen); // 2 hosts × 40 sites, far under the cap
    expect(baseline.pairs.length).toBeGreaterThan(40);
    expect([...baseline.pairs].sort()).toEqual(baseline.pairs);
    expect(baseline.pairs).toContain('10.1.1.10>52.0.0.7');
    expect(test).toEqual({ minGaps: 6, maxCv: 0.2, minPeriodSeconds: 10, burstSeconds: 1 });
  });

  it('flags a beacon to a new host that the forest alone misses, at no less than the threshold score', () => {
    const heldOut = injectAttacks(benignTraffic(8), { seed: 2, attacks: ['beacon'] });
    const isBeacon = heldOut.attackTypes.map((t) => t === 'beacon');
    const beaconRows = isBeacon.filter(Boolean).length;
    expect(beaconRows).toBeGreaterThanOrEqual(100);
    const result = scoreRecords(model, heldOut.records, { all: true, explainTop: 3 });
    // the forests' own verdict, for contrast: a small TLS exchange is nothing unusual
    const connectionScores = scoreConnections(model.connection, asDense(result.matrix), asDense(buildFeatureMatrix(heldOut.records, { ...model.document.features, featureSet: 'basic' }))).scores;
    const forestLabels = Array.from(connectionScores, (score) => (score > model.connection.json.threshold ? -1 : 1));
    expect(isBeacon.filter((b, i) => b && forestLabels[i] === -1).length / beaconRows).toBeLessThan(0.5);
    // the hybrid flags every beacon row, and no benign row that neither the forest nor a host alert flagged
    expect(isBeacon.every((b, i) => !b || result.labels[i] === -1)).toBe(true);
    expect(isBeacon.filter((b, i) => !b && result.labels[i] === -1 && forestLabels[i] !== -1 && result.host.inAlert[i] !== 1)).toEqual([]);
    expect(result.beacons).toHaveLength(1);
    const period = result.beacons[0]!.periodSeconds;
    expect([30, 60, 120].some((p) => Math.abs(period - p) < 0.05 * p)).toBe(true);
    const threshold = model.connection.json.threshold;
    heldOut.records.forEach((record, i) => {
      if (!isBeacon[i]) return;
      const row = result.rows[i]!;
      expect(row.uid).toBe(record.uid);
      expect(row.anomaly_score).toBeGreaterThanOrEqual(threshold);
      // the rules' verdicts come first (a host alert on the beaconing host may stand before the beacon's)
      expect(row.explanation.slice(0, 2)).toContainEqual({ feature: 'beacon', value: period, weight: 1 });
      expect(row.explanation.length).toBeLessThanOrEqual(3);
    });
    // the same pair, once in the baseline, is a known poller and is not reported
    const known = trainModel([...benignTraffic(1), ...heldOut.records.filter((_, i) => isBeacon[i])], { featureSet: 'aggregates', contamination: 0.01, seed: 3, source: 'test', trainedAt });
    expect(scoreRecords(known, heldOut.records).beacons).toEqual([]);
  });
});
