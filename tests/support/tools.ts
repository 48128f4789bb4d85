import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** Runs a command-line tool (promtool, amtool); never throws on its exit code. `output` is stdout + stderr. */
export async function runTool(command: string, args: string[], timeoutMs = 60_000): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, { timeout: timeoutMs });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}${String(e.code ?? '')}` };
  }
}
