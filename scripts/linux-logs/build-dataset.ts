/**
 * Builds data/linux-logs/lines.csv from the raw excerpts (data/linux-logs/raw, listed with their provenance in
 * sources.json): one row per distinct masked shape over all sources (the first source listed keeps a shape seen in
 * two), labeled by hand-written rules of the labeling guide (scripts/linux-logs/labeler.ts) unless
 * data/linux-logs/overrides.csv gives the line's label by hand. Writes the CSV and prints per-source and per-class
 * counts to stderr; `--check` only verifies that lines.csv is what the raw files and rules give (CI can run it).
 *
 *   pnpm exec tsx scripts/linux-logs/build-dataset.ts [--check] [--unreviewed]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractMessage, maskLogMessage } from '@aiops/ml';
import { labelLine, type Label } from './labeler.ts';

const ROOT = join(import.meta.dirname, '..', '..', 'data', 'linux-logs');

interface SourceFile {
  raw: string;
  path: string;
}
interface Source {
  id: string;
  repo: string;
  ref: string;
  licence: string;
  kind: string;
  files: SourceFile[];
}

export interface DatasetRow {
  source: string;
  file: string;
  line: number;
  message: string;
  label: Label;
  labelRule: string;
}

/** What makes two lines "the same shape": the model's own header strip and masking, case and spacing folded. */
function shapeOf(line: string): string {
  return maskLogMessage(extractMessage(line)).toLowerCase().replace(/\s+/g, ' ').trim();
}

function csvField(value: string | number): string {
  const s = String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function parseSimpleCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const LABELS: readonly Label[] = ['critical', 'warning', 'informational', 'noise'];

/** overrides.csv: `message,label,note` — the exact raw line and the hand label that replaces the rules' label. */
function loadOverrides(): Map<string, { label: Label; note: string }> {
  const file = join(ROOT, 'overrides.csv');
  const rows = parseSimpleCsv(readFileSync(file, 'utf8'));
  const out = new Map<string, { label: Label; note: string }>();
  rows.slice(1).forEach((r, i) => {
    if (r.length < 2 || r.every((v) => v === '')) return;
    const [message, label, note = ''] = r;
    if (!LABELS.includes(label as Label)) throw new Error(`${file}:${i + 2}: field label: "${label}" is not one of ${LABELS.join(', ')}`);
    out.set(message!, { label: label as Label, note });
  });
  return out;
}

export function buildRows(): { rows: DatasetRow[]; sources: Source[]; duplicates: number; rawLines: number } {
  const { sources } = JSON.parse(readFileSync(join(ROOT, 'sources.json'), 'utf8')) as { sources: Source[] };
  const overrides = loadOverrides();
  const seen = new Set<string>();
  const rows: DatasetRow[] = [];
  let duplicates = 0;
  let rawLines = 0;
  for (const source of sources) {
    for (const file of source.files) {
      const lines = readFileSync(join(ROOT, file.raw), 'utf8').split('\n');
      lines.forEach((text, index) => {
        const message = text.replace(/\s+$/, '');
        if (message.trim() === '') return;
        rawLines++;
        const shape = shapeOf(message);
        if (shape === '' || seen.has(shape)) {
          duplicates++;
          return;
        }
        seen.add(shape);
        const hand = overrides.get(message);
        const { label, rule } = hand ? { label: hand.label, rule: `hand${hand.note ? `:${hand.note}` : ''}` } : labelLine(message);
        rows.push({ source: source.id, file: file.raw, line: index + 1, message, label, labelRule: rule });
      });
    }
  }
  return { rows, sources, duplicates, rawLines };
}

export function toCsv(rows: readonly DatasetRow[]): string {
  const header = 'source,file,line,message,label,label_rule\n';
  return header + rows.map((r) => [r.source, r.file, r.line, r.message, r.label, r.labelRule].map(csvField).join(',')).join('\n') + '\n';
}

function main(): void {
  const args = process.argv.slice(2);
  const { rows, sources, duplicates, rawLines } = buildRows();
  const csv = toCsv(rows);
  const out = join(ROOT, 'lines.csv');
  if (args.includes('--check')) {
    if (readFileSync(out, 'utf8') !== csv) {
      console.error(`build-dataset: ${out} is not what the raw files, rules and overrides give; rerun without --check`);
      process.exit(1);
    }
  } else writeFileSync(out, csv);
  if (args.includes('--unreviewed')) for (const r of rows.filter((row) => row.labelRule === 'default' || row.labelRule === 'N3')) console.log(`${r.label}\t${r.labelRule}\t${r.message}`);
  const bySource = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const counts = bySource.get(r.source) ?? Object.fromEntries(LABELS.map((l) => [l, 0]));
    counts[r.label]!++;
    bySource.set(r.source, counts);
  }
  console.error(`build-dataset: ${rows.length} distinct shapes from ${rawLines} raw lines (${duplicates} duplicates) of ${sources.length} sources`);
  for (const [source, counts] of bySource) console.error(`  ${source.padEnd(16)} ${LABELS.map((l) => `${l} ${counts[l]}`).join('  ')}`);
  const total = Object.fromEntries(LABELS.map((l) => [l, rows.filter((r) => r.label === l).length]));
  console.error(`  total            ${LABELS.map((l) => `${l} ${total[l]}`).join('  ')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
