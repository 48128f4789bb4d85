import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../jobs/exit-codes.ts';
import { addJobCommand } from './job-command.ts';

// `direct` runs without configuration or a job runner, so these parse real command lines in-process.
function program(follow: boolean, ran: string[]): Command {
  const p = new Command('t').exitOverride();
  addJobCommand<{ follow?: unknown }>(p, {
    command: 'run',
    job: 't-run',
    description: 'test',
    ...(follow ? { follow: true } : {}),
    options: (c) => (follow ? c : c.option('--follow', "the command's own flag (as zeek-ingest run has)")),
    direct: { when: () => true, run: async (o) => void ran.push(`direct follow=${String(o.follow)}`) },
    run: async () => ({}),
  });
  return p;
}

describe('addJobCommand --follow', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it("leaves a command's own --follow flag alone when the spec does not offer the runner's --follow <seconds>", async () => {
    const ran: string[] = [];
    await program(false, ran).parseAsync(['node', 't', 'run', '--follow']);
    expect(ran).toEqual(['direct follow=true']);
    expect(process.exitCode).toBeUndefined();
  });

  it('refuses a bad --follow value with exit 64 before anything runs', async () => {
    const ran: string[] = [];
    await program(true, ran).parseAsync(['node', 't', 'run', '--follow', 'soon']);
    expect(ran).toEqual([]);
    expect(process.exitCode).toBe(ExitCode.USAGE);
  });
});
