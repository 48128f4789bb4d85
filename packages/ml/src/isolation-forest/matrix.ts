/**
 * The dense, row-major matrix the tree models take: row i, column j is data[i * cols + j]. Float32Array halves the
 * memory of a large scoring batch (scikit-learn's trees also compare float32 values against double thresholds).
 */
export interface DenseMatrix {
  data: Float64Array | Float32Array;
  rows: number;
  cols: number;
}

/** Wraps a row-major typed array as a matrix of `cols` columns; the length must be a multiple of `cols`. */
export function denseMatrix(data: Float64Array | Float32Array, cols: number): DenseMatrix {
  if (!Number.isInteger(cols) || cols < 1) throw new Error(`denseMatrix: cols must be a positive integer, got ${cols}`);
  if (data.length % cols !== 0) {
    throw new Error(`denseMatrix: data length ${data.length} is not a multiple of cols ${cols}`);
  }
  return { data, rows: data.length / cols, cols };
}

/** Builds a Float64 matrix from rows of numbers (tests, small inputs); every row must have the same length. */
export function matrixFromRows(rows: readonly (readonly number[])[]): DenseMatrix {
  const cols = rows[0]?.length ?? 0;
  if (cols === 0) throw new Error('matrixFromRows: need at least one row with at least one column');
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, i) => {
    if (row.length !== cols) throw new Error(`matrixFromRows: row ${i} has ${row.length} columns, expected ${cols}`);
    data.set(row, i * cols);
  });
  return { data, rows: rows.length, cols };
}

/**
 * Checks the shape and that every value is finite. The error names the row and the column (by feature name when
 * known), so a caller can point at the offending input line.
 */
export function assertValidMatrix(x: DenseMatrix, what: string, expectedCols?: number, featureNames?: readonly string[]): void {
  if (!Number.isInteger(x.rows) || x.rows < 0 || !Number.isInteger(x.cols) || x.cols < 1) {
    throw new Error(`${what}: invalid shape ${x.rows} × ${x.cols}`);
  }
  if (x.data.length !== x.rows * x.cols) {
    throw new Error(`${what}: data length ${x.data.length} does not match ${x.rows} rows × ${x.cols} cols`);
  }
  if (expectedCols !== undefined && x.cols !== expectedCols) {
    throw new Error(`${what}: expected ${expectedCols} features, got ${x.cols}`);
  }
  const data = x.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    // v - v is NaN for NaN and ±Infinity: one comparison per value on the fast path.
    if (v - v !== 0) {
      const row = Math.floor(i / x.cols);
      const col = i % x.cols;
      const name = featureNames?.[col] ?? `column ${col}`;
      throw new Error(`${what}: row ${row}, feature ${name}: value ${v} is not a finite number`);
    }
  }
}
