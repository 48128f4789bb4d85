/**
 * The scoring loop as a tiny WebAssembly function, assembled here byte by byte (no toolchain, no dependency).
 * Why: the JS loop (compiled-forest.ts) pays for a typed-array bounds check on every access and an int32 overflow
 * check on every index sum; WebAssembly needs neither (out-of-range memory traps through guard pages, i32
 * arithmetic wraps), and the same walk ran about 2.5× faster here (200k × 16 rows, 100 trees, CPU time). The walk itself is the JS one: a fixed number
 * of steps per tree, leaves that loop onto themselves with threshold +Infinity, children adjacent.
 *
 * Linear memory layout (byte addresses, all 8-aligned):
 *   nodes64 16 bytes per node: f64 threshold @0, i32 address of the left child @8 (right = left + 16),
 *           i32 feature × 4 @12 (the column's byte offset within a float32 row; ×2 for float64 rows)
 *   nodes32 the same for float32 rows, with the threshold as the largest float32 ≤ the f64 threshold (@0): for a
 *           float32 value v, v > t ⟺ v > that float32, so the walk is exact without widening every value
 *   leaves  f64 per node: the leaf's path length, at leavesBase + (nodeAddress − tableBase) / 2
 *   roots   i32 offset of each tree's root within a node table
 *   rows    one block of input rows, row-major; out: f64 per row of the block, accumulated over trees
 */
import type { CompiledForest } from './compiled-forest.ts';
import type { DenseMatrix } from './matrix.ts';

const enum Op {
  Loop = 0x03, End = 0x0b, BrIf = 0x0d, Void = 0x40,
  LocalGet = 0x20, LocalSet = 0x21, LocalTee = 0x22,
  I32Load = 0x28, F32Load = 0x2a, F64Load = 0x2b, F64Store = 0x39,
  I32Const = 0x41, I32LtU = 0x49, F32Gt = 0x5e, F64Gt = 0x64,
  I32Add = 0x6a, I32Sub = 0x6b, I32Mul = 0x6c, I32Shl = 0x74, I32ShrU = 0x76, F64Add = 0xa0,
}

// Parameters, then locals, of both exported functions. LANES rows walk a tree in lockstep: their load chains are
// independent, so the CPU overlaps them (one row at a time is bound by the latency of load → compare → load).
// Measured (rows per CPU-second): 1 lane 0.45 M, 4 lanes 0.65 M, 8 lanes 0.9 M, 16 lanes 0.8 M; unrolling the steps
// and comparing float32 rows in float32 then took 8 lanes to ~1.15 M, with 12 lanes no better. Reading the child
// and the feature with one 64-bit load was no faster either.
const LANES = 8;
const P = { nTrees: 0, rootsPtr: 1, nodesBase: 2, leavesBase: 3, rowsPtr: 4, rowBytes: 5, nRows: 6, outPtr: 7 };
const L = { t: 8, r: 9, outAddr: 10, root: 11, groupBytes: 12, rowAddr: 13, node: 13 + LANES };
const PARAMS = 8;
const LOCALS = 5 + 2 * LANES;

function leb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}
const uleb = (n: number): number[] => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...uleb(n >>> 7)]);
const get = (i: number) => [Op.LocalGet, i];
const set = (i: number) => [Op.LocalSet, i];
const i32 = (n: number) => [Op.I32Const, ...leb(n)];
const load = (op: Op, align: number, offset = 0) => [op, align, ...uleb(offset)];
const lanes = <T>(f: (lane: number) => T[]): T[] => Array.from({ length: LANES }, (_, lane) => f(lane)).flat();

/**
 * Body of accumulate(…): for every tree, for every group of LANES rows of the block (nRows is a multiple of
 * LANES), walk `height` steps and add each row's leaf value to out.
 */
