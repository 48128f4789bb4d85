/**
 * Binary ground truth and scores as the ranking metrics take them: labels 1/true = positive (anomaly), 0/false =
 * negative; scores higher = more positive. Errors name the index of the offending value.
 */
export type BinaryLabels = ArrayLike<number | boolean>;

export function checkBinaryInput(yTrue: BinaryLabels, scores: ArrayLike<number>, what: string): Uint8Array {
  if (yTrue.length !== scores.length) {
    throw new Error(`${what}: ${yTrue.length} labels but ${scores.length} scores`);
  }
  const positive = new Uint8Array(yTrue.length);
  for (let i = 0; i < yTrue.length; i++) {
    const y = yTrue[i];
    if (y === 1 || y === true) positive[i] = 1;
    else if (y !== 0 && y !== false) throw new Error(`${what}: label at index ${i} is ${String(y)}, expected 0/1 or a boolean`);
    const s = scores[i]!;
    if (Number.isNaN(s)) throw new Error(`${what}: score at index ${i} is NaN`);
  }
  return positive;
}

/** Indices ordered by score, highest first (ties keep index order; the metrics treat tied scores as one group). */
export function orderByScoreDescending(scores: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => scores[b]! - scores[a]! || a - b);
}
