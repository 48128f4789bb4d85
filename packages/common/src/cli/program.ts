import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { findUpSync } from 'find-up-simple';
import { ExitCode } from '../jobs/exit-codes.ts';

// The nearest package.json: this package's when run from source, the service's when run from its dist/ bundle.
const packageJson = findUpSync('package.json', { cwd: fileURLToPath(new URL('.', import.meta.url)) });
const { version } = (packageJson ? JSON.parse(readFileSync(packageJson, 'utf8')) : { version: '0.0.0' }) as { version: string };

/** A service's commander program with the project's version, exit-code help and strict argument checks. */
export function createProgram(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .version(version)
    .showHelpAfterError()
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 failure, 64 usage, 75 another run holds the lock, 78 invalid configuration,\n' +
        '130/143 stopped by SIGINT/SIGTERM after finishing the current batch.\n' +
        'Configuration: YAML file (--config or $AIOPS_CONFIG) overridden by AIOPS_* environment variables;\n' +
        'every field, default and reason: packages/common/src/config.ts; example: config.example.yml.',
    );
}

/**
 * Parses the command line with a program built with `.exitOverride()` before its subcommands (which inherit it):
 * --help and --version end with exit 0, every other commander error (unknown option, bad argument) with 64, not
 * commander's 1, so cron tells a broken crontab line from a failed run.
 */
export async function runProgram(program: Command, argv: readonly string[] = process.argv): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    process.exitCode = err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
  }
}
