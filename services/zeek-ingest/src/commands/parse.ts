/** `parse --file … --out …`: no server; every record of the given files as NDJSON, summary and rejects on stderr. */
import type { Command } from 'commander';
import { collectOption, ExitCode } from '@aiops/common';
import { parseFiles, parseSummary } from '../parse-files.ts';
import { DEFAULT_INDEX_PREFIX, indexPrefix } from './index-prefix.ts';

export function registerParseCommand(program: Command): void {
  program
    .command('parse')
    .description('no server: every record of the given files as NDJSON (_id, _index, @timestamp, _path, Zeek fields); summary and rejects (file:line: reason) on stderr. Exit 0 when every file could be read (rejected lines included), 1 when one could not')
    .requiredOption('-f, --file <path>', 'a Zeek log (repeatable)', collectOption)
    .requiredOption('-o, --out <path>', 'output NDJSON file ("-" = stdout)')
    .option('--index-prefix <prefix>', 'index prefix for the _index field', indexPrefix, DEFAULT_INDEX_PREFIX)
    .action(async (options: { file: string[]; out: string; indexPrefix: string }) => {
      const result = await parseFiles(options.file, options.out, options.indexPrefix);
      process.stderr.write(parseSummary(result));
      process.exitCode = result.failedFiles.length > 0 ? ExitCode.FAILURE : ExitCode.OK;
    });
}
