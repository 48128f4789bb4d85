/**
 * `evaluate`: a model on labeled conn.log files, or one of the two evaluation protocols run on a labeled capture.
 *   --protocol as-is (default)   score the files with --model: ROC-AUC / PR-AUC of the fused ranking (forest +
 *                                host level) and of the forests alone (no rule), precision / recall at the model's
 *                                flags, silhouette, and the incident view (host alerts, false ones per benign day,
 *                                episodes detected and how fast)
 *   --protocol mixture           all Benign rows + --share of Malicious ones, --draws draws; first half (Benign
 *                                median time) trains a model with --features / --contamination / --host-contamination,
 *                                the second half is scored; --seeds model seeds per draw
 *   --protocol baseline-live     train on the Benign rows before the --fraction time quantile (attack-free), score
 *                                everything from then on
 * docs/evaluation/network.md says what each figure can and cannot claim.
 */
import type { Command } from 'commander';
import { networkAnomaly, onDemandJobs } from '@aiops/contracts';
import { addJobCommand, checkNumber, collectOption, validateBeforeRun } from '@aiops/common';
import { evaluateScores, incidentReport, labeledRanking, PROTOCOLS, runProtocol, scoreRecords, truthOf, type ProtocolRun } from '@aiops/network-anomaly';
import { loadModel } from '../files/model-store.ts';
import { readConnFiles } from '../files/read-conn-file.ts';
import { evaluationSummary } from '../files/summaries.ts';
import { checkContamination, checkFeatureSet, checkHostContamination } from './train.ts';

interface EvaluateOptions {
  model?: string;
  file: string[];
  json?: boolean;
  protocol: string;
  share: string;
  draws: string;
  seeds: string;
  fraction: string;
  features: string;
  contamination: string;
  hostContamination: string;
}

const fixed = (v: number | null, digits = 3) => (v === null ? 'n/a' : v.toFixed(digits));
const mean = (xs: (number | null)[]) => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
};

function protocolSummary(protocol: string, files: string[], runs: ProtocolRun[]): string {
  const m = (f: (r: ProtocolRun) => number | null) => mean(runs.map(f));
  const episodes = runs.reduce((n, r) => n + r.incidents.episodes, 0);
  const detected = runs.reduce((n, r) => n + r.incidents.episodesDetected, 0);
  const within = runs.reduce((n, r) => n + r.incidents.episodesWithinOneBatch, 0);
  const hosts = [...new Set(runs.flatMap((r) => r.alertedAttackHosts))].sort();
  return [
    `protocol ${protocol} on ${files.join(', ')}: ${runs.length} runs (scored ${Math.round(m((r) => r.scoredRows)!)} rows, ${Math.round(m((r) => r.malicious)!)} malicious / ${Math.round(m((r) => r.benign)!)} benign on average)`,
    `ROC-AUC    ${fixed(m((r) => r.rocAuc))}   (the forests alone ${fixed(m((r) => r.connectionRocAuc))})`,
    `PR-AUC     ${fixed(m((r) => r.prAuc))}   (the forests alone ${fixed(m((r) => r.connectionPrAuc))})`,
    `flagged    ${(100 * m((r) => r.flaggedAttackRows)!).toFixed(1)} % of attack rows, ${(100 * m((r) => r.flaggedEpisodes)!).toFixed(1)} % of episodes; ${(100 * m((r) => r.benignFlagged)!).toFixed(2)} % of benign rows`,
    `host       ${fixed(m((r) => r.incidents.hostAlerts), 1)} alerts a run, ${fixed(m((r) => r.incidents.falseHostAlertsPerBenignDay), 2)} false per benign day; episodes detected ${detected} of ${episodes}, ${within} within one window`,
    `hosts alerted on attack windows: ${hosts.length ? hosts.join(', ') : 'none'}`,
  ].join('\n');
}

export function registerEvaluateCommand(program: Command): void {
  const evaluate = addJobCommand<EvaluateOptions>(program, {
    command: 'evaluate',
    job: onDemandJobs.anomalyEvaluate,
    description:
      'on labeled conn.log files (Stratosphere `label` column): the model as-is (ROC-AUC, PR-AUC of the fused and the connection ranking, precision/recall, silhouette, host alerts and episodes), or a whole protocol (--protocol mixture|baseline-live) trained and scored inside the capture',
    options: (c) =>
      c
        .option('--model <file|dir>', 'as-is: model file or directory (default: config paths.modelDir)')
        .requiredOption('--file <labeled.conn.log>', 'labeled conn.log (label: Malicious/Benign; others are left out of the metrics); repeat for several', collectOption)
        .option('--json', 'print one JSON object instead of the table')
        .option('--protocol <name>', `${PROTOCOLS.join(' | ')}`, 'as-is')
        .option('--share <share>', 'mixture: share of Malicious rows', '0.05')
        .option('--draws <n>', 'mixture: draws of the Malicious rows', '5')
        .option('--seeds <n>', 'protocols: model seeds per split', '2')
        .option('--fraction <q>', 'baseline-live: Benign time quantile where training ends', '0.6')
        .option('--features <set>', 'protocols: feature set of the trained models', 'aggregates')
        .option('--contamination <share>', 'protocols: forest contamination', String(networkAnomaly.contamination))
        .option('--host-contamination <share>', 'protocols: host-alert contamination', String(networkAnomaly.hostContamination)),
    run: async (ctx, o) => {
      const records = await readConnFiles(o.file, (m) => ctx.logger.warn(m));
      if (!records.some((r) => truthOf(r) !== null)) throw new Error(`${o.file.join(', ')}: no row carries a Malicious or Benign label; nothing to evaluate`);
      ctx.addRecordsProcessed(records.length);
      if (o.protocol !== 'as-is') {
        const runs = runProtocol(records, {
          protocol: o.protocol as 'mixture' | 'baseline-live',
          share: Number(o.share),
          draws: Number(o.draws),
          seeds: Number(o.seeds),
          fraction: Number(o.fraction),
          train: {
            featureSet: o.features as 'basic' | 'aggregates',
            contamination: Number(o.contamination),
            host: { contamination: Number(o.hostContamination) },
            trainedAt: new Date().toISOString(),
          },
        });
        process.stdout.write(o.json ? `${JSON.stringify({ protocol: o.protocol, files: o.file, runs })}\n` : `${protocolSummary(o.protocol, o.file, runs)}\n`);
        return;
      }
      const model = loadModel(o.model ?? ctx.config.paths.modelDir);
      const result = scoreRecords(model, records, { all: false });
      const report = evaluateScores(records, result.fused, result.labels, result.matrix);
      const connection = labeledRanking(records, result.forestScores);
      const incidents = incidentReport(records, result.host, model.host.json.baseline.windowSeconds);
      const full = { model: model.document.modelVersion, files: o.file, ...report, connection, incidents };
      process.stdout.write(o.json ? `${JSON.stringify(full)}\n` : `${evaluationSummary(full)}\n`);
    },
  });
  validateBeforeRun(evaluate, (o) => {
    if (!(PROTOCOLS as readonly string[]).includes(String(o.protocol))) throw new Error(`--protocol: expected ${PROTOCOLS.join(', ')}, got "${String(o.protocol)}"`);
    checkNumber('--share', o.share, (n) => n > 0 && n < 1, 'a share in (0, 1)');
    checkNumber('--draws', o.draws, (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
    checkNumber('--seeds', o.seeds, (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
    checkNumber('--fraction', o.fraction, (n) => n > 0 && n < 1, 'a number in (0, 1)');
    checkFeatureSet(o.features);
    checkContamination(o.contamination);
    checkHostContamination(o.hostContamination);
  });
}
