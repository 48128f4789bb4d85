/**
 * A small, fast, seeded pseudo-random generator (xoshiro128**, seeded through splitmix32) for the models in this
 * package. Math.random cannot be seeded, and a model must be reproducible: the same seed and data give the same
 * trees, the same scores and the same serialized JSON on every machine.
 */
export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new Error(`SeededRandom: seed must be an integer, got ${seed}`);
    // splitmix32 spreads any integer seed (0 included) over the 128-bit state; xoshiro must not start all-zero.
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Uniform unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform integer in [0, bound), without modulo bias (rejects the incomplete last block of 2^32). */
  nextInt(bound: number): number {
    if (!Number.isInteger(bound) || bound <= 0 || bound > 0x100000000) {
      throw new Error(`SeededRandom.nextInt: bound must be an integer in [1, 2^32], got ${bound}`);
    }
    const limit = 0x100000000 - (0x100000000 % bound);
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % bound;
    }
  }

  /** A new generator whose stream is independent of this one's continuation (for one tree, one fold, ...). */
  fork(): SeededRandom {
    return new SeededRandom(this.nextUint32() ^ Math.imul(this.nextUint32(), 0x27d4eb2d));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * k distinct integers from [0, n), in random order (Floyd's algorithm: O(k) time and memory, whatever n is —
 * drawing 256 rows out of a million must not shuffle a million indices).
 */
export function sampleWithoutReplacement(n: number, k: number, random: SeededRandom): Int32Array {
  if (k > n) throw new Error(`sampleWithoutReplacement: cannot draw ${k} distinct values from ${n}`);
  const chosen = new Set<number>();
  const out = new Int32Array(k);
  let i = 0;
  for (let j = n - k; j < n; j++) {
    const t = random.nextInt(j + 1);
    const pick = chosen.has(t) ? j : t;
    chosen.add(pick);
    out[i++] = pick;
  }
  // Floyd's order is not uniform over permutations; shuffle so callers may rely on a random order.
  for (let a = k - 1; a > 0; a--) {
    const b = random.nextInt(a + 1);
    const tmp = out[a]!;
    out[a] = out[b]!;
    out[b] = tmp;
  }
  return out;
}

/**
 * mulberry32: a tiny seeded uniform [0, 1) source for shuffles and subsampling draws outside the models (template
 * splits, benchmark samples). Kept beside SeededRandom rather than replaced by it: the documented splits and figures
 * were drawn with this exact sequence.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
