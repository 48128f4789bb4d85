/**
 * Renders a Vega-Lite spec to an SVG string with no browser or canvas (Vega's SVG renderer is pure JS).
 * Used by evaluations and benchmarks to write docs/evaluation/img/*.svg.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function writeSvg(path: string, spec: TopLevelSpec): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, await renderSvg(spec));
}
