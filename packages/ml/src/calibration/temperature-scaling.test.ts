import { describe, expect, it } from 'vitest';
import { fitTemperature, temperatureNll } from './temperature-scaling.ts';

describe('fitTemperature', () => {
  it('recovers the temperature that generated the labels', () => {
    // Logits scaled ×3 from a model whose true probabilities are softmax(z): the best T is about 3.
    const k = 2;
    const rows = 4000;
    const logits = new Float64Array(rows * k);
    const labels = new Int32Array(rows);
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < rows; i++) {
      const z = (random() - 0.5) * 4;
      logits[i * 2] = 3 * z;
      labels[i] = random() < 1 / (1 + Math.exp(-z)) ? 0 : 1;
    }
    const t = fitTemperature(logits, k, labels);
    expect(t).toBeGreaterThan(2.5);
    expect(t).toBeLessThan(3.5);
    expect(temperatureNll(logits, k, labels, t)).toBeLessThan(temperatureNll(logits, k, labels, 1));
  });
});
