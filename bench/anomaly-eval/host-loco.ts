/**
 * Host-level detection vs the per-connection forest, leave one capture out over every labeled capture
 * (host-captures.ts), in the two protocols of docs/evaluation/network.md:
 *   (a) mixture-5% / mixture-1%: per capture, every Benign row + Malicious rows drawn to make 5 % (1 %) of it
 *       (other labels dropped), DRAWS draws × SEEDS seeds. Both models train on the OTHER captures' mixtures of the
 *       same draw (unlabeled, benign-dominant); the held-out capture is scored as it comes, its hosts starting with
 *       no baseline (a network the models have never seen; the host baseline learns its non-alerted windows).
 *   (b) baseline-live: per capture, both models train on its Benign rows before the 60 % quantile of their
 *       timestamps (attack-free by construction), everything after that time is scored (all labels; metrics on
 *       Benign/Malicious). wrccdc-injected: the attacks are injected into the later part only.
 * Per run: connection ROC-AUC / PR-AUC of the connection score (the two forests, and the aggregates forest alone),
 * of the host score per connection, and of their fusions; host alerts (false ones: an alerted window holding no Malicious row); the incident view (episode =
 * attacker host × detailed label: detected by a host alert, minutes from its first connection to the end of the
 * alerting window); the contamination sweep (share of attack rows and episodes caught by either detector).
 * Run: pnpm exec tsx bench/anomaly-eval/host-loco.ts [--scorer iforest|deviation] (writes out/bench/host-loco.json)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { networkAnomaly } from '@aiops/contracts';
import { percentile, rocAuc, averagePrecision } from '@aiops/ml';
import { hostWindows, type ConnRecord } from '@aiops/zeek';
import {
  fitHostDetector,
  fuseScores,
  scoreHostWindows,
  type Fusion,
  type HostDetector,
  type HostScorer,
  type HostScoringResult,
} from '@aiops/network-anomaly';
import { caughtShares, incidentReport, truthOf } from '@aiops/network-anomaly';
import { baselineLiveSplit, mixture, mixtureSplit, scoredRecords } from '@aiops/network-anomaly';
import { boostedScores, defaultScorerOptions, fitConnectionScorer, MAX_BOOST_FROM, scoreConnections } from '@aiops/network-anomaly';
import { dense, features, mean, scoredWithContext, stack } from './forest-runs.ts';
import { SklearnSeedTasks } from './host-sklearn.ts';
import { loadCaptures, type Capture } from './host-captures.ts';

const DRAWS = (process.env.HOST_DRAWS ?? '0,1,2,3,4').split(',').map(Number);
const SEEDS = (process.env.HOST_SEEDS ?? '0,1').split(',').map(Number);
const SWEEP = [0.005, 0.01, 0.02, 0.05] as const;
const HOST_SWEEP = [0.02, 0.01, 0.005, 0.002, 0.001, 0] as const;
const FUSION_CANDIDATES: Fusion[] = ['connection', 'host', 'rank-mean', 'rank-max', 'alert-max', 'alert-mean'];
const argScorer = process.argv.indexOf('--scorer');
const SCORERS: HostScorer[] = argScorer > 0 ? [process.argv[argScorer + 1] as HostScorer] : ['iforest', 'deviation'];
/** Boost fusion grid (fusion.ts): `from` as a quantile of the training windows' host scores × weight. */
export const BOOST_FROM_Q = [0.5, 0.9, 0.99, 0.999, 1] as const;
export const BOOST_WEIGHTS = [0.05, 0.1, 0.25, 0.5, 1] as const;
export const boostKey = (q: number, w: number) => `${q}|${w}`;
/** Host alert rule variants: threshold quantile (0 = above every training window) × least connections showing. */
const EVIDENCE_THRESHOLDS = [0.002, 0.001, 0] as const;
const EVIDENCE_MIN_SHOWING = [1, 2, 5] as const;
const HOST_CONTAMINATION = Number(process.env.HOST_CONTAMINATION ?? networkAnomaly.hostContamination);

const truth = truthOf;

