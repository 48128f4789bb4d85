/**
 * The anomaly scorer's pure core, shared by files mode and Elasticsearch mode: Zeek conn records → feature matrix
 * → Isolation Forest → scored connections with explanations. No I/O; the model document is plain JSON.
 *
 * Model file format (`format: "aiops.anomaly-scorer.model"`, `formatVersion: 6`; a reader refuses other values):
 *   modelVersion     "<featureSet>-<trainedAt as YYYYMMDDTHHMMSSZ>-<8 hex of the forest's hash>", the value written as
 *                    `model_version` into anomalies-* and the aiops_model_info label
 *   trainedAt        ISO time of the training run
 *   features         { featureSet: "basic"|"aggregates", names: [...], windowSeconds, jitterK } (scoring rebuilds
 *                    exactly these columns and refuses a model whose names differ from the code's)
 *   training         { source, from, to (ISO, the records' ts range), rows }
 *   hyperparameters  { contamination, nEstimators, maxSamples, seed }
 *   forest           @aiops/ml IsolationForest.toJSON() ("aiops.isolation-forest" v1) over the feature set's columns
 *   connectionScore  the second forest over the `basic` columns beside an `aggregates` one, both forests' tail tables,
 *                    the fusion weight and the flagging threshold (connection-score.ts)
 *   beacon           { baseline: { pairs (sorted "orig>resp" keys seen in training, ≤ 50,000), truncated, pairsSeen },
 *                    test: { minGaps, maxCv, minPeriodSeconds, burstSeconds } } (@aiops/zeek beacon.ts)
 *   host             the host-level detector (host-detection.ts): per-host baselines of the training window, the
 *                    forest over host-window features, its training ranges (all windows; known hosts' for the
 *                    bytes columns) and alert threshold
 * Scores: a hybrid of three detectors; a row flagged by any is flagged (label −1), else 1.
 *   - the forests: anomaly_score in [0, 1] = 1 − the weighted geometric mean of the two forests' tail shares among
 *     the training connections (connection-score.ts; higher = more anomalous); flagged above the (1 − contamination)
 *     quantile of the training rows' scores, the "threshold score";
 *   - the beacon rule: a pair NOT in the training baseline that calls at a regular period in this batch (≥ 6 gaps,
 *     CV < 0.2, period ≥ 10 s). All its connections are flagged, with the explanation {feature: "beacon", value:
 *     period in seconds, weight: 1} first, and anomaly_score = max(s(x), threshold score): the rule gives no graded
 *     confidence, so the row ranks as the least anomalous flagged row unless the forest itself ranks it higher, and a
 *     consumer filtering on score ≥ threshold still sees it;
 *   - the host level: a connection that shows the change of an alerted host window (host-detection.ts) is flagged
 *     the same way, explanation {feature: "host_alert", value: the window's host score, weight: 1} first.
 * `host_score` of a connection: its host windows' score (halved when it does not show the change); `fused` (for
 * ranking metrics): boostedScores(anomaly_score, host_score) from the host alert threshold, weight
 * networkAnomaly.hostBoostWeight (fusion.ts): the connection's rank, lifted only where its host window scores above
 * the host detector's threshold (so only connections of host alerts move, never down).
 */
import { createHash } from 'node:crypto';
import { IsolationForest, type DenseMatrix, type FeatureContribution } from '@aiops/ml';
import type { ConnRecord } from '@aiops/zeek';
import {
  buildBeaconBaseline,
  DEFAULT_BEACON_TEST,
  detectNewBeacons,
  type BeaconBaseline,
  type BeaconBaselineOptions,
  type BeaconPair,
  type BeaconTestOptions,
} from '@aiops/zeek';
import { networkAnomaly } from '@aiops/contracts';
import { boostedScores, MAX_BOOST_FROM } from './fusion.ts';
import { connectionScorerFromJson, fitConnectionScorer, scoreConnections, type ConnectionScorer, type ConnectionScorerJson } from './connection-score.ts';
import { fitHostDetector, hostDetectorFromJson, scoreHostWindows, type HostDetector, type HostDetectorJson, type HostDetectorOptions, type HostScoringResult } from './host-detection.ts';
import { buildFeatureMatrix, DEFAULT_JITTER_K, DEFAULT_WINDOW_SECONDS, featureNames, isFeatureSet, type FeatureMatrix, type FeatureSet } from '@aiops/zeek';

