/**
 * Host-level detection beside the per-connection forest: per (host, role, 10-minute window) features against the
 * host's own baseline (@aiops/zeek host-windows.ts), scored by a model fit on baseline windows; a host alert per
 * window above the threshold, with the window's connections that show the change (a new peer or port, a failure,
 * more sent in one connection than the host ever did).
 *
 * Training is prequential: the training records' windows are visited in time order, each is featurised against the
 * baseline of the windows before it, then absorbed. So the model sees what "new" looks like on a network that is
 * learning its hosts (a host's first windows are all novelty), and the baseline stored with the model is that of
 * the whole training window. Scoring compares each window with that baseline, frozen (`learn` absorbs the windows
 * that raised no alert, as an option: measured, it let one missed attack window raise a host's reference and hide
 * the attack's later windows).
 *
 * Scorers (`scorer`):
 *   - `iforest`: @aiops/ml IsolationForest over the HOST_FEATURE_NAMES columns, s(x) in [0, 1];
 *   - `deviation`: no trees: each column standardised by the training windows' median and MAD (with a floor), the
 *     largest increase as z, reported as z / (z + 3) in [0, 1).
 * Beyond the training range: an Isolation Forest cannot isolate a value past the most extreme training window any
 * faster than that window itself (its splits are drawn inside the training range), so a scan ten times larger than
 * anything in the baseline would score like the baseline's busiest hour. Both scorers therefore add the excess
 * over the training range: excess = Σ_j max(0, x_j − max_j) / (max_j − median_j + RANGE_FLOOR), and report
 * 1 − (1 − s)·exp(−excess): s inside the range (every training window has excess 0), towards 1 beyond it. A known
 * host's bytes columns are measured against the range of known hosts' windows (KNOWN_HOST_RANGE_FEATURES).
 * Threshold: the (1 − contamination) quantile of the training windows' scores; contamination 0 (the default) = the
 * highest training window's score: an alert is a window unlike every baseline window (chosen by leave-one-capture-out,
 * docs/evaluation/network.md: no attack episode lost on any capture, false host alerts 0 on 6 of 7).
 * Pure and deterministic: records and options in, JSON-serialisable detector and scores out.
 */
import { networkAnomaly } from '@aiops/contracts';
import { IsolationForest, percentile } from '@aiops/ml';
import { HOST_FEATURE_NAMES, HostBaseline, hostWindows, type ConnRecord, type HostBaselineJson, type HostRole, type HostWindow } from '@aiops/zeek';

export const HOST_SCORERS = ['iforest', 'deviation'] as const;
export type HostScorer = (typeof HOST_SCORERS)[number];

export interface HostDetectorOptions {
  scorer?: HostScorer;
  /** Share of training windows above the alert threshold, in [0, 0.5]; 0 = above every training window (default
   * @aiops/contracts networkAnomaly.hostContamination). */
  contamination?: number;
  windowSeconds?: number;
  seed?: number;
  nEstimators?: number;
}

export const DEFAULT_HOST_DETECTOR = {
  scorer: 'iforest' as HostScorer,
  contamination: networkAnomaly.hostContamination,
  windowSeconds: networkAnomaly.hostWindowSeconds,
  seed: 0,
  nEstimators: 100,
};

interface DeviationModel {
  medians: number[];
  scales: number[];
}

/** Per column over the training windows: the median and the maximum (for the excess beyond the range). */
interface TrainingRange {
  medians: number[];
  maxima: number[];
}

/** Smallest spread (log units / shares) the excess is measured in: a column constant in training is not a ruler. */
const RANGE_FLOOR = 0.5;

export interface HostDetectorJson {
  scorer: HostScorer;
  features: readonly string[];
  contamination: number;
  threshold: number;
  trainingWindows: number;
  baseline: HostBaselineJson;
  range: TrainingRange;
  /** The same over the windows of hosts the baseline already knew (a known host is held to what known hosts did). */
  knownRange: TrainingRange;
  forest?: ReturnType<IsolationForest['toJSON']>;
  deviation?: DeviationModel;
}

export interface HostDetector {
  json: HostDetectorJson;
  forest: IsolationForest | null;
  /** Scores of the training windows (at fit time only; for threshold sweeps). */
  trainingScores?: Float64Array;
}

/** Smallest scale per column: a host whose baseline never varied must not turn every wobble into a huge z. */
const SCALE_FLOOR = 0.25;

const byStart = (windows: HostWindow[]): HostWindow[][] => {
  const groups: HostWindow[][] = [];
  for (const w of windows) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.start === w.start) last.push(w);
    else groups.push([w]);
  }
  return groups;
};