export interface RunResult {
  capture: string;
  protocol: string;
  scorer: HostScorer;
  draw: number;
  seed: number;
  malicious: number;
  benign: number;
  roc: Record<Fusion, number>;
  pr: Record<Fusion, number>;
  hostAlerts: number;
  falseHostAlerts: number;
  benignDays: number;
  episodes: number;
  episodesDetected: number;
  episodesWithinBatch: number;
  delaysMinutes: number[];
  /** Per host contamination: [host alerts, false host alerts, episodes detected, episodes within one batch]. */
  hostSweep: Record<string, [number, number, number, number]>;
  /** Per contamination: [share of attack rows caught, share of episodes caught, conn-only rows, conn-only episodes]. */
  sweep: Record<string, [number, number, number, number]>;
  /** ROC-AUC of the aggregates forest alone (the per-connection score before the fourth pass). */
  rocAggregatesOnly: number;
  /** ROC-AUC / PR-AUC of the shipped ranking (pipeline.ts: boost from the host threshold, hostBoostWeight). */
  rocShipped: number;
  prShipped: number;
  /** scikit-learn's IsolationForest on the seed's `basic` columns of the same split (null without the reference). */
  rocSklearnSeed: number | null;
  prSklearnSeed: number | null;
  /** ROC-AUC / PR-AUC of the boost fusion per grid key (boostKey). */
  boostRoc: Record<string, number>;
  boostPr: Record<string, number>;
  /** Per evidence variant `c|k`: [host alerts, false ones, episodes detected, within one batch, episodes whose attacker host is alerted in its first batch]. */
  evidenceSweep: Record<string, [number, number, number, number, number]>;
}

export interface Split {
  /** Training networks, each with its own prequential baseline; the held-out network's own history last. */
  train: ConnRecord[][];
  score: ConnRecord[];
  /** The held-out network's last hour before `score` (protocols.ts): seen by the scorers, never reported. */
  context: ConnRecord[];
}

function metrics(y: number[], s: number[]): { roc: number; pr: number } {
  return { roc: rocAuc(y, s), pr: averagePrecision(y, s) };
}

