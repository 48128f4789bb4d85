/**
 * One-time WASM initialisation of the augurs modules in Node. The packages' exports do not expose their `.wasm`
 * files, and Node's fetch cannot load `file:` URLs, so each module is initialised from the bytes next to core.js.
 * Idempotent and concurrency-safe: every caller awaits the same promise.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import initProphet from '@bsull/augurs/prophet';
import initMstl from '@bsull/augurs/mstl';

const augursDir = dirname(createRequire(import.meta.url).resolve('@bsull/augurs'));

let ready: Promise<void> | undefined;

export function initForecastWasm(): Promise<void> {
  ready ??= (async () => {
    await initProphet({ module_or_path: readFileSync(join(augursDir, 'prophet_bg.wasm')) });
    await initMstl({ module_or_path: readFileSync(join(augursDir, 'mstl_bg.wasm')) });
  })();
  return ready;
}