function deviationScore(model: DeviationModel, values: ArrayLike<number>): number {
  let z = 0;
  for (let j = 0; j < HOST_FEATURE_NAMES.length; j++) {
    const d = (values[j]! - model.medians[j]!) / model.scales[j]!;
    if (d > z) z = d;
  }
  return z / (z + 3);
}

function trainingRange(rows: readonly number[][]): TrainingRange {
  const range: TrainingRange = { medians: [], maxima: [] };
  for (let j = 0; j < HOST_FEATURE_NAMES.length; j++) {
    const column = rows.map((r) => r[j]!);
    range.medians.push(percentile(column, 50));
    // a loop, not Math.max(...column): spreading a day's windows (> ~120 k) overflows the call stack
    range.maxima.push(column.reduce((max, v) => (v > max ? v : max), -Infinity));
  }
  return range;
}

/**
 * The bytes columns a known host is held to: measured on the windows of hosts the baseline already knew. A host's
 * first window is measured against the population's mean window, and bytes span orders of magnitude between hosts
 * (a server's first window sends more than a laptop's busiest), so the range over all windows lets a known host
 * upload 10⁵ times its busiest window without leaving it (wrccdc's bulk transfer; docs/evaluation/network.md, fifth
 * pass). Counts and shares keep the range over all windows: held to the known-host range they alerted on benign
 * hosts of a 12-minute baseline (two windows a host).
 */
const KNOWN_HOST_RANGE_FEATURES: readonly string[] = ['bytes_out_vs_baseline', 'byte_ratio_vs_baseline'] satisfies readonly (typeof HOST_FEATURE_NAMES)[number][];

function withKnownHostBytes(all: TrainingRange, known: TrainingRange): TrainingRange {
  const pick = (field: keyof TrainingRange) => all[field].map((v, j) => (KNOWN_HOST_RANGE_FEATURES.includes(HOST_FEATURE_NAMES[j]!) ? known[field][j]! : v));
  return { medians: pick('medians'), maxima: pick('maxima') };
}

function excessBeyondRange(range: TrainingRange, values: ArrayLike<number>): number {
  let excess = 0;
  for (let j = 0; j < HOST_FEATURE_NAMES.length; j++) {
    const over = values[j]! - range.maxima[j]!;
    if (over > 0) excess += over / (range.maxima[j]! - range.medians[j]! + RANGE_FLOOR);
  }
  return excess;
}

interface Scorer {
  scorer: HostScorer;
  forest: IsolationForest | null;
  deviation?: DeviationModel;
  range?: TrainingRange;
  knownRange?: TrainingRange;
}

function scoreRows(detector: Scorer, rows: number[][], known: readonly boolean[]): Float64Array {
  if (rows.length === 0) return new Float64Array(0);
  let base: Float64Array;
  if (detector.scorer === 'iforest') {
    const cols = HOST_FEATURE_NAMES.length;
    const data = new Float64Array(rows.length * cols);
    rows.forEach((r, i) => data.set(r, i * cols));
    base = detector.forest!.anomalyScore({ data, rows: rows.length, cols });
  } else {
    base = Float64Array.from(rows, (r) => deviationScore(detector.deviation!, r));
  }
  const { range, knownRange } = detector;
  if (!range || !knownRange) return base;
  return base.map((s, i) => 1 - (1 - s) * Math.exp(-excessBeyondRange(known[i] ? knownRange : range, rows[i]!)));
}

/**
 * Fits on one training window of one network, or on several networks at once (`networks`: each gets its own
 * prequential baseline; the stored baseline is the last one's, so pass the scored network last or replace it).
 */
