/**
 * `pnpm aiops <command>`: the platform's own operations, shared by every service —
 * the Elasticsearch setup and retention, a reachability check of every configured server, the effective
 * configuration, and what waits in the metrics outbox.
 */
import { addConfigOption, addJobCommand, loadConfigOrExit } from './cli/job-command.ts';
import { createProgram } from './cli/program.ts';
import { redactedConfig } from './config.ts';
import { createElasticsearchClient, deleteIndicesOlderThan, setupElasticsearch, waitForCluster } from './elasticsearch/index.ts';
import { ExitCode } from './jobs/exit-codes.ts';
import { createLogger } from './logger.ts';
import { renderSnapshot } from './metrics/exposition.ts';
import { MetricsOutbox } from './metrics/metrics-outbox.ts';
import { checkServers } from './server-check.ts';

const program = createProgram('aiops', 'Platform operations: Elasticsearch setup and retention, server checks, configuration, metrics outbox.');

addConfigOption(program.command('setup'))
  .description('install or update the Elasticsearch index templates of docs/contracts.md (idempotent)')
  .option('--wait <seconds>', 'wait this long for the cluster to answer first', '60')
  .action(async (options: { config?: string; wait: string }) => {
    const config = loadConfigOrExit(options.config);
    const logger = createLogger('aiops-setup', config.logLevel);
    const client = createElasticsearchClient(config.elasticsearch);
    try {
      await waitForCluster(client, Number(options.wait) * 1000);
      const report = await setupElasticsearch(client, config, logger);
      console.log(JSON.stringify(report, null, 2));
    } finally {
      await client.close();
    }
  });

addJobCommand<{ days: string; prefix: string[] }>(program, {
  command: 'retention',
  job: 'es-retention',
  description: 'delete daily indices older than --days (retention where the cluster has no ILM)',
  options: (c) =>
    c
      .requiredOption('--days <n>', 'keep this many days of daily indices')
      .option(
        '--prefix <prefix...>',
        'index families to prune; a family covers its sub-families (logs → logs-classified-*, zeek → zeek-conn-*)',
        ['logs', 'zeek', 'anomalies', 'forecasts'],
      ),
  run: async (ctx, options) => {
    const client = createElasticsearchClient(ctx.config.elasticsearch);
    try {
      let deleted = 0;
      for (const prefix of options.prefix) {
        const removed = await deleteIndicesOlderThan(client, ctx.config.elasticsearch.indexNamePrefix + prefix, Number(options.days), new Date());
        ctx.logger.info({ prefix, removed }, 'retention applied');
        deleted += removed.length;
      }
      ctx.addRecordsProcessed(deleted);
    } finally {
      await client.close();
    }
  },
});

addConfigOption(program.command('check'))
  .description('check that every configured server answers; exit 1 if one does not')
  .action(async (options: { config?: string }) => {
    const results = await checkServers(loadConfigOrExit(options.config));
    for (const r of results) console.log(`${r.ok ? 'ok  ' : 'DOWN'}  ${r.name.padEnd(14)} ${r.url}  ${r.detail}`);
    process.exitCode = results.every((r) => r.ok) ? ExitCode.OK : ExitCode.FAILURE;
  });

addConfigOption(program.command('config'))
  .description('print the effective configuration (file + environment), secrets redacted')
  .action((options: { config?: string }) => {
    console.log(JSON.stringify(redactedConfig(loadConfigOrExit(options.config)), null, 2));
  });

addConfigOption(program.command('outbox'))
  .description('list the gauge snapshots waiting for pushgateway-exporter, in Prometheus text format')
  .action(async (options: { config?: string }) => {
    const outbox = new MetricsOutbox(loadConfigOrExit(options.config).paths.outboxDir);
    for (const entry of await outbox.list()) {
      const snapshot = await outbox.read(entry);
      console.log(`# snapshot ${entry.name}: job=${snapshot.job} instance=${snapshot.instance} created ${snapshot.createdAt}`);
      console.log(await renderSnapshot(snapshot));
    }
  });

await program.parseAsync(process.argv);
