/**
 * The per-connection score: two Isolation Forests, one over the window-context columns (`aggregates`) and a smaller
 * one over the connection's own columns (`basic`; networkAnomaly.basicForestTrees trees), each score read as its
 * tail share among the training connections' scores (a p-value: which share of training connections scored at least
 * as high), combined as a weighted Fisher statistic:
 *
 *   T = −ln p_aggregates − w · ln p_basic,   anomaly_score = 1 − exp(−T / (1 + w)) = 1 − (p_a · p_b^w)^(1/(1+w))
 *
 * so anomaly_score is 1 − the (weighted geometric) mean tail share: 0.999 means rarer than 99.9 % of the training
 * connections, for either forest's reasons. Why two forests (docs/evaluation/network.md, "Fourth pass"): the context
 * columns see what a connection means in its host's traffic (scans, exfiltration, beacons in a busy host) and dilute
 * what is odd about the connection alone (a bot's sparse telnet probes among its benign traffic: 5 %-mixture ROC-AUC
 * 0.87 on the injected botnet against 0.97 for the connection columns); the connection columns alone lose the CTU
 * days' victims (0.76 on ctu-012). Read as tail shares, neither forest's scale decides; one forest in one column
 * space (`union`) was worse than both. w = networkAnomaly.basicForestWeight, picked by nested leave-one-capture-out.
 * With the `basic` feature set there is no second forest (w = 0): anomaly_score = 1 − p.
 *
 * Pure: matrices in, scores out; the tail tables are plain JSON in the model file.
 */
import { networkAnomaly } from '@aiops/contracts';
import { IsolationForest, percentile, type DenseMatrix } from '@aiops/ml';

/** Exact training scores kept at the top of a tail table, and evenly spaced ranks below them. */
const TAIL_EXACT = 1024;
const TAIL_GRID = 1024;

/**
 * Training scores as (score, how many training rows score ≥ it) knots, ascending by score: the top TAIL_EXACT
 * exactly (the tail, where the flagging threshold sits), TAIL_GRID evenly spaced ranks below.
 */
export interface TailTableJson {
  rows: number;
  scores: number[];
  atLeast: number[];
}

export function tailTable(trainingScores: ArrayLike<number>): TailTableJson {
  const sorted = Float64Array.from(trainingScores).sort();
  const n = sorted.length;
  if (n === 0) throw new Error('tailTable: no training scores');
  const ranks = new Set<number>();
  const exactFrom = Math.max(0, n - TAIL_EXACT);
  for (let k = 0; k < TAIL_GRID && exactFrom > 0; k++) ranks.add(Math.floor((k * exactFrom) / TAIL_GRID));
  for (let r = exactFrom; r < n; r++) ranks.add(r);
  const scores: number[] = [];
  const atLeast: number[] = [];
  for (const r of [...ranks].sort((a, b) => a - b)) {
    // Ties: a knot counts every row ≥ its score, so only the first rank of a run of equal scores is kept.
    if (scores.length > 0 && scores[scores.length - 1] === sorted[r]) continue;
    let first = r;
    while (first > 0 && sorted[first - 1] === sorted[r]) first--;
    scores.push(sorted[r]!);
    atLeast.push(n - first);
  }
  return { rows: n, scores, atLeast };
}

/**
 * Share of training rows scoring ≥ s, as (count + 1) / (rows + 1), the count interpolated linearly between knots
 * (continuous and strictly falling in s, so the forest's own order survives). Above the highest training score the
 * count keeps falling, from the top knot's to 0 at s = 1, so connections beyond the training range still rank among
 * themselves.
 */
export function tailShare(table: TailTableJson, s: number): number {
  let lookup = lookups.get(table);
  if (!lookup) lookups.set(table, (lookup = new TailLookup(table)));
  return lookup.share(s);
}

const lookups = new WeakMap<TailTableJson, TailLookup>();

/** Buckets of the score range [0, 1] indexed by a tail lookup (a power of two: s · BUCKETS is exact). */
const BUCKETS = 4096;

/**
 * A tail table ready for many lookups: the knots in typed arrays, and per score bucket the number of knots below
 * it, so that a lookup bisects the few knots of its bucket instead of all of them (about 70 ns a lookup before,
 * most of it mispredicted branches; the answer is the same).
 */
