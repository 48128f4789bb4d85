/**
 * `pnpm build`: each service (and the `aiops` admin CLI) as one ES module in its dist/ folder — the workspace
 * packages bundled in, compiled once — so cron runs `node services/<name>/dist/cli.js` (each service's `bin`)
 * without tsx's start-up and TypeScript transform. npm packages that find their own files at run time (the Prophet
 * WASM of @bsull/augurs, natural's word lists, vega for --plot) stay external; each service lists them.
 * `pnpm <service>` keeps running the sources through tsx in development.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
const EXTERNAL = ['@bsull/augurs', '@bsull/augurs-prophet-wasmstan', 'natural', 'vega', 'vega-lite'];

const TARGETS: { name: string; entry: string; outfile: string; dir: string }[] = [
  ...['zeek-ingest', 'anomaly-scorer', 'forecaster', 'log-classifier', 'pushgateway-exporter'].map((name) => ({
    name,
    entry: `services/${name}/src/cli.ts`,
    outfile: `services/${name}/dist/cli.js`,
    dir: `services/${name}`,
  })),
  { name: 'aiops', entry: 'packages/common/src/cli.ts', outfile: 'packages/common/dist/cli.js', dir: 'packages/common' },
];

function dependencies(dir: string): Set<string> {
  const pkg = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  return new Set(Object.keys(pkg.dependencies ?? {}));
}

const started = performance.now();
for (const target of TARGETS) {
  await build({
    entryPoints: [join(ROOT, target.entry)],
    outfile: join(ROOT, target.outfile),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    external: EXTERNAL,
    // Bundled CommonJS dependencies (pino, commander, write-file-atomic, the Elasticsearch client) use require(),
    // __filename and __dirname, which an ES module lacks: define them once at the top of the bundle.
    banner: {
      js: [
        "import { createRequire as __aiopsRequire } from 'node:module';",
        "import { fileURLToPath as __aiopsPath } from 'node:url';",
        "const require = __aiopsRequire(import.meta.url);",
        'const __filename = __aiopsPath(import.meta.url);',
        "const __dirname = __aiopsPath(new URL('.', import.meta.url));",
      ].join(' '),
    },
    logLevel: 'warning',
    legalComments: 'none',
  });
  // An external package resolves from the service's own node_modules at run time only when the service lists it.
  const bundle = readFileSync(join(ROOT, target.outfile), 'utf8');
  const unlisted = EXTERNAL.filter((name) => new RegExp(`(from |require\\(|import\\()"${name}[/"]`).test(bundle) && !dependencies(target.dir).has(name));
  if (unlisted.length) throw new Error(`${target.dir}/package.json must list ${unlisted.join(', ')} (external at run time)`);
  process.stderr.write(`build: ${target.outfile}\n`);
}
process.stderr.write(`build: ${TARGETS.length} bundles in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