export const ANOMALY_MODEL_FORMAT = 'aiops.anomaly-scorer.model';
/**
 * 6: the host detector's `knownRange` and each host profile's `largestSend` (a known host is held to what known
 * hosts sent; a connection sending more than its host ever did in one shows an alerted window's change).
 * 5: the `connectionScore` member (a second forest over the `basic` columns, tail shares; anomaly_score is no longer
 * s(x)). 4: the `host` member (host-level detector). 3: the `beacon` member (training baseline of known pairs + the beacon test). 2: the `aggregates` columns changed
 * (18 instead of 26). Older models must be retrained (docs/evaluation/network.md).
 */
export const ANOMALY_MODEL_FORMAT_VERSION = 6;

export interface TrainOptions {
  featureSet: FeatureSet;
  contamination: number;
  nEstimators?: number;
  maxSamples?: 'auto' | number;
  seed?: number;
  windowSeconds?: number;
  jitterK?: number;
  /** Where the training records came from (a file path, an index pattern and window…). */
  source: string;
  /** The training run's time (ISO); passed in so the core stays clock-free. */
  trainedAt: string;
  /** The beacon rule's test and baseline cap (defaults: @aiops/zeek DEFAULT_BEACON_TEST, 50,000 pairs). */
  beacon?: BeaconTestOptions & BeaconBaselineOptions;
  /** The host-level detector (default: @aiops/contracts networkAnomaly host settings, the forest's seed). */
  host?: Omit<HostDetectorOptions, 'seed'>;
  /** Weight of the `basic` forest beside an `aggregates` one (default networkAnomaly.basicForestWeight; 0: none). */
  basicForestWeight?: number;
  /** Trees of that forest (default networkAnomaly.basicForestTrees). */
  basicForestTrees?: number;
}

export interface BeaconModelPart {
  baseline: BeaconBaseline;
  test: Required<BeaconTestOptions>;
}

export interface AnomalyModelDocument {
  format: typeof ANOMALY_MODEL_FORMAT;
  formatVersion: typeof ANOMALY_MODEL_FORMAT_VERSION;
  modelVersion: string;
  trainedAt: string;
  features: { featureSet: FeatureSet; names: string[]; windowSeconds: number; jitterK: number };
  training: { source: string; from: string | null; to: string | null; rows: number };
  hyperparameters: { contamination: number; nEstimators: number; maxSamples: 'auto' | number; seed: number };
  forest: ReturnType<IsolationForest['toJSON']>;
  connectionScore: ConnectionScorerJson;
  beacon: BeaconModelPart;
  host: HostDetectorJson;
}

export interface AnomalyModel {
  document: AnomalyModelDocument;
  connection: ConnectionScorer;
  host: HostDetector;
}

export interface Explanation {
  feature: string;
  /** The connection's value of the feature (as the model saw it: log1p-scaled where the name says log). */
  value: number;
  /** Share of the isolation credited to the feature (the top features of a row sum to ≤ 1). */
  weight: number;
}

/** One scored connection, with Zeek's field names for the connection's identity. */
export interface ScoredConnection {
  kind: 'connection';
  uid: string;
  ts: number;
  'id.orig_h': string;
  'id.orig_p': number | null;
  'id.resp_h': string;
  'id.resp_p': number | null;
  proto: string | null;
  service: string | null;
  conn_state: string | null;
  anomaly_score: number;
  /** The connection's host-level score (host-detection.ts connectionHostScores). */
  host_score: number;
  label: -1 | 1;
  model_version: string;
  explanation: Explanation[];
}

export function featuresFor(records: readonly ConnRecord[], features: AnomalyModelDocument['features']): FeatureMatrix {
  return buildFeatureMatrix(records, features);
}

const asDense = (m: FeatureMatrix): DenseMatrix => ({ data: m.data, rows: m.rows, cols: m.columns });