export class TailLookup {
  private readonly scores: Float64Array;
  private readonly atLeast: Float64Array;
  private readonly rows: number;
  /** below[b] = how many knots score < b / BUCKETS, for b in [0, BUCKETS]. */
  private readonly below = new Int32Array(BUCKETS + 1);

  constructor(table: TailTableJson) {
    this.scores = Float64Array.from(table.scores);
    this.atLeast = Float64Array.from(table.atLeast);
    this.rows = table.rows;
    for (let b = 0, k = 0; b <= BUCKETS; b++) {
      while (k < this.scores.length && this.scores[k]! < b / BUCKETS) k++;
      this.below[b] = k;
    }
  }

  share(s: number): number {
    const { scores, atLeast, rows } = this;
    const last = scores.length - 1;
    if (s >= scores[last]!) return (1 + (atLeast[last]! * Math.max(0, 1 - s)) / Math.max(1e-12, 1 - scores[last]!)) / (rows + 1);
    if (s <= scores[0]!) return (atLeast[0]! + 1) / (rows + 1);
    // scores[0] < s < scores[last], so 0 ≤ s < 1 and b / BUCKETS ≤ s < (b + 1) / BUCKETS: the knots below s are
    // at least below[b] and at most below[b + 1].
    const b = Math.floor(s * BUCKETS);
    let lo = Math.max(0, this.below[b]! - 1);
    let hi = Math.min(last, this.below[b + 1]!);
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (scores[mid]! < s) lo = mid;
      else hi = mid;
    }
    // scores[lo] < s ≤ scores[hi]: the count at s lies between atLeast[hi] (s at the knot) and atLeast[lo].
    const t = (scores[hi]! - s) / (scores[hi]! - scores[lo]!);
    const count = atLeast[hi]! + t * (atLeast[lo]! - atLeast[hi]!);
    return (count + 1) / (rows + 1);
  }
}

/** 1 − (p_a · p_b^w)^(1/(1+w)); p_b ignored at w = 0. */
export function fusedTailScore(pPrimary: number, pCompanion: number, weight: number): number {
  return fuse(Math.log(pPrimary), weight > 0 ? weight * Math.log(pCompanion) : 0, 1 / (1 + weight));
}

/** The fusion from ln p_a and w·ln p_b (scoreConnections compares the two terms too): one exp. */
const fuse = (logPrimary: number, weightedLogCompanion: number, root: number): number => 1 - Math.exp((logPrimary + weightedLogCompanion) * root);

export interface ConnectionScorerJson {
  /** w of the header; 0 when there is no companion forest. */
  weight: number;
  primaryTail: TailTableJson;
  /** The `basic` forest beside an `aggregates` primary, or null. */
  companion: { names: string[]; forest: ReturnType<IsolationForest['toJSON']>; tail: TailTableJson } | null;
  /** anomaly_score above this flags a connection: the (1 − contamination) quantile of the training rows' scores. */
  threshold: number;
}

export interface ConnectionScorer {
  json: ConnectionScorerJson;
  primary: IsolationForest;
  companion: IsolationForest | null;
}

export interface ConnectionScores {
  /** anomaly_score per row. */
  scores: Float64Array;
  /** Per row, whether the companion forest's term −w·ln p_b outweighs the primary's (its columns explain the row). */
  companionLeads: Uint8Array;
}

export interface FitConnectionScorerOptions {
  contamination: number;
  nEstimators: number;
  maxSamples: 'auto' | number;
  seed: number;
  /** w; used only with a companion matrix. */
  weight: number;
  /** Trees of the companion forest. */
  companionEstimators: number;
  primaryNames: readonly string[];
  companionNames: readonly string[];
}

/** The shipped settings (@aiops/contracts networkAnomaly) for columns of these names: what the benches fit. */
export function defaultScorerOptions(primaryNames: readonly string[], companionNames: readonly string[], seed: number): FitConnectionScorerOptions {
  return {
    contamination: networkAnomaly.contamination,
    nEstimators: 100,
    maxSamples: 'auto',
    seed,
    weight: networkAnomaly.basicForestWeight,
    companionEstimators: networkAnomaly.basicForestTrees,
    primaryNames,
    companionNames,
  };
}

