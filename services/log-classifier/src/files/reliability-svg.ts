/** `evaluate --plot`: the reliability diagram as an SVG file (Vega, no browser; loaded only when asked for). */
import type { ReliabilityBin } from '@aiops/ml';
import { reliabilitySpec } from '@aiops/log-classification';

export async function writeReliabilitySvg(path: string, bins: readonly ReliabilityBin[], title: string): Promise<void> {
  const { writeSvg } = await import('@aiops/plots');
  await writeSvg(path, reliabilitySpec(bins, title) as unknown as Parameters<typeof writeSvg>[1]);
}
