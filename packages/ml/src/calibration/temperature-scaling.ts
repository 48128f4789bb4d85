/**
 * Temperature scaling (Guo et al., 2017): one scalar T divides every logit before the softmax, fitted by minimizing
 * the negative log-likelihood on held-out predictions. It changes confidence, never the argmax, so it can fix an
 * over- or under-confident model without touching its accuracy.
 */

/** Weighted mean negative log-likelihood of softmax(logits / T) (rows × k, row-major). */
export function temperatureNll(logits: Float64Array, k: number, labels: ArrayLike<number>, temperature: number, weights?: ArrayLike<number>): number {
  let loss = 0;
  let total = 0;
  for (let i = 0, o = 0; o < logits.length; i++, o += k) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, logits[o + c]! / temperature);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(logits[o + c]! / temperature - max);
    const w = weights ? weights[i]! : 1;
    loss += w * (max + Math.log(sum) - logits[o + labels[i]!]! / temperature);
    total += w;
  }
  return loss / Math.max(total, Number.MIN_VALUE);
}

/** The temperature in [0.05, 20] minimizing the held-out NLL (golden-section search on log T; NLL is unimodal in it). */
export function fitTemperature(logits: Float64Array, k: number, labels: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const f = (logT: number) => temperatureNll(logits, k, labels, Math.exp(logT), weights);
  let a = Math.log(0.05);
  let b = Math.log(20);
  const ratio = (Math.sqrt(5) - 1) / 2;
  let x1 = b - ratio * (b - a);
  let x2 = a + ratio * (b - a);
  let f1 = f(x1);
  let f2 = f(x2);
  while (b - a > 1e-4) {
    if (f1 < f2) {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - ratio * (b - a);
      f1 = f(x1);
    } else {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + ratio * (b - a);
      f2 = f(x2);
    }
  }
  return Math.exp((a + b) / 2);
}