/** The companion forest's columns (the `basic` set) of the same records. */
const basicMatrix = (records: readonly ConnRecord[], features: AnomalyModelDocument['features']): FeatureMatrix => buildFeatureMatrix(records, { ...features, featureSet: 'basic' });

function tsRange(records: readonly ConnRecord[]): { from: string | null; to: string | null } {
  if (records.length === 0) return { from: null, to: null };
  let min = Infinity;
  let max = -Infinity;
  for (const r of records) {
    if (r.ts < min) min = r.ts;
    if (r.ts > max) max = r.ts;
  }
  return { from: new Date(min * 1000).toISOString(), to: new Date(max * 1000).toISOString() };
}

export function trainModel(records: readonly ConnRecord[], options: TrainOptions): AnomalyModel {
  const features = {
    featureSet: options.featureSet,
    names: [...featureNames(options.featureSet)],
    windowSeconds: options.windowSeconds ?? DEFAULT_WINDOW_SECONDS,
    jitterK: options.jitterK ?? DEFAULT_JITTER_K,
  };
  const hyperparameters = {
    contamination: options.contamination,
    nEstimators: options.nEstimators ?? 100,
    maxSamples: options.maxSamples ?? 'auto',
    seed: options.seed ?? 0,
  };
  const matrix = featuresFor(records, features);
  const weight = options.basicForestWeight ?? networkAnomaly.basicForestWeight;
  const companion = options.featureSet === 'aggregates' && weight > 0 ? basicMatrix(records, features) : null;
  const connection = fitConnectionScorer(asDense(matrix), companion && asDense(companion), {
    ...hyperparameters,
    weight,
    companionEstimators: options.basicForestTrees ?? networkAnomaly.basicForestTrees,
    primaryNames: features.names,
    companionNames: companion?.names ?? [],
  });
  const forestJson = connection.primary.toJSON();
  const host = fitHostDetector(records, { ...options.host, seed: hyperparameters.seed });
  const hash = createHash('sha256').update(JSON.stringify(forestJson)).digest('hex').slice(0, 8);
  const compactTime = options.trainedAt.replace(/[-:]/g, '').replace(/\.\d+/, '');
  const document: AnomalyModelDocument = {
    format: ANOMALY_MODEL_FORMAT,
    formatVersion: ANOMALY_MODEL_FORMAT_VERSION,
    modelVersion: `${options.featureSet}-${compactTime}-${hash}`,
    trainedAt: options.trainedAt,
    features,
    training: { source: options.source, ...tsRange(records), rows: records.length },
    hyperparameters,
    forest: forestJson,
    connectionScore: connection.json,
    beacon: {
      baseline: buildBeaconBaseline(records, { maxPairs: options.beacon?.maxPairs }),
      test: {
        minGaps: options.beacon?.minGaps ?? DEFAULT_BEACON_TEST.minGaps,
        maxCv: options.beacon?.maxCv ?? DEFAULT_BEACON_TEST.maxCv,
        minPeriodSeconds: options.beacon?.minPeriodSeconds ?? DEFAULT_BEACON_TEST.minPeriodSeconds,
        burstSeconds: options.beacon?.burstSeconds ?? DEFAULT_BEACON_TEST.burstSeconds,
      },
    },
    host: host.json,
  };
  return { document, connection, host: { json: host.json, forest: host.forest } };
}

