/**
 * `run --dir <zeek logs> [--once | --follow <seconds>]`: ship a Zeek log directory into Elasticsearch incrementally
 * (per-file checkpoints, complete lines only, the checkpoint advanced after the bulk write was confirmed). One pass
 * is one job run; `--follow N` is the job runner's: a pass every N seconds, the same lock and checkpoints, exit 0
 * on SIGTERM once the current batch is written (as `detect --follow` and `classify --follow`).
 */
import { createHash } from 'node:crypto';
import { basename, join, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { jobs } from '@aiops/contracts';
import { addJobCommand, createBulkWriter, createElasticsearchClient, validateBeforeRun } from '@aiops/common';
import { ingestDirOnce } from '../log-dir-ingest.ts';
import { DEFAULT_INDEX_PREFIX, indexPrefix } from './index-prefix.ts';

interface RunOptions {
  dir: string;
  state?: string;
  indexPrefix?: string;
  once?: boolean;
  batch: number;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

export function registerRunCommand(program: Command): void {
  const run = addJobCommand<RunOptions>(program, {
    command: 'run',
    job: jobs.zeekIngest.name,
    follow: true,
    description:
      'ship a Zeek log directory to Elasticsearch incrementally: per-file checkpoints (inode + first bytes; rotation, gzip and truncation detected), complete lines only, checkpoint advanced after the bulk write was confirmed. One pass and exit (default, for cron), or a pass every N seconds with --follow N',
    options: (c) =>
      c
        .requiredOption('-d, --dir <dir>', "Zeek log directory: zeekctl's logs root (or its current/: current/ + the dated archive folders are read), or one folder of *.log / rotated *.log.gz")
        .option('--state <file>', 'checkpoint file (default <paths.stateDir>/zeek-ingest/<dir name>-<hash>.json)')
        .option('--index-prefix <prefix>', `indices are <prefix>-<log path>-YYYY.MM.DD (default: elasticsearch.indexNamePrefix + "${DEFAULT_INDEX_PREFIX}")`, indexPrefix)
        .option('--once', 'one pass over what is there, then exit (the default; excludes --follow)')
        .option('--batch <records>', 'records per confirmed bulk write and checkpoint', positiveInt, 5_000),
    run: async (ctx, options) => {
      const dir = resolve(options.dir);
      const stateFile =
        options.state ?? join(ctx.config.paths.stateDir, 'zeek-ingest', `${basename(dir)}-${createHash('sha256').update(dir).digest('hex').slice(0, 8)}.json`);
      const client = createElasticsearchClient(ctx.config.elasticsearch);
      const writer = createBulkWriter(client, ctx.config, ctx.logger, { job: ctx.job, signal: ctx.signal });
      let total = 0;
      try {
        const result = await ingestDirOnce({
          dir,
          stateFile,
          indexPrefix: options.indexPrefix ?? ctx.config.elasticsearch.indexNamePrefix + DEFAULT_INDEX_PREFIX,
          sink: {
            write: async (items) => {
              await writer.write(items);
            },
          },
          logger: ctx.logger,
          signal: ctx.signal,
          batchRecords: options.batch,
          onShipped: (n) => {
            total += n;
            ctx.addRecordsProcessed(n);
            ctx.progress.update(total);
          },
        });
        ctx.logger.info({ dir, stateFile, files: result.files, shipped: result.shipped, rejected: result.rejected }, 'pass over the log directory done');
      } finally {
        await client.close();
      }
    },
  });
  validateBeforeRun(run, (o) => {
    if (o.once && o.follow !== undefined) throw new Error('--once and --follow exclude each other');
  });
}
