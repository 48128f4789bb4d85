/**
 * Two homes for data. `data/` in the repository ships what the demo, the default model and the tests need: small,
 * real, each file with its source and licence (data/SOURCES.md). The large public evaluation sets (Loghub in full,
 * the CTU and Stratosphere captures, wrccdc, NAB, Bitbrains) are not shipped: evaluations, benchmarks and the tests
 * that need them read them from AIOPS_DATA_DIR (default `../shared/data` beside the repository, when present).
 * A test that needs one runs when it is there; with REQUIRE_DATASETS=1 (CI) it fails when it is not.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findUpSync } from 'find-up-simple';

/** The checkout: the folder of pnpm-workspace.yaml above this module (from source or from a service's dist/). */
export const REPO_ROOT = dirname(
  findUpSync('pnpm-workspace.yaml', { cwd: dirname(fileURLToPath(import.meta.url)) }) ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../pnpm-workspace.yaml'),
);

/** A file or folder of the data shipped in the repository (`data/…`). */
export function shippedData(...parts: string[]): string {
  return resolve(REPO_ROOT, 'data', ...parts);
}

/** The hand labels and the labeling guide (data/labels: `<System>_templates_labels.csv`, README.md). */
export const labelsDir = (): string => shippedData('labels');
/** Real Linux-server lines from public sources, labeled by the guide (data/linux-logs/lines.csv, README.md there). */
export const linuxLogsFile = (): string => shippedData('linux-logs', 'lines.csv');
/** logcheck and fail2ban patterns extracted from Debian's packages (data/knowledge/linux-kb.json, GPL-2). */
export const knowledgeFile = (): string => shippedData('knowledge', 'linux-kb.json');
/** Loghub's 2k structured samples of the labeled systems (data/loghub/<System>/<System>_2k.log_structured.csv). */
export const loghubDir = (): string => shippedData('loghub');

/** The folder of the large evaluation data sets: AIOPS_DATA_DIR, else ../shared/data beside the repository. */
export function externalDataDir(): string {
  return resolve(process.env.AIOPS_DATA_DIR ?? resolve(REPO_ROOT, '../shared/data'));
}

/** Where each large data set comes from, for the message a missing one prints. */
export const DATASET_SOURCES: Record<string, string> = {
  loghub: 'https://github.com/logpai/loghub (the <System>/<System>_2k.log* files of all 16 systems)',
  'stratosphere-security-datasets-for-testing': 'https://github.com/stratosphereips/security-datasets-for-testing',
  'stratosphere-slips-testdata': 'https://github.com/stratosphereips/StratosphereLinuxIPS (dataset/)',
  'brimdata-zed-sample-data-wrccdc2018': 'https://github.com/brimdata/zed-sample-data (zeek-default/, wrccdc 2018)',
  nab: 'https://github.com/numenta/NAB (data/realAWSCloudwatch, data/realKnownCause)',
  'bitbrains-gwa-t-12-rnd': 'http://gwa.ewi.tudelft.nl/datasets/gwa-t-12-bitbrains (Rnd VMs)',
  'datacenter-traces-aggregated': 'see ../shared/data/SOURCES.md',
  kddcup99: 'https://kdd.ics.uci.edu/databases/kddcup99/',
  'odds-outlier-benchmarks': 'https://odds.cs.stonybrook.edu/',
};

export class DatasetMissingError extends Error {}

/** The path of a large data set (its first path part names it), or a DatasetMissingError saying where to get it. */
export function externalData(...parts: string[]): string {
  const path = resolve(externalDataDir(), ...parts);
  if (!existsSync(path)) {
    const name = parts[0] ?? '';
    throw new DatasetMissingError(
      `data set not found: ${path}. Set AIOPS_DATA_DIR to a folder holding ${name}/ ` +
        `(from ${DATASET_SOURCES[name] ?? 'see data/SOURCES.md'}); layout as in data/SOURCES.md.`,
    );
  }
  return path;
}

/** True when every named large data set is present. Under REQUIRE_DATASETS=1 a missing one throws instead. */
export function datasetsAvailable(...names: string[]): boolean {
  const missing = names.filter((n) => !existsSync(resolve(externalDataDir(), n)));
  if (missing.length === 0) return true;
  const msg = `data set(s) missing under ${externalDataDir()}: ${missing.map((n) => `${n} (${DATASET_SOURCES[n] ?? '?'})`).join(', ')}; set AIOPS_DATA_DIR`;
  if (process.env.REQUIRE_DATASETS === '1') throw new DatasetMissingError(`${msg} (REQUIRE_DATASETS=1)`);
  console.warn(`\n!!! SKIPPING (no data): ${msg}\n`);
  return false;
}