function runOne(capture: string, protocol: string, scorer: HostScorer, draw: number, seed: number, split: Split, sk: SklearnSeedTasks): RunResult | null {
  const { score } = split;
  // Scored with the hour before it as context, as detect reads it; every figure is over `score` (from reportFrom on).
  const { records: withContext, reportFrom } = scoredRecords(split);
  const scoredFeatures = (set: 'aggregates' | 'basic') => scoredWithContext((r) => features(r, set), split);
  const hostScores = (d: HostDetector) => scoreHostWindows(d, withContext, { reportFrom });
  const incidentsOf = (host: HostScoringResult) => incidentReport(withContext, host, windowSeconds, reportFrom);
  const labeled = score.map(truth);
  const malicious = labeled.filter((v) => v === 1).length;
  const benign = labeled.filter((v) => v === 0).length;
  if (malicious < 3 || benign < 5) return null;
  // Per-connection score as shipped (connection-score.ts: the aggregates and basic forests' tail shares), each
  // network's matrices built on its own rows; the aggregates forest alone beside it (the previous passes' score).
  const trainMatrix = stack(split.train.map((t) => features(t, 'aggregates')));
  const trainBasic = stack(split.train.map((t) => features(t, 'basic')));
  const connection = fitConnectionScorer(dense(trainMatrix), dense(trainBasic), defaultScorerOptions(trainMatrix.names, trainBasic.names, seed));
  const trainScores = scoreConnections(connection, dense(trainMatrix), dense(trainBasic)).scores;
  const scoreMatrix = scoredFeatures('aggregates');
  const connScores = scoreConnections(connection, dense(scoreMatrix), dense(scoredFeatures('basic'))).scores;
  const aggregatesOnly = connection.primary.anomalyScore(dense(scoreMatrix));
  // Host detector.
  const detector = fitHostDetector({ networks: split.train }, { scorer, seed, contamination: HOST_CONTAMINATION });
  const windowSeconds = detector.json.baseline.windowSeconds;
  const host = hostScores(detector);
  const idx = labeled.flatMap((v, i) => (v === null ? [] : [i]));
  const y = idx.map((i) => labeled[i]!);
  const roc = {} as Record<Fusion, number>;
  const pr = {} as Record<Fusion, number>;
  for (const fusion of FUSION_CANDIDATES) {
    const fused = fuseScores(connScores, host.connectionHostScores, fusion, host.inAlert);
    const m = metrics(y, idx.map((i) => fused[i]!));
    roc[fusion] = m.roc;
    pr[fusion] = m.pr;
  }
  const before = metrics(y, idx.map((i) => aggregatesOnly[i]!));
  const shipped = boostedScores(connScores, host.connectionHostScores, { from: Math.min(detector.json.threshold, MAX_BOOST_FROM), weight: networkAnomaly.hostBoostWeight });
  const shippedMetrics = metrics(y, idx.map((i) => shipped[i]!));
  // One task per split and seed: baseline-live injects its attacks with the seed, so the split depends on it.
  const taskId = `${protocol}|${capture}|${draw}|${seed}`;
  if (!sk.has(taskId)) sk.add(taskId, stack(split.train.map((t) => features(t, 'basic'))), features(score, 'basic'), idx, y);
  const boostRoc: Record<string, number> = {};
  const boostPr: Record<string, number> = {};
  // The held-out network's own history windows are the last ones of the training scores (its baseline is fit last).
  const ownWindows = hostWindows(split.train.at(-1)!, detector.json.baseline.windowSeconds).length;
  const ownScores = detector.trainingScores!.subarray(detector.trainingScores!.length - ownWindows);
  for (const [prefix, pool] of [['', detector.trainingScores!], ['own:', ownScores]] as const) {
    for (const q of BOOST_FROM_Q) {
      const from = Math.min(0.999, percentile(pool, 100 * q));
      for (const w of BOOST_WEIGHTS) {
        const fused = boostedScores(connScores, host.connectionHostScores, { from, weight: w });
        const m = metrics(y, idx.map((i) => fused[i]!));
        boostRoc[prefix + boostKey(q, w)] = m.roc;
        boostPr[prefix + boostKey(q, w)] = m.pr;
      }
    }
  }
  // Host alerts and the incident view at the detector's own threshold, then across host contaminations.
  const incidents = incidentsOf(host);
  const hostSweep: RunResult['hostSweep'] = {};
  for (const c of HOST_SWEEP) {
    const threshold = percentile(detector.trainingScores!, 100 * (1 - c));
    const swept = incidentsOf(hostScores({ ...detector, json: { ...detector.json, threshold } }));
    const n = swept.episodes.length;
    hostSweep[String(c)] = [swept.hostAlerts, swept.falseHostAlerts, swept.episodesDetected / n, swept.episodesWithinOneBatch / n];
  }
  const evidenceSweep: RunResult['evidenceSweep'] = {};
  const firstBatch = new Map<string, number>();
  score.forEach((r) => {
    if (truth(r) !== 1) return;
    const key = `${r.origHost}|${r.detailedLabel ?? ''}`;
    const start = Math.floor(r.ts / windowSeconds) * windowSeconds;
    firstBatch.set(key, Math.min(firstBatch.get(key) ?? Infinity, start));
  });
  for (const [prefix, pool] of [['', detector.trainingScores!], ['own:', ownScores]] as const) {
    for (const c of EVIDENCE_THRESHOLDS) {
      const threshold = c === 0 ? Math.max(...pool) : percentile(pool, 100 * (1 - c));
      const rescored = hostScores({ ...detector, json: { ...detector.json, threshold } });
      for (const k of EVIDENCE_MIN_SHOWING) {
        const windows = rescored.windows.map((w) => ({ ...w, alert: w.alert && w.showing.length >= k }));
        const swept = incidentsOf({ ...rescored, windows });
        const alertedAt = new Set(windows.filter((w) => w.alert).map((w) => `${w.host}|${w.start}`));
        let hostNamed = 0;
        for (const [key, start] of firstBatch) if (alertedAt.has(`${key.split('|')[0]}|${start}`)) hostNamed++;
        const n = swept.episodes.length;
        evidenceSweep[`${prefix}${c}|${k}`] = [swept.hostAlerts, swept.falseHostAlerts, swept.episodesDetected / n, swept.episodesWithinOneBatch / n, firstBatch.size ? hostNamed / firstBatch.size : 0];
      }
    }
  }
  const sweep: RunResult['sweep'] = {};
  for (const c of SWEEP) {
    const connThreshold = percentile(trainScores, 100 * (1 - c));
    const hostThreshold = percentile(detector.trainingScores!, 100 * (1 - c));
    const swept = hostScores({ ...detector, json: { ...detector.json, threshold: hostThreshold } });
    const both = caughtShares(score, connScores, connThreshold, swept.inAlert);
    const connOnly = caughtShares(score, connScores, connThreshold, null);
    sweep[String(c)] = [both.rows, both.episodes, connOnly.rows, connOnly.episodes];
  }
  return {
    capture,
    protocol,
    scorer,
    draw,
    seed,
    malicious,
    benign,
    roc,
    pr,
    hostAlerts: incidents.hostAlerts,
    falseHostAlerts: incidents.falseHostAlerts,
    benignDays: incidents.benignDays,
    episodes: incidents.episodes.length,
    episodesDetected: incidents.episodesDetected,
    episodesWithinBatch: incidents.episodesWithinOneBatch,
    delaysMinutes: incidents.episodes.flatMap((e) => (e.delayMinutes === null ? [] : [e.delayMinutes])),
    sweep,
    hostSweep,
    rocAggregatesOnly: before.roc,
    rocShipped: shippedMetrics.roc,
    prShipped: shippedMetrics.pr,
    rocSklearnSeed: null,
    prSklearnSeed: null,
    boostRoc,
    boostPr,
    evidenceSweep,
  };
}

