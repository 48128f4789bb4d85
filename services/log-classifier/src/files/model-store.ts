/** The model file on disk: read + checked, written atomically (temp file + rename) so a reader never sees half. */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomicSync } from '@aiops/common';
import { compactModel, LogClassifier, ModelFileError, parseModelFile, type ModelFile } from '@aiops/log-classification';

function readModelFile(path: string): ModelFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ModelFileError(`${path}: cannot read the model: ${(err as Error).message}`);
  }
  return parseModelFile(parsed, path);
}

export function writeModelFile(path: string, model: ModelFile): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomicSync(path, JSON.stringify(compactModel(model)));
}

export function loadClassifier(path: string): LogClassifier {
  return new LogClassifier(readModelFile(path));
}