function body(rowsAreFloat64: boolean, steps: number): number[] {
  const node = (lane: number) => L.node + lane;
  const rowAddr = (lane: number) => L.rowAddr + lane;
  // value > threshold as 0 or 1: in float64, or for float32 rows in float32 against the float32 node table.
  const compare = (lane: number) =>
    rowsAreFloat64
      ? [
          ...get(node(lane)), ...load(Op.I32Load, 2, 12), ...i32(1), Op.I32Shl, ...get(rowAddr(lane)), Op.I32Add, ...load(Op.F64Load, 3),
          ...get(node(lane)), ...load(Op.F64Load, 3), Op.F64Gt,
        ]
      : [
          ...get(node(lane)), ...load(Op.I32Load, 2, 12), ...get(rowAddr(lane)), Op.I32Add, ...load(Op.F32Load, 2),
          ...get(node(lane)), ...load(Op.F32Load, 2), Op.F32Gt,
        ];
  return [
    ...get(P.rowBytes), ...i32(LANES), Op.I32Mul, ...set(L.groupBytes),
    ...i32(0), ...set(L.t),
    Op.Loop, Op.Void, // trees
    ...get(P.rootsPtr), ...get(L.t), ...i32(2), Op.I32Shl, Op.I32Add, ...load(Op.I32Load, 2), ...get(P.nodesBase), Op.I32Add, ...set(L.root),
    ...i32(0), ...set(L.r),
    ...lanes((lane) => [...get(P.rowsPtr), ...get(P.rowBytes), ...i32(lane), Op.I32Mul, Op.I32Add, ...set(rowAddr(lane))]),
    ...get(P.outPtr), ...set(L.outAddr),
    Op.Loop, Op.Void, // row groups
    ...lanes((lane) => [...get(L.root), ...set(node(lane))]),
    // `steps` unrolled walks: every tree takes the forest's greatest height (a shorter tree's rows sit on a
    // self-looping leaf for the extra steps), so there is no step counter or branch in the loop.
    ...Array.from({ length: steps }, () =>
      lanes((lane) => [
        ...get(node(lane)), ...load(Op.I32Load, 2, 8),
        ...compare(lane),
        ...i32(4), Op.I32Shl, Op.I32Add, ...set(node(lane)),
      ]),
    ).flat(),
    // out[r + lane] += leaf value of the lane's node
    ...lanes((lane) => [
      ...get(L.outAddr),
      ...get(L.outAddr), ...load(Op.F64Load, 3, 8 * lane),
      ...get(P.leavesBase), ...get(node(lane)), ...get(P.nodesBase), Op.I32Sub, ...i32(1), Op.I32ShrU, Op.I32Add, ...load(Op.F64Load, 3),
      Op.F64Add, ...load(Op.F64Store, 3, 8 * lane),
    ]),
    ...lanes((lane) => [...get(rowAddr(lane)), ...get(L.groupBytes), Op.I32Add, ...set(rowAddr(lane))]),
    ...get(L.outAddr), ...i32(8 * LANES), Op.I32Add, ...set(L.outAddr),
    ...get(L.r), ...i32(LANES), Op.I32Add, Op.LocalTee, L.r, ...get(P.nRows), Op.I32LtU, Op.BrIf, 0,
    Op.End, // row groups
    ...get(L.t), ...i32(1), Op.I32Add, Op.LocalTee, L.t, ...get(P.nTrees), Op.I32LtU, Op.BrIf, 0,
    Op.End, // trees
    Op.End, // function
  ];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}
const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

function assemble(steps: number): Uint8Array {
  const I32 = 0x7f;
  const type = [0x01, 0x60, ...uleb(PARAMS), ...new Array<number>(PARAMS).fill(I32), 0x00];
  const code = [false, true].map((f64) => {
    const fn = [0x01, ...uleb(LOCALS), I32, ...body(f64, steps)];
    return [...uleb(fn.length), ...fn];
  });
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, type),
    ...section(3, [0x02, 0x00, 0x00]),
    ...section(5, [0x01, 0x00, 0x01]), // one memory, at least one 64 KiB page, grown on demand
    ...section(7, [0x03, ...name('memory'), 0x02, 0x00, ...name('accumulateF32'), 0x00, 0x00, ...name('accumulateF64'), 0x00, 0x01]),
    ...section(10, [0x02, ...code.flat()]),
  ]);
}

// The few WebAssembly JS-API members used here: the repo's TypeScript lib (ES2023 + @types/node 20) declares no
// WebAssembly globals, and adding the DOM lib for them would let browser-only names slip into server code.
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
const webAssembly = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;

/** Whether this runtime can run the kernel (every Node.js can; the JS walk is the fallback). */
export const wasmAvailable = webAssembly !== undefined;

interface KernelExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  accumulateF32: (...args: number[]) => void;
  accumulateF64: (...args: number[]) => void;
}

/** Compiled modules by step count (the forest's height: 8 for the default ψ = 256). */
const modules = new Map<number, object>();

/** Rows copied into WebAssembly memory per call: 2048 × 16 float64 = 256 KiB, in L2 while the trees pass. */
const BLOCK_ROWS = 2048;

/** One forest loaded into its own WebAssembly instance; sumPathLengths has the JS kernel's contract. */
export class WasmForestKernel {
  private readonly exports: KernelExports;
  private readonly nTrees: number;
  private readonly rootsPtr: number;
  private readonly nodes64: number;
  private readonly nodes32: number;
  private readonly leavesBase: number;
  private readonly blockPtr: number;
  private readonly cols: number;

