/** Reads the labeled log data from a labels folder and a Loghub folder; parsing is @aiops/log-classification's. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CsvError,
  joinLabeledLines,
  parseExtraLabels,
  parseLinuxLogLines,
  parseLabelingGuide,
  parseTemplateLabels,
  parseTemplateTexts,
  splitLinuxAdditions,
  systemOfLabelsFile,
  type Category,
  type GuideExample,
  type KnowledgeFile,
  type SourcedLine,
  type LabeledLine,
  type ParseGuideOptions,
} from '@aiops/log-classification';

function labelFiles(labelsDir: string): { system: string; file: string }[] {
  const files = readdirSync(labelsDir)
    .sort()
    .flatMap((name) => {
      const system = systemOfLabelsFile(name);
      return system ? [{ system, file: join(labelsDir, name) }] : [];
    });
  if (files.length === 0) throw new CsvError(`${labelsDir}: no <System>_templates_labels.csv files`);
  return files;
}

export function loadTemplateLabels(labelsDir: string): Map<string, Map<string, Category>> {
  return new Map(labelFiles(labelsDir).map(({ system, file }) => [system, parseTemplateLabels(readFileSync(file, 'utf8'), file)]));
}

export function loadLabeledLoghub(labelsDir: string, loghubDir: string): LabeledLine[] {
  const lines: LabeledLine[] = [];
  for (const [system, labels] of loadTemplateLabels(labelsDir)) {
    const file = join(loghubDir, system, `${system}_2k.log_structured.csv`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new CsvError(`${file}: cannot read the Loghub lines of labeled system ${system}: ${(err as Error).message}`);
    }
    lines.push(...joinLabeledLines(system, labels, text, file));
  }
  return lines;
}

export function loadExtraLabels(file: string): LabeledLine[] {
  return parseExtraLabels(readFileSync(file, 'utf8'), file);
}

/**
 * The labeling guide of a labels folder (its README.md) as examples, or null when the folder has none. The guide's
 * last section holds the rules labeling Linux server logs needed (LINUX_ADDITIONS_HEADING); with `linuxAdditions`
 * their examples come too, after the Loghub rules' (an example those already have counted once), else they are left
 * out (what the guide was before the Linux-server data).
 */
export function loadLabelingGuide(labelsDir: string, options: ParseGuideOptions = {}, linuxAdditions = false): GuideExample[] | null {
  const file = join(labelsDir, 'README.md');
  if (!existsSync(file)) return null;
  const { base, additions } = splitLinuxAdditions(readFileSync(file, 'utf8'));
  const guide = parseLabelingGuide(base, options);
  if (!linuxAdditions || additions === '') return guide;
  const seen = new Set(guide.map((e) => `${e.label}\u0000${e.text}`));
  return [...guide, ...parseLabelingGuide(additions, options).filter((e) => !seen.has(`${e.label}\u0000${e.text}`))];
}

/** `System/EventId` → EventTemplate of every labeled template (what a held-out template's text is). */
export function loadTemplateTexts(labelsDir: string): Map<string, string> {
  const texts = new Map<string, string>();
  for (const { system, file } of labelFiles(labelsDir)) {
    for (const [id, text] of parseTemplateTexts(readFileSync(file, 'utf8'), file)) texts.set(`${system}/${id}`, text);
  }
  return texts;
}

/** data/linux-logs/lines.csv (or another file of that shape) as training lines with their source. */
export function loadLinuxLogLines(file: string): SourcedLine[] {
  return parseLinuxLogLines(readFileSync(file, 'utf8'), file);
}

/** The knowledge base (data/knowledge/linux-kb.json): logcheck and fail2ban patterns. */
export function loadKnowledgeFile(file: string): KnowledgeFile {
  let parsed: KnowledgeFile;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as KnowledgeFile;
  } catch (err) {
    throw new CsvError(`${file}: cannot read the knowledge base: ${(err as Error).message}`);
  }
  if (parsed.format !== 'aiops-linux-knowledge' || !Array.isArray(parsed.patterns)) {
    throw new CsvError(`${file}: field format: expected "aiops-linux-knowledge" with a patterns list`);
  }
  return parsed;
}