export function fitHostDetector(records: readonly ConnRecord[] | { networks: readonly (readonly ConnRecord[])[] }, options: HostDetectorOptions = {}): HostDetector {
  const o = { ...DEFAULT_HOST_DETECTOR, ...options };
  if (!(o.contamination >= 0 && o.contamination <= 0.5)) throw new Error(`host detector: contamination: expected a share in [0, 0.5], got ${o.contamination}`);
  const networks = 'networks' in records ? records.networks : [records];
  let baseline = new HostBaseline({ windowSeconds: o.windowSeconds });
  const rows: number[][] = [];
  const known: boolean[] = [];
  for (const network of networks) {
    baseline = new HostBaseline({ windowSeconds: o.windowSeconds });
    for (const group of byStart(hostWindows(network, o.windowSeconds))) {
      for (const w of group) {
        const f = baseline.features(network, w);
        rows.push(f.values);
        known.push(f.knownHost);
      }
      for (const w of group) baseline.absorb(network, w);
    }
  }
  if (rows.length === 0) throw new Error('host detector: no training windows (no records)');
  let forest: IsolationForest | null = null;
  let deviation: DeviationModel | undefined;
  const cols = HOST_FEATURE_NAMES.length;
  const range = trainingRange(rows);
  const knownRows = rows.filter((_, i) => known[i]);
  const knownRange = knownRows.length > 0 ? withKnownHostBytes(range, trainingRange(knownRows)) : range;
  const scales: number[] = [];
  for (let j = 0; j < cols; j++) {
    const median = range.medians[j]!;
    scales.push(Math.max(SCALE_FLOOR, 1.4826 * percentile(rows.map((r) => Math.abs(r[j]! - median)), 50)));
  }
  if (o.scorer === 'iforest') {
    const data = new Float64Array(rows.length * cols);
    rows.forEach((r, i) => data.set(r, i * cols));
    forest = IsolationForest.fit({ data, rows: rows.length, cols }, { nEstimators: o.nEstimators, seed: o.seed, featureNames: [...HOST_FEATURE_NAMES] });
  } else {
    deviation = { medians: range.medians, scales };
  }
  const trainingScores = scoreRows({ scorer: o.scorer, forest, deviation, range, knownRange }, rows, known);
  const threshold = percentile(trainingScores, 100 * (1 - o.contamination));
  const json: HostDetectorJson = {
    scorer: o.scorer,
    features: HOST_FEATURE_NAMES,
    contamination: o.contamination,
    threshold,
    trainingWindows: rows.length,
    baseline: baseline.toJSON(),
    range,
    knownRange,
    ...(forest ? { forest: forest.toJSON() } : {}),
    ...(deviation ? { deviation } : {}),
  };
  return { json, forest, trainingScores };
}

export function hostDetectorFromJson(doc: unknown, where = 'host detector'): HostDetector {
  const fail = (field: string, why: string): never => {
    throw new Error(`${where}: ${field}: ${why}`);
  };
  if (typeof doc !== 'object' || doc === null) fail('(root)', 'missing; retrain the model');
  const d = doc as Partial<HostDetectorJson>;
  if (!HOST_SCORERS.includes(d.scorer as HostScorer)) fail('scorer', `expected ${HOST_SCORERS.join(' or ')}, got ${JSON.stringify(d.scorer)}`);
  if (JSON.stringify(d.features) !== JSON.stringify(HOST_FEATURE_NAMES)) fail('features', 'other columns than this version builds; retrain the model');
  if (!(typeof d.threshold === 'number' && Number.isFinite(d.threshold))) fail('threshold', 'expected a number');
  if (!(typeof d.contamination === 'number' && d.contamination >= 0 && d.contamination <= 0.5)) fail('contamination', 'expected a share in [0, 0.5]');
  HostBaseline.fromJSON(d.baseline, `${where}: baseline`);
  const numbers = (a: unknown) => Array.isArray(a) && a.length === HOST_FEATURE_NAMES.length && a.every((v) => typeof v === 'number' && Number.isFinite(v));
  for (const field of ['range', 'knownRange'] as const) {
    if (!numbers(d[field]?.medians) || !numbers(d[field]?.maxima)) fail(field, 'expected { medians, maxima } of one number per feature; retrain the model');
  }
  let forest: IsolationForest | null = null;
  if (d.scorer === 'iforest') {
    try {
      forest = IsolationForest.fromJSON(d.forest);
    } catch (err) {
      fail('forest', (err as Error).message);
    }
  } else {
    if (!numbers(d.deviation?.medians) || !numbers(d.deviation?.scales) || !d.deviation!.scales.every((s) => s > 0)) fail('deviation', 'expected { medians, scales } of one number per feature');
  }
  return { json: d as HostDetectorJson, forest };
}

export interface ScoredHostWindow {
  host: string;
  role: HostRole;
  start: number;
  end: number;
  score: number;
  alert: boolean;
  knownHost: boolean;
  connections: number;
  features: Record<string, number>;
  /** Indices of the window's connections that show the change (into the scored records). */
  showing: number[];
}

export interface HostScoringResult {
  windows: ScoredHostWindow[];
  /** Per record: the largest score of its two windows, halved where the connection does not show the change. */
  connectionHostScores: Float64Array;
  /** Per record: 1 when it shows the change in an alerted window. */
  inAlert: Uint8Array;
}