/**
 * (a): the held-out network's mixture, first half (Benign median time) = its unlabeled history (models fit on it and
 * on the other captures' mixtures, its host baseline is that half's), second half scored.
 */
export function mixtureLocoSplit(captures: Capture[], mixes: ConnRecord[][], k: number, share: number, seed: number): Split | null {
  const capture = captures[k]!;
  // Too few Benign rows to split in time (njrat-230 has 9): the capture still trains the others.
  if (capture.records.filter((r) => truth(r) === 0).length < 20) return null;
  const own = mixtureSplit(capture.records, share, seed);
  const related = (j: number) => j === k || captures[j]!.base === capture.name || capture.base === captures[j]!.name;
  return { train: [...mixes.filter((_, j) => !related(j)), own.train], score: own.score, context: own.context };
}

/** (b): the product's baseline-live split; wrccdc-injected gets its attacks injected into the later part only. */
export function baselineLiveLocoSplit(c: Capture, seed: number): Split | null {
  if (c.records.filter((r) => truth(r) === 0).length < 20) return null;
  if (!c.injectInto) {
    const { train, score, context } = baselineLiveSplit(c.records);
    return { train: [train], score, context };
  }
  const benign = c.records.filter((r) => truth(r) === 0);
  const { train, score, context } = baselineLiveSplit(benign);
  // wrccdc: the five attacks blended into the later part; botnet: the host turns bot at the cut.
  return { train: [train], score: c.injectInto(score, seed), context };
}

export interface LocoRun {
  capture: string;
  protocol: string;
  draw: number;
  seed: number;
  split: Split;
}

/** Every held-out capture × protocol × draw × seed of this evaluation, in one order (feature-loco/select reuse it). */
export function* locoRuns(captures: Capture[], draws: readonly number[], seeds: readonly number[]): Generator<LocoRun> {
  for (const share of [0.05, 0.01]) {
    for (const draw of draws) {
      const drawSeed = 1000 * draw + 7;
      const mixes = captures.map((c) => mixture(c.records, share, drawSeed));
      for (const [k, c] of captures.entries()) {
        for (const seed of seeds) {
          const split = mixtureLocoSplit(captures, mixes, k, share, drawSeed);
          if (split) yield { capture: c.name, protocol: `mixture-${share * 100}%`, draw, seed, split };
        }
      }
    }
  }
  for (const c of captures) {
    for (const seed of seeds) {
      const split = baselineLiveLocoSplit(c, seed);
      if (split) yield { capture: c.name, protocol: 'baseline-live', draw: 0, seed, split };
    }
  }
}

export async function runHostLoco(): Promise<RunResult[]> {
  const captures = await loadCaptures();
  const results: RunResult[] = [];
  const sk = new SklearnSeedTasks(SEEDS);
  for (const scorer of SCORERS) {
    for (const run of locoRuns(captures, DRAWS, SEEDS)) {
      const r = runOne(run.capture, run.protocol, scorer, run.draw, run.seed, run.split, sk);
      if (r) results.push(r);
    }
    process.stderr.write(`host-loco: ${scorer} done (${results.length} runs)\n`);
  }
  const reference = sk.run();
  for (const r of results) {
    const ref = reference.get(`${r.protocol}|${r.capture}|${r.draw}|${r.seed}`)?.get(r.seed);
    r.rocSklearnSeed = ref?.roc ?? null;
    r.prSklearnSeed = ref?.pr ?? null;
  }
  return results;
}