/** Validates a parsed model document; errors name the field. */
export function modelFromDocument(doc: unknown, where = 'model'): AnomalyModel {
  const fail = (field: string, why: string): never => {
    throw new Error(`${where}: ${field}: ${why}`);
  };
  if (typeof doc !== 'object' || doc === null) fail('(root)', 'not a JSON object');
  const d = doc as Partial<AnomalyModelDocument>;
  if (d.format !== ANOMALY_MODEL_FORMAT) fail('format', `expected ${JSON.stringify(ANOMALY_MODEL_FORMAT)}, got ${JSON.stringify(d.format)}`);
  if (d.formatVersion !== ANOMALY_MODEL_FORMAT_VERSION) fail('formatVersion', `this scorer reads version ${ANOMALY_MODEL_FORMAT_VERSION}, got ${JSON.stringify(d.formatVersion)}`);
  if (typeof d.modelVersion !== 'string') fail('modelVersion', 'missing');
  const f = d.features;
  if (!f || typeof f.featureSet !== 'string' || !isFeatureSet(f.featureSet)) fail('features.featureSet', `expected basic or aggregates, got ${JSON.stringify(f?.featureSet)}`);
  if (!(typeof f!.windowSeconds === 'number' && f!.windowSeconds > 0)) fail('features.windowSeconds', 'expected a positive number');
  if (!(Number.isInteger(f!.jitterK) && f!.jitterK >= 3)) fail('features.jitterK', 'expected an integer ≥ 3');
  const expected = featureNames(f!.featureSet);
  if (JSON.stringify(f!.names) !== JSON.stringify(expected)) {
    fail('features.names', `the model was trained on other columns than this version builds (${expected.length} expected); retrain it`);
  }
  validateBeaconPart(d.beacon, fail);
  let forest: IsolationForest;
  try {
    forest = IsolationForest.fromJSON(d.forest);
  } catch (err) {
    return fail('forest', (err as Error).message);
  }
  const connection = connectionScorerFromJson(d.connectionScore, forest, `${where}: connectionScore`);
  if (connection.companion && f!.featureSet !== 'aggregates') fail('connectionScore.companion', 'a second forest needs the aggregates feature set');
  if (connection.companion && JSON.stringify(connection.json.companion!.names) !== JSON.stringify(featureNames('basic'))) {
    fail('connectionScore.companion.names', 'the model was trained on other columns than this version builds; retrain it');
  }
  const host = hostDetectorFromJson(d.host, `${where}: host`);
  return { document: d as AnomalyModelDocument, connection, host };
}

function validateBeaconPart(beacon: unknown, fail: (field: string, why: string) => never): void {
  if (typeof beacon !== 'object' || beacon === null) fail('beacon', 'missing (a model before formatVersion 3?); retrain it');
  const b = beacon as Partial<BeaconModelPart>;
  const pairs = b.baseline?.pairs;
  if (!Array.isArray(pairs) || !pairs.every((p) => typeof p === 'string')) fail('beacon.baseline.pairs', 'expected an array of strings');
  for (let i = 1; i < pairs!.length; i++) {
    if (!(pairs![i - 1]! < pairs![i]!)) fail(`beacon.baseline.pairs[${i}]`, 'not sorted or repeated');
  }
  const t = b.test;
  if (typeof t !== 'object' || t === null) fail('beacon.test', 'missing');
  if (!(Number.isInteger(t!.minGaps) && t!.minGaps >= 2)) fail('beacon.test.minGaps', 'expected an integer ≥ 2');
  for (const field of ['maxCv', 'minPeriodSeconds', 'burstSeconds'] as const) {
    if (!(typeof t![field] === 'number' && Number.isFinite(t![field]) && t![field] >= 0)) fail(`beacon.test.${field}`, 'expected a number ≥ 0');
  }
}

export interface ScoreOptions {
  /** Keep every connection, not only the flagged ones. */
  all?: boolean;
  /** Features per explanation (default 3). */
  explainTop?: number;
  /** Records before this index are context only: they shape the window features and beacon histories of the
   * ones after it but are neither scored nor reported (Elasticsearch mode passes the preceding traffic this way). */
  reportFrom?: number;
}

export interface ScoringResult {
  /** The connections to report, in input order (flagged only unless `all`). */
  rows: ScoredConnection[];
  scored: number;
  flagged: number;
  /** anomaly_score of every scored record (from `reportFrom` on), in input order (for evaluation and gauges): the
   * forests' score, raised to the threshold score on beacon rows and on the rows that show a host alert. */
  scores: Float64Array;
  /** The forests' score alone of the same records, before either rule raised it (what `evaluate` compares with). */
  forestScores: Float64Array;
  /** −1/1 of every scored record (forests, beacon rule or host alert). */
  labels: Int8Array;
  /** The new beacons found in the batch (pairs not in the baseline), for logs. */
  beacons: BeaconPair[];
  /** The host level: every reported window with its score and alert, per-connection host scores and alert flags. */
  host: HostScoringResult;
  /** Per scored record: the ranking score of the evaluation (forest/beacon score fused with the host score). */
  fused: Float64Array;
  /** Features of every input record, context included. */
  matrix: FeatureMatrix;
}

