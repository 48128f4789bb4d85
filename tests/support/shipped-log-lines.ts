/** The log lines the repository ships, for the knowledge's equivalence tests. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { datasetsAvailable, externalData, labelsDir, linuxLogsFile, loghubDir, shippedData } from '@aiops/datasets';
import { loadLabeledLoghub, loadLinuxLogLines } from '@aiops/datasets/log-labels';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every line the repository ships (labeled Linux lines, their raw excerpts, Loghub's labeled lines), and Loghub's raw samples when present. */
export function shippedLogLines(): string[] {
  const lines = new Set<string>();
  for (const l of loadLinuxLogLines(linuxLogsFile())) lines.add(l.message);
  for (const file of filesUnder(shippedData('linux-logs', 'raw'))) for (const l of readFileSync(file, 'utf8').split('\n')) if (l.trim()) lines.add(l);
  for (const l of loadLabeledLoghub(labelsDir(), loghubDir())) lines.add(l.message);
  if (datasetsAvailable('loghub')) {
    const loghub = externalData('loghub');
    for (const system of readdirSync(loghub)) {
      try {
        for (const l of readFileSync(join(loghub, system, `${system}_2k.log`), 'utf8').split('\n')) if (l) lines.add(l);
      } catch {
        // a folder without a 2k sample
      }
    }
  }
  return [...lines];
}