export interface HostScoreOptions {
  /** Records before this index are context: absorbed into the baseline in order, never scored (default 0). */
  reportFrom?: number;
  /**
   * Absorb non-alerted windows into the baseline as the batch goes (default false: a batch is judged by the
   * training window's baseline, as the model was fit; learning as it goes let one missed attack window raise a
   * host's reference and hide every window after it).
   */
  learn?: boolean;
}

export function scoreHostWindows(detector: HostDetector, records: readonly ConnRecord[], options: HostScoreOptions = {}): HostScoringResult {
  const { json } = detector;
  const from = options.reportFrom ?? 0;
  const learn = options.learn ?? false;
  const baseline = HostBaseline.fromJSON(json.baseline);
  const windowSeconds = baseline.windowSeconds;
  const connectionHostScores = new Float64Array(records.length);
  const inAlert = new Uint8Array(records.length);
  const windows: ScoredHostWindow[] = [];
  const scorer: Scorer = { scorer: json.scorer, forest: detector.forest, deviation: json.deviation, range: json.range, knownRange: json.knownRange };
  for (const group of byStart(hostWindows(records, windowSeconds))) {
    // A window holding only context records is baseline material, not something to report.
    const reported = group.filter((w) => w.indices.some((i) => i >= from));
    const context = group.filter((w) => !w.indices.some((i) => i >= from));
    const feats = reported.map((w) => baseline.features(records, w));
    const scores = scoreRows(scorer, feats.map((f) => f.values), feats.map((f) => f.knownHost));
    reported.forEach((w, k) => {
      const score = scores[k]!;
      const alert = score > json.threshold;
      const showing: number[] = [];
      w.indices.forEach((i, m) => {
        const shows = feats[k]!.shows[m] === 1;
        if (shows) showing.push(i);
        const s = shows ? score : score / 2;
        if (s > connectionHostScores[i]!) connectionHostScores[i] = s;
        if (alert && shows) inAlert[i] = 1;
      });
      windows.push({
        host: w.host,
        role: w.role,
        start: w.start,
        end: w.start + windowSeconds,
        score,
        alert,
        knownHost: feats[k]!.knownHost,
        connections: w.indices.length,
        features: Object.fromEntries(HOST_FEATURE_NAMES.map((name, j) => [name, feats[k]!.values[j]!])),
        showing: showing.filter((i) => i >= from),
      });
    });
    if (learn) {
      for (const w of context) baseline.absorb(records, w);
      reported.forEach((w, k) => {
        if (!(scores[k]! > json.threshold)) baseline.absorb(records, w);
      });
    }
  }
  return { windows, connectionHostScores: connectionHostScores.subarray(from), inAlert: inAlert.subarray(from) };
}

/** Ranks in (0, 1], ties averaged (higher score = higher rank). */
export function normalisedRanks(scores: ArrayLike<number>): Float64Array {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]!] = rank / n;
    i = j + 1;
  }
  return ranks;
}

export const FUSIONS = ['connection', 'host', 'rank-mean', 'rank-max', 'alert-max', 'alert-mean'] as const;
export type Fusion = (typeof FUSIONS)[number];

/**
 * A combined score per connection from the forest's s(x) and the connection's host score (both as ranks):
 * rank-mean / rank-max of the two; alert-max: the connection's rank, raised to its host rank only where it shows
 * the change in an alerted window (so host evidence can only move connections of host alerts up); alert-mean: the
 * same connections get the mean of the two ranks instead (a benign-looking connection of an alerted host moves up
 * half way, an attack-looking one to the top).
 */
export function fuseScores(connection: ArrayLike<number>, host: ArrayLike<number>, fusion: Fusion, inAlert?: ArrayLike<number>): Float64Array {
  if (connection.length !== host.length) throw new Error(`fuseScores: ${connection.length} connection scores vs ${host.length} host scores`);
  if (fusion === 'connection') return Float64Array.from(connection);
  if (fusion === 'host') return Float64Array.from(host);
  const a = normalisedRanks(connection);
  const b = normalisedRanks(host);
  if (fusion === 'rank-mean') return a.map((v, i) => (v + b[i]!) / 2);
  if (fusion === 'rank-max') return a.map((v, i) => Math.max(v, b[i]!));
  if (!inAlert || inAlert.length !== a.length) throw new Error(`fuseScores: ${fusion} needs the per-connection alert flags`);
  if (fusion === 'alert-max') return a.map((v, i) => (inAlert[i] === 1 ? Math.max(v, b[i]!) : v));
  return a.map((v, i) => (inAlert[i] === 1 ? Math.max(v, (v + b[i]!) / 2) : v));
}
