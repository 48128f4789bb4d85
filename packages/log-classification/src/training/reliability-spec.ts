/** Vega-Lite spec of a reliability diagram: accuracy against mean confidence per bin, with the diagonal. */
import type { ReliabilityBin } from '@aiops/ml';

export function reliabilitySpec(bins: readonly ReliabilityBin[], title: string) {
  const points = bins.filter((b) => b.count > 0).map((b) => ({ confidence: b.meanConfidence, accuracy: b.accuracy, lines: b.count }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 320,
    height: 320,
    layer: [
      {
        data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] },
        mark: { type: 'line', strokeDash: [4, 4], color: 'gray' },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values: points },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'confidence', type: 'quantitative', title: 'mean confidence in bin', scale: { domain: [0, 1] } },
          y: { field: 'accuracy', type: 'quantitative', title: 'accuracy in bin', scale: { domain: [0, 1] } },
          size: { field: 'lines', type: 'quantitative' },
        },
      },
    ],
  } as const;
}