  constructor(forest: CompiledForest, cols: number) {
    const steps = Math.max(0, ...forest.heights);
    if (!webAssembly) throw new RangeError('WasmForestKernel: this runtime has no WebAssembly');
    let module = modules.get(steps);
    if (!module) modules.set(steps, (module = new webAssembly.Module(assemble(steps))));
    this.exports = new webAssembly.Instance(module).exports as KernelExports;
    const nodes = forest.feature.length;
    this.cols = cols;
    this.nTrees = forest.roots.length;
    this.nodes64 = 8;
    this.nodes32 = this.nodes64 + nodes * 16;
    this.leavesBase = this.nodes32 + nodes * 16;
    this.rootsPtr = this.leavesBase + nodes * 8;
    this.blockPtr = this.rootsPtr + align8(this.nTrees * 4);
    const outPtr = this.blockPtr + BLOCK_ROWS * cols * 8;
    const bytes = outPtr + BLOCK_ROWS * 8;
    if (bytes > 2 ** 31) throw new RangeError(`WasmForestKernel: the forest needs ${bytes} bytes, over the 2 GiB this kernel addresses`);
    const memory = this.exports.memory;
    if (bytes > memory.buffer.byteLength) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));

    const view = new DataView(memory.buffer);
    for (let node = 0; node < nodes; node++) {
      for (const [table, threshold] of [[this.nodes64, forest.threshold[node]!], [this.nodes32, float32AtMost(forest.threshold[node]!)]]) {
        const address = table! + node * 16;
        view.setFloat64(address, 0, true);
        if (table === this.nodes64) view.setFloat64(address, threshold!, true);
        else view.setFloat32(address, threshold!, true);
        view.setInt32(address + 8, table! + forest.child[node]! * 16, true);
        view.setInt32(address + 12, forest.feature[node]! * 4, true);
      }
      view.setFloat64(this.leavesBase + node * 8, forest.leafPathLength[node]!, true);
    }
    // Roots as node indices × 16; the call adds the table's base (the same offsets serve both tables).
    for (let t = 0; t < this.nTrees; t++) {
      view.setInt32(this.rootsPtr + t * 4, forest.roots[t]! * 16, true);
    }
  }

  sumPathLengths(x: DenseMatrix, out: Float64Array): void {
    if (x.cols !== this.cols) throw new Error(`WasmForestKernel: expected ${this.cols} columns, got ${x.cols}`);
    const buffer = this.exports.memory.buffer;
    const isF32 = x.data instanceof Float32Array;
    const rowBytes = x.cols * (isF32 ? 4 : 8);
    const rows = isF32 ? new Float32Array(buffer, this.blockPtr, BLOCK_ROWS * x.cols) : new Float64Array(buffer, this.blockPtr, BLOCK_ROWS * x.cols);
    const outPtr = this.blockPtr + BLOCK_ROWS * x.cols * 8;
    const blockOut = new Float64Array(buffer, outPtr, BLOCK_ROWS);
    const accumulate = isF32 ? this.exports.accumulateF32 : this.exports.accumulateF64;
    for (let start = 0; start < x.rows; start += BLOCK_ROWS) {
      const n = Math.min(BLOCK_ROWS, x.rows - start);
      // The kernel takes whole groups of LANES rows: the last group's missing rows are zeros, scored and dropped.
      const padded = Math.ceil(n / LANES) * LANES;
      rows.set(x.data.subarray(start * x.cols, (start + n) * x.cols));
      rows.fill(0, n * x.cols, padded * x.cols);
      blockOut.fill(0, 0, padded);
      accumulate(this.nTrees, this.rootsPtr, isF32 ? this.nodes32 : this.nodes64, this.leavesBase, this.blockPtr, rowBytes, padded, outPtr);
      out.set(blockOut.subarray(0, n), start);
    }
  }
}

const scratch = new DataView(new ArrayBuffer(4));

/** The largest float32 ≤ v (Math.fround rounds to nearest, which may land above v). */
export function float32AtMost(v: number): number {
  const nearest = Math.fround(v);
  if (nearest <= v || Number.isNaN(v)) return nearest;
  if (nearest === 0) return -1.401298464324817e-45; // v is a tiny negative: the next float32 below zero
  scratch.setFloat32(0, nearest);
  scratch.setInt32(0, scratch.getInt32(0) + (nearest > 0 ? -1 : 1));
  return scratch.getFloat32(0);
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
