import { SeededRandom } from '../random.ts';
import type { DenseMatrix } from './matrix.ts';

/** n rows of d standard-normal values (Box–Muller), seeded: the synthetic inliers of the tests and the benchmark. */
export function gaussianMatrix(n: number, d: number, seed: number, ArrayType: Float32ArrayConstructor | Float64ArrayConstructor = Float64Array): DenseMatrix {
  const random = new SeededRandom(seed);
  const data = new ArrayType(n * d);
  for (let i = 0; i < data.length; i += 2) {
    const u = 1 - random.nextFloat(); // (0, 1]: log(0) must not happen
    const v = random.nextFloat();
    const radius = Math.sqrt(-2 * Math.log(u));
    data[i] = radius * Math.cos(2 * Math.PI * v);
    if (i + 1 < data.length) data[i + 1] = radius * Math.sin(2 * Math.PI * v);
  }
  return { data, rows: n, cols: d };
}
