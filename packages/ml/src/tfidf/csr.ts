/** Compressed sparse rows in typed arrays: row r's entries are indices/data[indptr[r] .. indptr[r+1]). */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float64Array;
}

/** Builds a CSR matrix row by row; each row's entries must arrive with increasing column indices. */
export class CsrBuilder {
  private indices: Int32Array;
  private data: Float64Array;
  private readonly indptr: number[] = [0];
  private nnz = 0;

  constructor(private readonly cols: number, capacity = 1024) {
    this.indices = new Int32Array(capacity);
    this.data = new Float64Array(capacity);
  }

  push(col: number, value: number): void {
    if (this.nnz === this.indices.length) {
      const indices = new Int32Array(this.nnz * 2);
      indices.set(this.indices);
      this.indices = indices;
      const data = new Float64Array(this.nnz * 2);
      data.set(this.data);
      this.data = data;
    }
    this.indices[this.nnz] = col;
    this.data[this.nnz++] = value;
  }

  endRow(): void {
    this.indptr.push(this.nnz);
  }

  build(): CsrMatrix {
    return {
      rows: this.indptr.length - 1,
      cols: this.cols,
      indptr: Int32Array.from(this.indptr),
      indices: this.indices.slice(0, this.nnz),
      data: this.data.slice(0, this.nnz),
    };
  }
}

/** Side-by-side concatenation (scikit-learn's FeatureUnion / scipy.sparse.hstack). */
export function hstack(blocks: readonly CsrMatrix[]): CsrMatrix {
  const first = blocks[0];
  if (!first) throw new Error('hstack: no blocks');
  const rows = first.rows;
  if (blocks.some((b) => b.rows !== rows)) throw new Error('hstack: blocks differ in row count');
  const cols = blocks.reduce((sum, b) => sum + b.cols, 0);
  const builder = new CsrBuilder(cols, blocks.reduce((sum, b) => sum + b.data.length, 0) || 1);
  for (let r = 0; r < rows; r++) {
    let offset = 0;
    for (const block of blocks) {
      for (let p = block.indptr[r]!; p < block.indptr[r + 1]!; p++) builder.push(offset + block.indices[p]!, block.data[p]!);
      offset += block.cols;
    }
    builder.endRow();
  }
  return builder.build();
}

/** The rows at the given positions, in that order. */
export function selectRows(matrix: CsrMatrix, rows: readonly number[]): CsrMatrix {
  const builder = new CsrBuilder(matrix.cols, Math.max(1, matrix.data.length));
  for (const r of rows) {
    for (let p = matrix.indptr[r]!; p < matrix.indptr[r + 1]!; p++) builder.push(matrix.indices[p]!, matrix.data[p]!);
    builder.endRow();
  }
  return builder.build();
}
