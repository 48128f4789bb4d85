/**
 * `train`: fit on the hand-labeled Loghub templates (80/20 split by template) and every Linux-server line, score the
 * held-out Loghub templates, write the model and a log row.
 */
import { systemClock } from '@aiops/common';
import { DEFAULT_TRAIN_OPTIONS, evaluateClassifier, LogClassifier, loghubTemplateSplit, trainModel } from '@aiops/log-classification';
import { writeModelFile } from '../files/model-store.ts';
import { trainOptionsFor } from '../files/training-data.ts';
import { appendTrainingLog } from '../files/training-log.ts';
import type { Command } from 'commander';
import { join } from 'node:path';
import { defaultKnowledgeFile, defaultLabelsDir, defaultLinuxLogsFile, defaultLoghubDir, loadLabeled } from '../files/training-data.ts';
import { fraction, integer, runAction } from './shared-options.ts';
import { loadReviewedLines, reviewsRecord } from './train-reviews.ts';

interface TrainCli {
  labels: string;
  loghub: string;
  extra?: string;
  linuxLogs: string | false;
  knowledge: string | false;
  reviews?: string;
  out: string;
  testFraction: number;
  seed: number;
  charNgrams?: boolean;
  all?: boolean;
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('fit TF-IDF + logistic regression on hand-labeled Loghub templates and Linux-server lines; hold out 20 % of the templates (stratified, seeded) and record their scores in the model')
    .option('--labels <dir>', 'folder of <System>_templates_labels.csv', defaultLabelsDir())
    .option('--loghub <dir>', 'Loghub folder (<System>/<System>_2k.log_structured.csv)', defaultLoghubDir())
    .option('--extra <csv>', 'extra labeled lines, columns message,label (e.g. from `review import`)')
    .option('--linux-logs <csv>', 'labeled Linux-server lines (source,message,label); --no-linux-logs for none', defaultLinuxLogsFile())
    .option('--no-linux-logs', 'train without the Linux-server lines')
    .option('--knowledge <json>', 'logcheck/fail2ban patterns (extract-knowledge.ts); --no-knowledge for none', defaultKnowledgeFile())
    .option('--no-knowledge', 'train without the logcheck and fail2ban patterns')
    .option('--reviews <csv>', 'lines people labeled on the review page (`review export --labels`): training only, never held out; the model records how many it used')
    .requiredOption('--out <model.json>', 'model file to write (training_log.csv is appended next to it)')
    .option('--test-fraction <f>', 'share of each class\'s Loghub templates held out (Linux-server lines always train)', fraction, 0.2)
    .option('--seed <n>', 'seed of the split and of the folds', integer, 42)
    .option('--char-ngrams', 'add character 3–5-grams beside the word 1–2-grams (slower; see docs/evaluation/logs.md)')
    .option('--all', 'after scoring the held-out templates, refit on every template for deployment (split kept in the model for reference)')
    .action((o: TrainCli) =>
      runAction(() => {
        const lines = loadLabeled(o.labels, o.loghub, o.extra, o.linuxLogs);
        // Reviewed lines only ever train: the held-out templates stay the hand-labeled ones, comparable across models.
        const reviewed = o.reviews ? loadReviewedLines(o.reviews) : [];
        const split = loghubTemplateSplit(lines, o.testFraction, o.seed);
        const { heldOut, test } = split;
        const train = [...split.train, ...reviewed];
        const options = {
          ...trainOptionsFor(o.labels, undefined, o.knowledge),
          seed: o.seed,
          features: { ...DEFAULT_TRAIN_OPTIONS.features, charNgramRange: o.charNgrams ? ([3, 5] as [number, number]) : null },
        };
        const { model, seconds } = trainModel(train, options, systemClock());
        const evaluation = evaluateClassifier(new LogClassifier(model), test);
        const final = o.all ? trainModel([...lines, ...reviewed], options, systemClock()).model : model;
        final.split = { seed: o.seed, testFraction: o.testFraction, heldOutTemplates: [...heldOut].sort() };
        final.heldOutMetrics = {
          lines: evaluation.lines,
          templates: evaluation.templates,
          macroF1: evaluation.perLine.macroF1,
          criticalRecall: evaluation.perLine.perClass.critical?.recall ?? Number.NaN,
          perTemplateMacroF1: evaluation.perTemplate.macroF1,
          perTemplateCriticalRecall: evaluation.perTemplate.perClass.critical?.recall ?? Number.NaN,
          ece: evaluation.ece,
        };
        final.training = { ...final.training, refitOnAllTemplates: Boolean(o.all), reviews: reviewsRecord(o.reviews, reviewed) };
        writeModelFile(o.out, final);
        const log = appendTrainingLog(o.out, {
          trained_at: final.trainedAt,
          model_version: final.modelVersion,
          model_file: o.out,
          lines: lines.length + reviewed.length,
          documents: String(final.training.documents),
          templates: String(final.training.templates),
          features: String(final.training.features),
          train_seconds: seconds.toFixed(3),
          held_out_templates: heldOut.size,
          macro_f1: evaluation.perLine.macroF1.toFixed(4),
          critical_recall: final.heldOutMetrics.criticalRecall.toFixed(4),
          per_template_macro_f1: evaluation.perTemplate.macroF1.toFixed(4),
          ece: evaluation.ece.toFixed(4),
          critical_threshold: final.decision.criticalThreshold,
          temperature: final.calibration.temperature.toFixed(4),
        });
        process.stderr.write(
          `model ${final.modelVersion} → ${o.out} (${lines.length} lines${reviewed.length ? ` + ${reviewed.length} reviewed` : ''}, ${heldOut.size} held-out templates, fit ${seconds.toFixed(2)} s)\n` +
            `held-out: macro-F1 ${evaluation.perLine.macroF1.toFixed(3)} per line, ${evaluation.perTemplate.macroF1.toFixed(3)} per template; ` +
            `critical recall ${final.heldOutMetrics.criticalRecall.toFixed(3)}; ECE ${evaluation.ece.toFixed(3)}; log ${log}\n` +
            (final.guideRules
              ? `labeling guide ${join(o.labels, 'README.md')}: ${options.guideExamples?.length ?? 0} examples in the fit, ${final.guideRules.patterns.length} phrase rules (precision ${final.guideRules.precision.toFixed(3)} on ${final.guideRules.matchedMessages} training messages)\n`
              : `no labeling guide in ${o.labels} (README.md): the model alone decides\n`) +
            (final.knowledge
              ? `knowledge: rules (kernel/systemd families${final.knowledge.file ? ', fail2ban' : ''}) decide ${final.knowledge.matchedMessages} training messages (precision ${final.knowledge.precision.toFixed(3)})${o.knowledge ? `, patterns ${o.knowledge}` : ''}\n`
              : ''),
        );
      }),
    );
}