const f3 = (x: number) => x.toFixed(3);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export function hostLocoTables(results: RunResult[]): string {
  const lines: string[] = [];
  const groups = new Map<string, RunResult[]>();
  for (const r of results) {
    const key = `${r.scorer}|${r.protocol}|${r.capture}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  lines.push('| scorer | protocol | held-out capture | runs | malicious / benign | ROC aggregates forest (before) | ROC conn forests | ROC sklearn seed | **ROC shipped** | ROC alert-mean (before) | PR conn | PR sklearn seed | PR shipped | host alerts | false / benign day | episodes detected | within 1 batch | median delay min |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const [key, rs] of groups) {
    const [scorer, protocol, capture] = key.split('|');
    const m = (f: (r: RunResult) => number) => mean(rs.map(f));
    const sk = (f: (r: RunResult) => number | null) => (rs.every((r) => f(r) !== null) ? f3(m((r) => f(r)!)) : '-');
    const delays = rs.flatMap((r) => r.delaysMinutes).sort((a, b) => a - b);
    lines.push(
      `| ${scorer} | ${protocol} | ${capture} | ${rs.length} | ${Math.round(m((r) => r.malicious))} / ${Math.round(m((r) => r.benign))} | ${f3(m((r) => r.rocAggregatesOnly))} | ${f3(m((r) => r.roc.connection))} | ${sk((r) => r.rocSklearnSeed)} | ${f3(m((r) => r.rocShipped))} | ${f3(m((r) => r.roc['alert-mean']))} | ${f3(m((r) => r.pr.connection))} | ${sk((r) => r.prSklearnSeed)} | ${f3(m((r) => r.prShipped))} | ${m((r) => r.hostAlerts).toFixed(1)} | ${m((r) => r.falseHostAlerts / r.benignDays).toFixed(2)} | ${pct(m((r) => r.episodesDetected / r.episodes))} of ${Math.round(m((r) => r.episodes))} | ${pct(m((r) => r.episodesWithinBatch / r.episodes))} | ${delays.length ? delays[Math.floor(delays.length / 2)]!.toFixed(1) : '-'} |`,
    );
  }
  lines.push('');
  lines.push('| scorer | protocol | held-out capture | host contamination | host alerts | false alerts / benign day | episodes detected | within one batch |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const [key, rs] of groups) {
    const [scorer, protocol, capture] = key.split('|');
    for (const c of HOST_SWEEP) {
      const m = (f: (r: RunResult) => number) => mean(rs.map(f));
      const h = (r: RunResult) => r.hostSweep[String(c)]!;
      lines.push(`| ${scorer} | ${protocol} | ${capture} | ${c} | ${m((r) => h(r)[0]).toFixed(1)} | ${m((r) => h(r)[1] / r.benignDays).toFixed(2)} | ${pct(m((r) => h(r)[2]))} | ${pct(m((r) => h(r)[3]))} |`);
    }
  }
  lines.push('');
  lines.push('| scorer | protocol | contamination | attack rows caught (conn or host) | episodes caught | conn forest alone: rows | episodes |');
  lines.push('|---|---|---|---|---|---|---|');
  const byProto = new Map<string, RunResult[]>();
  for (const r of results) byProto.set(`${r.scorer}|${r.protocol}`, [...(byProto.get(`${r.scorer}|${r.protocol}`) ?? []), r]);
  for (const [key, rs] of byProto) {
    const [scorer, protocol] = key.split('|');
    for (const c of SWEEP) {
      const m = (k: number) => mean(rs.map((r) => r.sweep[String(c)]![k]!));
      lines.push(`| ${scorer} | ${protocol} | ${c} | ${pct(m(0))} | ${pct(m(1))} | ${pct(m(2))} | ${pct(m(3))} |`);
    }
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await runHostLoco();
  console.log(hostLocoTables(results));
  mkdirSync('out/bench', { recursive: true });
  writeFileSync('out/bench/host-loco.json', `${JSON.stringify(results, null, 1)}\n`);
}
