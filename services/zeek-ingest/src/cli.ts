/**
 * `pnpm zeek-ingest <parse|run>`: Zeek logs on disk (TSV or JSON lines, plain or gzip, every log type) → one JSON
 * document per record with Zeek's field names. `parse` needs no server (files in, NDJSON out); `run` follows a
 * Zeek log directory into Elasticsearch `zeek-<path>-YYYY.MM.DD` with per-file checkpoints.
 */
import { jobs } from '@aiops/contracts';
import { createHash } from 'node:crypto';
import { basename, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidArgumentError } from 'commander';
import { addJobCommand, createBulkWriter, createElasticsearchClient, createProgram, ExitCode } from '@aiops/common';
import { ingestDirOnce, type ShipSink } from './log-dir-ingest.ts';
import { parseFiles, parseSummary } from './parse-files.ts';

const DEFAULT_INDEX_PREFIX = 'zeek';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of seconds');
  return n;
}

function indexPrefix(value: string): string {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(value)) throw new InvalidArgumentError('expected a lowercase index name start, e.g. "zeek"');
  return value;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

const program = createProgram(
  'aiops-zeek-ingest',
  'Zeek logs on disk (conn/dns/http/ssl/weird/…, TSV or JSON lines, plain or .gz) → documents with Zeek field names; ' +
    'Elasticsearch index <prefix>-<path>-YYYY.MM.DD, _id from the log path and uid.',
).action(() => program.help({ error: true }));

program
  .command('parse')
  .description('no server: every record of the given files as NDJSON (_id, _index, @timestamp, _path, Zeek fields); summary and rejects (file:line: reason) on stderr. Exit 0 when every file could be read (rejected lines included), 1 when one could not')
  .requiredOption('-f, --file <path>', 'a Zeek log (repeatable)', collect)
  .requiredOption('-o, --out <path>', 'output NDJSON file ("-" = stdout)')
  .option('--index-prefix <prefix>', 'index prefix for the _index field', indexPrefix, DEFAULT_INDEX_PREFIX)
  .action(async (options: { file: string[]; out: string; indexPrefix: string }) => {
    const result = await parseFiles(options.file, options.out, options.indexPrefix);
    process.stderr.write(parseSummary(result));
    process.exitCode = result.failedFiles.length > 0 ? ExitCode.FAILURE : ExitCode.OK;
  });

interface RunOptions {
  dir: string;
  state?: string;
  indexPrefix?: string;
  follow?: boolean;
  once?: boolean;
  poll: number;
  batch: number;
}

addJobCommand<RunOptions>(program, {
  command: 'run',
  job: jobs.zeekIngest.name,
  description:
    'ship a Zeek log directory to Elasticsearch incrementally: per-file checkpoints (inode + first bytes; rotation, gzip and truncation detected), complete lines only, checkpoint advanced after the bulk write was confirmed. --once (default, for cron) reads what is there and exits; --follow polls until SIGTERM',
  options: (c) =>
    c
      .requiredOption('-d, --dir <dir>', "Zeek log directory: zeekctl's logs root (or its current/: current/ + the dated archive folders are read), or one folder of *.log / rotated *.log.gz")
      .option('--state <file>', 'checkpoint file (default <paths.stateDir>/zeek-ingest/<dir name>-<hash>.json)')
      .option('--index-prefix <prefix>', `indices are <prefix>-<log path>-YYYY.MM.DD (default: elasticsearch.indexNamePrefix + "${DEFAULT_INDEX_PREFIX}")`, indexPrefix)
      .option('--once', 'read what is there and exit (default)')
      .option('--follow', 'keep polling the directory until SIGTERM/SIGINT')
      .option('--poll <seconds>', 'seconds between passes with --follow', positiveSeconds, 5)
      .option('--batch <records>', 'records per confirmed bulk write and checkpoint', positiveInt, 5_000),
  run: async (ctx, options) => {
    if (options.follow && options.once) throw new Error('--once and --follow exclude each other');
    const dir = resolve(options.dir);
    const stateFile =
      options.state ?? join(ctx.config.paths.stateDir, 'zeek-ingest', `${basename(dir)}-${createHash('sha256').update(dir).digest('hex').slice(0, 8)}.json`);
    const client = createElasticsearchClient(ctx.config.elasticsearch);
    const writer = createBulkWriter(client, ctx.config, ctx.logger, { job: ctx.job, signal: ctx.signal });
    const sink: ShipSink = {
      write: async (items) => {
        await writer.write(items);
      },
    };
    let total = 0;
    try {
      for (;;) {
        const result = await ingestDirOnce({
          dir,
          stateFile,
          indexPrefix: options.indexPrefix ?? ctx.config.elasticsearch.indexNamePrefix + DEFAULT_INDEX_PREFIX,
          sink,
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
        if (!options.follow || ctx.signal.aborted) break;
        await sleep(options.poll * 1000, undefined, { signal: ctx.signal }).catch(() => undefined);
        if (ctx.signal.aborted) break;
      }
    } finally {
      await client.close();
    }
  },
});

await program.parseAsync(process.argv);
