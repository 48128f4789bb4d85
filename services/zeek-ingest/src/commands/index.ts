/**
 * zeek-ingest's command line, built without parsing anything: `parse` (files in, NDJSON out, no server) and `run`
 * (a Zeek log directory into Elasticsearch `zeek-<path>-YYYY.MM.DD`). ../cli.ts parses argv with it.
 */
import type { Command } from 'commander';
import { createProgram } from '@aiops/common';
import { registerParseCommand } from './parse.ts';
import { registerRunCommand } from './run.ts';

export function buildProgram(): Command {
  const program = createProgram(
    'aiops-zeek-ingest',
    'Zeek logs on disk (conn/dns/http/ssl/weird/…, TSV or JSON lines, plain or .gz) → documents with Zeek field names; ' +
      'Elasticsearch index <prefix>-<path>-YYYY.MM.DD, _id from the log path and uid.',
  ).exitOverride(); // before the subcommands, which inherit it: runProgram maps a bad argument to exit 64
  program.action(() => program.help({ error: true }));
  registerParseCommand(program);
  registerRunCommand(program);
  return program;
}
