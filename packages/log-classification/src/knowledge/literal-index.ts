/**
 * Which of a fixed set of ASCII literals occur in a text, in one pass: an Aho–Corasick automaton over UTF-16 code
 * units with A–Z folded to a–z (in the table: an upper-case letter moves as its lower case), as a dense transition
 * table (states × 128). Built once per knowledge base.
 *
 * Why not a package: modern-ahocorasick (the maintained one on npm) matches whole grapheme clusters, so it misses
 * `cat` in `cat\u0301` where a regular expression finds it (a prefilter must never miss), and its per-pattern counts
 * cost ~85 µs a line; the other packages are unmaintained. docs/adr/0008-knowledge-prefilter.md.
 */

const ALPHABET = 128;

export class LiteralIndex {
  private readonly next: Int32Array;
  /** Per state, the literal ids that end there (its own and its suffixes'), as offsets into `outputs`. */
  private readonly outputStart: Int32Array;
  private readonly outputs: Int32Array;
  /** seen[id] === stamp: literal id occurred in the last scanned text. */
  private readonly seen: Int32Array;
  private stamp = 0;
  /** Per state, the OR of the tags of the literals that end there (tagsIn); all 0 without tags. */
  private readonly stateTags: Int32Array;

  /** `tags[id]`: bits of literal id that tagsIn reports (optional). */
  constructor(
    readonly literals: readonly string[],
    tags: readonly number[] = [],
  ) {
    const goto: Map<number, number>[] = [new Map()];
    const ends: number[][] = [[]];
    literals.forEach((literal, id) => {
      let state = 0;
      for (let i = 0; i < literal.length; i++) {
        const code = fold(literal.charCodeAt(i));
        if (code >= ALPHABET) throw new Error(`LiteralIndex: non-ASCII literal ${JSON.stringify(literal)}`);
        let to = goto[state]!.get(code);
        if (to === undefined) {
          to = goto.length;
          goto.push(new Map());
          ends.push([]);
          goto[state]!.set(code, to);
        }
        state = to;
      }
      ends[state]!.push(id);
    });
    const states = goto.length;
    const next = new Int32Array(states * ALPHABET);
    const fail = new Int32Array(states);
    const outputsOf: number[][] = ends.map((e) => [...e]);
    // Breadth-first: a state's failure link and missing transitions come from states nearer the root.
    const queue: number[] = [];
    for (let c = 0; c < ALPHABET; c++) {
      const to = goto[0]!.get(c);
      if (to !== undefined) {
        next[c] = to;
        queue.push(to);
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      outputsOf[state]!.push(...outputsOf[fail[state]!]!);
      for (let c = 0; c < ALPHABET; c++) {
        const to = goto[state]!.get(c);
        if (to === undefined) next[state * ALPHABET + c] = next[fail[state]! * ALPHABET + c]!;
        else {
          fail[to] = next[fail[state]! * ALPHABET + c]!;
          next[state * ALPHABET + c] = to;
          queue.push(to);
        }
      }
    }
    // A–Z read as a–z: an upper-case letter's transitions are its lower-case letter's, so the scans need no fold.
    for (let state = 0; state < states; state++) {
      for (let c = 65; c <= 90; c++) next[state * ALPHABET + c] = next[state * ALPHABET + c + 32]!;
    }
    this.next = next;
    this.outputStart = new Int32Array(states + 1);
    for (let s = 0; s < states; s++) this.outputStart[s + 1] = this.outputStart[s]! + outputsOf[s]!.length;
    this.outputs = Int32Array.from(outputsOf.flat());
    this.seen = new Int32Array(literals.length);
    this.stateTags = new Int32Array(states);
    for (let state = 0; state < states; state++) for (const id of outputsOf[state]!) this.stateTags[state]! |= tags[id] ?? 0;
  }

  /** Scans a text; afterwards has(id) tells whether literal id occurs in it. */
  scan(text: string): void {
    if (++this.stamp === 0x7fffffff) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    const { next, outputStart, outputs, seen, stamp } = this;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      state = code < ALPHABET ? next[state * ALPHABET + code]! : 0; // no literal holds a non-ASCII unit
      for (let o = outputStart[state]!, end = outputStart[state + 1]!; o < end; o++) seen[outputs[o]!] = stamp;
    }
  }

  /** Whether some literal occurs in text (stops at the first). */
  occursIn(text: string): boolean {
    const { next, outputStart } = this;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      state = code < ALPHABET ? next[state * ALPHABET + code]! : 0;
      if (outputStart[state + 1]! > outputStart[state]!) return true;
    }
    return false;
  }

  /** The OR of the tags of the literals that occur in text (one pass, no stamps: what the chunk triggers need). */
  tagsIn(text: string): number {
    const { next, stateTags } = this;
    let state = 0;
    let tags = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      state = code < ALPHABET ? next[state * ALPHABET + code]! : 0;
      tags |= stateTags[state]!;
    }
    return tags;
  }

  has(id: number): boolean {
    return this.seen[id] === this.stamp;
  }
}

function fold(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}
