/**
 * Variance-stabilising transforms applied before fitting and undone on the forecast. Both are monotonic, so the
 * back-transformed interval bounds are still the right quantiles; the back-transformed yhat is the median.
 */
export type TransformName = 'none' | 'logit' | 'log1p';

export interface Transform {
  forward(y: number): number;
  inverse(z: number): number;
}

/**
 * Keeps a bounded percentage off 0 and 100 so the logit stays finite: 0.05 % of the range, well under what a
 * capacity decision can see, but a bound a near-idle CPU at 0.1 % still sits above.
 */
const LOGIT_EPS = 0.0005;

export function makeTransform(name: TransformName, upper = 100): Transform {
  switch (name) {
    case 'none':
      return { forward: (y) => y, inverse: (z) => z };
    case 'logit': {
      // Logit keeps a percentage forecast inside (0, 100) and lets the band narrow near the edges, where a
      // Gaussian band on the raw scale would run below 0 % for a near-idle CPU.
      const clamp = (p: number) => Math.min(1 - LOGIT_EPS, Math.max(LOGIT_EPS, p));
      return {
        forward: (y) => {
          const p = clamp(y / upper);
          return Math.log(p / (1 - p));
        },
        inverse: (z) => upper / (1 + Math.exp(-z)),
      };
    }
    case 'log1p':
      // For non-negative, heavy-tailed rates (bytes/s): bursts become additive and bands stay above zero.
      return { forward: (y) => Math.log1p(Math.max(0, y)), inverse: (z) => Math.expm1(z) };
  }
}