export function scoreRecords(model: AnomalyModel, records: readonly ConnRecord[], options: ScoreOptions = {}): ScoringResult {
  const from = options.reportFrom ?? 0;
  const matrix = featuresFor(records, model.document.features);
  const dense = asDense(matrix);
  const companion = model.connection.companion ? asDense(basicMatrix(records, model.document.features)) : null;
  const fromRow = (m: DenseMatrix): DenseMatrix => (from === 0 ? m : { data: m.data.subarray(from * m.cols), rows: m.rows - from, cols: m.cols });
  const { scores, companionLeads } = scoreConnections(model.connection, fromRow(dense), companion && fromRow(companion));
  const forestScores = Float64Array.from(scores);
  const thresholdScore = model.connection.json.threshold;
  const labels = Int8Array.from(scores, (score) => (score > thresholdScore ? -1 : 1));
  // The hybrid: the beacon rule's rows are flagged too, scored at least at the forest's threshold (header comment).
  const { baseline, test } = model.document.beacon;
  const beacons = detectNewBeacons(records, baseline, test);
  const beaconPeriod = beacons.periodByRow;
  for (let i = from; i < records.length; i++) {
    if (Number.isNaN(beaconPeriod[i]!)) continue;
    labels[i - from] = -1;
    scores[i - from] = Math.max(scores[i - from]!, thresholdScore);
  }
  // The host level: a connection that shows an alerted window's change is flagged, scored at least at the threshold.
  const host = scoreHostWindows(model.host, records, { reportFrom: from });
  for (let k = 0; k < host.inAlert.length; k++) {
    if (host.inAlert[k] !== 1) continue;
    labels[k] = -1;
    scores[k] = Math.max(scores[k]!, thresholdScore);
  }
  const fused = boostedScores(scores, host.connectionHostScores, { from: Math.min(model.host.json.threshold, MAX_BOOST_FROM), weight: networkAnomaly.hostBoostWeight });
  const explainTop = options.explainTop ?? 3;
  const rows: ScoredConnection[] = [];
  let flagged = 0;
  records.forEach((record, i) => {
    if (i < from) return;
    const label = labels[i - from] === -1 ? -1 : 1;
    if (label === -1) flagged++;
    if (label === 1 && !options.all) return;
    const isBeacon = !Number.isNaN(beaconPeriod[i]!);
    // The rules' verdicts first (they decided the flag), then the forest's top features, explainTop in all.
    const rules: Explanation[] = [];
    if (host.inAlert[i - from] === 1) rules.push({ feature: 'host_alert', value: host.connectionHostScores[i - from]!, weight: 1 });
    if (isBeacon) rules.push({ feature: 'beacon', value: beaconPeriod[i]!, weight: 1 });
    // The forest whose tail share says more about the row explains it, in its own columns.
    const [forest, columns] = companionLeads[i - from] === 1 ? [model.connection.companion!, companion!] : [model.connection.primary, dense];
    const forestExplanation = forest
      .explain(columns, i, Math.max(0, explainTop - rules.length))
      .map((c: FeatureContribution) => ({ feature: c.feature, value: columns.data[i * columns.cols + c.index]!, weight: c.weight }));
    const explanation = [...rules, ...forestExplanation].slice(0, Math.max(explainTop, rules.length));
    rows.push({
      kind: 'connection',
      uid: record.uid,
      ts: record.ts,
      'id.orig_h': record.origHost,
      'id.orig_p': record.origPort,
      'id.resp_h': record.respHost,
      'id.resp_p': record.respPort,
      proto: record.proto,
      service: record.service,
      conn_state: record.connState,
      anomaly_score: scores[i - from]!,
      host_score: host.connectionHostScores[i - from]!,
      label,
      model_version: model.document.modelVersion,
      explanation,
    });
  });
  return { rows, scored: records.length - from, flagged, scores, forestScores, labels, beacons: beacons.pairs, host, fused, matrix };
}