/** Fits the forests on the training rows (one matrix per column space, same rows in the same order). */
export function fitConnectionScorer(primaryTrain: DenseMatrix, companionTrain: DenseMatrix | null, o: FitConnectionScorerOptions): ConnectionScorer {
  const forestOptions = { contamination: o.contamination, nEstimators: o.nEstimators, maxSamples: o.maxSamples };
  const primary = IsolationForest.fit(primaryTrain, { ...forestOptions, seed: o.seed, featureNames: [...o.primaryNames] });
  // Another seed: the two forests' trees should not share their row samples.
  const companion = companionTrain
    ? IsolationForest.fit(companionTrain, { ...forestOptions, nEstimators: o.companionEstimators, seed: o.seed + 1, featureNames: [...o.companionNames] })
    : null;
  const primaryTail = tailTable(primary.anomalyScore(primaryTrain));
  const companionTail = companion ? tailTable(companion.anomalyScore(companionTrain!)) : null;
  const json: ConnectionScorerJson = {
    weight: companion ? o.weight : 0,
    primaryTail,
    companion: companion ? { names: [...o.companionNames], forest: companion.toJSON(), tail: companionTail! } : null,
    threshold: 0,
  };
  const scorer = { json, primary, companion };
  json.threshold = percentile(scoreConnections(scorer, primaryTrain, companionTrain).scores, 100 * (1 - o.contamination));
  return scorer;
}

export function scoreConnections(scorer: ConnectionScorer, primary: DenseMatrix, companion: DenseMatrix | null): ConnectionScores {
  const { json } = scorer;
  const a = scorer.primary.anomalyScore(primary);
  const b = scorer.companion && companion ? scorer.companion.anomalyScore(companion) : null;
  if (scorer.companion && !b) throw new Error('scoreConnections: the model has a companion forest; pass its matrix');
  const scores = new Float64Array(a.length);
  const companionLeads = new Uint8Array(a.length);
  const root = 1 / (1 + json.weight);
  const primaryTail = new TailLookup(json.primaryTail);
  const companionTail = b ? new TailLookup(json.companion!.tail) : null;
  for (let i = 0; i < a.length; i++) {
    const logA = Math.log(primaryTail.share(a[i]!));
    const weightedLogB = companionTail ? json.weight * Math.log(companionTail.share(b![i]!)) : 0;
    scores[i] = fuse(logA, weightedLogB, root);
    companionLeads[i] = weightedLogB < logA ? 1 : 0;
  }
  return { scores, companionLeads };
}

/** Rebuilds a scorer from its JSON and the primary forest; errors name the field. */
export function connectionScorerFromJson(json: unknown, primary: IsolationForest, where: string): ConnectionScorer {
  const fail = (field: string, why: string): never => {
    throw new Error(`${where}.${field}: ${why}`);
  };
  if (typeof json !== 'object' || json === null) fail('(root)', 'missing (a model before formatVersion 5?); retrain it');
  const j = json as Partial<ConnectionScorerJson>;
  if (!(typeof j.weight === 'number' && j.weight >= 0)) fail('weight', 'expected a number ≥ 0');
  if (!(typeof j.threshold === 'number' && j.threshold >= 0 && j.threshold <= 1)) fail('threshold', 'expected a number in [0, 1]');
  validateTail(j.primaryTail, 'primaryTail', fail);
  let companion: IsolationForest | null = null;
  if (j.companion !== null) {
    if (typeof j.companion !== 'object' || !Array.isArray(j.companion.names)) fail('companion', 'expected null or {names, forest, tail}');
    validateTail(j.companion!.tail, 'companion.tail', fail);
    try {
      companion = IsolationForest.fromJSON(j.companion!.forest);
    } catch (err) {
      fail('companion.forest', (err as Error).message);
    }
  }
  return { json: j as ConnectionScorerJson, primary, companion };
}

function validateTail(tail: unknown, field: string, fail: (field: string, why: string) => never): void {
  const t = tail as Partial<TailTableJson> | null;
  if (!t || !Number.isInteger(t.rows) || !Array.isArray(t.scores) || !Array.isArray(t.atLeast) || t.scores.length === 0 || t.scores.length !== t.atLeast.length) {
    fail(field, 'expected {rows, scores, atLeast} with as many scores as counts');
  }
  for (let i = 1; i < t!.scores!.length; i++) if (!(t!.scores![i - 1]! < t!.scores![i]!)) fail(`${field}.scores[${i}]`, 'not ascending');
}
