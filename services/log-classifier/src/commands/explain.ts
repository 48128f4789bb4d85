/** `explain`: the terms each class leans on, or the terms that decided one line. */
import { loadClassifier } from '../files/model-store.ts';
import type { Command } from 'commander';
import { integer, runAction } from './shared-options.ts';

export function registerExplainCommand(program: Command): void {
  program
    .command('explain')
    .description('top terms per class; with --line, the terms that decided that line')
    .requiredOption('--model <file>', 'model written by train')
    .option('--line <text>', 'one log line to explain')
    .option('--top <n>', 'terms to list', integer, 12)
    .option('--json', 'JSON instead of text')
    .action((o: { model: string; line?: string; top: number; json?: boolean }) =>
      runAction(() => {
        const classifier = loadClassifier(o.model);
        if (o.line !== undefined) {
          const explanation = classifier.explainLine(o.line, o.top);
          if (o.json) return void process.stdout.write(`${JSON.stringify(explanation)}\n`);
          const { result } = explanation;
          if ('rejected' in result) return void process.stdout.write(`rejected (${result.rejected}): ${result.reason}\n`);
          process.stdout.write(
            `${result.category} (confidence ${result.confidence.toFixed(3)}${result.review ? ', review' : ''})\n` +
              (result.rule ? `decided by labeling-guide rule ${result.rule} (labels/README.md); the model's terms for ${result.category}:\n` : '') +
              `model sees: ${explanation.normalized}\n` +
              explanation.terms.map((t) => `  ${t.weight >= 0 ? '+' : ''}${t.weight.toFixed(3)}  ${t.term}`).join('\n') +
              '\n',
          );
          return;
        }
        const top = classifier.topTerms(o.top);
        if (o.json) return void process.stdout.write(`${JSON.stringify(top)}\n`);
        for (const [cls, terms] of Object.entries(top)) {
          process.stdout.write(`${cls}: ${terms.map((t) => `${t.term} (${t.weight.toFixed(2)})`).join(', ')}\n`);
        }
      }),
    );
}
