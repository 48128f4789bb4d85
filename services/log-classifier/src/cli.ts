/**
 * `pnpm log-classifier <train|evaluate|explain|classify|review>`: log lines → critical / warning / informational /
 * noise. Each group of subcommands registers from its own module: files mode and model work from ./commands/,
 * the Elasticsearch-only commands (review loop) from ./elasticsearch/commands.ts, the review page from
 * ./commands/review-serve.ts. The model file format and the
 * line classifier are documented in ./model/model-file.ts and ./model/log-classifier.ts.
 */
import { loadClassifier } from './files/model-store.ts';
import { createProgram } from '@aiops/common';
import { registerClassifyCommand } from './commands/classify.ts';
import { registerEvaluateCommand } from './commands/evaluate.ts';
import { registerExplainCommand } from './commands/explain.ts';
import { registerReviewCommands } from './commands/review-serve.ts';
import { registerTrainCommand } from './commands/train.ts';
import { registerElasticsearchCommands } from './elasticsearch/commands.ts';

const program = createProgram(
  'aiops-log-classifier',
  'Log classification (critical / warning / informational / noise): TF-IDF + logistic regression → logs-classified-YYYY.MM.DD.',
);
program.action(() => program.help({ error: true })); // a bare call is a usage error, never a silent success

registerTrainCommand(program);
registerEvaluateCommand(program);
registerExplainCommand(program);
registerClassifyCommand(program);
const review = registerElasticsearchCommands(program, async (modelPath) => loadClassifier(modelPath));
registerReviewCommands(review, (modelPath) => {
  const classifier = loadClassifier(modelPath);
  return (message, severity) => classifier.explainLine(message, 5, { severity: severity || null }).terms;
});

await program.parseAsync(process.argv);
