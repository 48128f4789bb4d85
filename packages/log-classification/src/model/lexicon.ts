/**
 * Keyword groups from the labeling guide's class definitions (../shared/labels/README.md, "Classes"): each group is
 * a feature of its own (`__kw_failure__`), so a template the model never saw still lights up the feature that its
 * class's other templates taught. Words are general SRE vocabulary for each kind of event, not phrases copied from
 * the labeled templates — the held-out templates must not leak in through the lexicon.
 *
 * A token matches a group by exact word or by prefix (`fail` covers failed / failure / failing).
 */

export const LEXICON_GROUPS: Readonly<Record<string, { words?: readonly string[]; prefixes?: readonly string[] }>> = {
  // critical C1: crash, fatal, panic, core dump, a process killed
  crash: { words: ['fatal', 'panic', 'segfault', 'segmentation', 'core', 'dumped', 'oops', 'died', 'dead', 'killed'], prefixes: ['crash', 'abort', 'panick'] },
  // critical: the definitive death or unreachability of a node, daemon or master
  unreachable: { words: ['unreachable', 'responding', 'noresponse'], prefixes: ['unavailab'] },
  // critical: memory exhaustion, disk full
  exhausted: { words: ['oom', 'exhausted', 'full', 'space', 'quota'], prefixes: ['outofmemory'] },
  // critical: hardware and machine-check failures
  hardware: { words: ['hardware', 'psu', 'ecc', 'parity', 'power'], prefixes: ['machine'] },
  // critical: filesystem, RAID, I/O, corruption
  storage: { words: ['raid', 'disk', 'filesystem', 'fs', 'io', 'input', 'output'], prefixes: ['mount', 'unmount', 'corrupt'] },
  // critical/warning: something failed or is wrong
  failure: { words: ['error', 'errors', 'err', 'unable', 'cannot', 'bad', 'exception', 'invalid', 'illegal', 'problem', 'wrong', 'missing'], prefixes: ['fail', 'threw', 'throw', 'unexpect'] },
  // warning: access refused, authentication failures, break-in attempts
  denied: { words: ['denied', 'deny', 'unauthorized', 'forbidden', 'permission', 'break', 'intrusion'], prefixes: ['refus', 'authenticat', 'reject'] },
  // warning: slowness, retries, resets, pressure, deprecation
  degraded: { words: ['timeout', 'timed', 'retry', 'retries', 'retrying', 'again', 'slow', 'latency', 'delay', 'reset', 'broken'], prefixes: ['degrad', 'throttl', 'deprecat', 'warn', 'pressure', 'exceed'] },
  // informational: lifecycle, sessions, jobs, data written, config loaded
  lifecycle: { words: ['started', 'starting', 'stopped', 'stopping', 'shutdown', 'restart', 'restarted', 'opened', 'closed', 'accepted', 'connected', 'registered', 'loaded', 'completed', 'complete', 'finished', 'done', 'login', 'logout', 'session', 'mounted'], prefixes: ['succe', 'launch', 'creat', 'alloc', 'assign'] },
  // noise: periodic chatter, heartbeats, debug, boot enumeration
  chatter: { words: ['debug', 'trace', 'heartbeat', 'keepalive', 'sync', 'synchronized', 'dhcp', 'ntp', 'snmp', 'status', 'statistics', 'stats', 'progress', 'polling', 'scheduling', 'audit', 'auditing'], prefixes: ['dhcp', 'initializ', 'register', 'verif'] },
};

const GROUP_NAMES = Object.keys(LEXICON_GROUPS);
export const LEXICON_TOKENS: readonly string[] = GROUP_NAMES.map((g) => `__kw_${g}__`);

const NO_PREFIXES: readonly [string, number][] = [];
const NO_GROUPS: readonly number[] = [];

/** Token → indices of the groups it belongs to (memoized: log vocabularies are small and repetitive). */
export class Lexicon {
  private readonly exact = new Map<string, number[]>();
  /** Prefix → group, bucketed by the prefix's first unit: a token is tested against its own initial's few prefixes. */
  private readonly prefixesByInitial = new Map<number, [string, number][]>();
  /** Token → its groups as a bit mask (bit g: group g), memoized: a chunk miss asks for each of its tokens. */
  private readonly masks = new Map<string, number>();

  constructor() {
    GROUP_NAMES.forEach((name, g) => {
      const group = LEXICON_GROUPS[name]!;
      for (const w of group.words ?? []) this.exact.set(w, [...(this.exact.get(w) ?? []), g]);
      for (const p of group.prefixes ?? []) {
        const bucket = this.prefixesByInitial.get(p.charCodeAt(0)) ?? [];
        bucket.push([p, g]);
        this.prefixesByInitial.set(p.charCodeAt(0), bucket);
      }
    });
  }

  private tokenMask(token: string): number {
    let mask = this.masks.get(token);
    if (mask === undefined) {
      mask = this.groupsOf(token);
      if (this.masks.size < 200_000) this.masks.set(token, mask);
    }
    return mask;
  }

  /**
   * One token's groups as a bit mask, computed each time: for a caller that memoizes its tokens itself (the chunk
   * analyzer's token table asks once per new token, where this memo's miss and insert cost more than the answer).
   */
  groupsOf(token: string): number {
    let mask = 0;
    for (const g of this.exact.get(token) ?? NO_GROUPS) mask |= 1 << g;
    // A chunk miss asks this for each new token of a cold pass: ~40 startsWith calls each were ~1 % of the pass.
    for (const [prefix, g] of this.prefixesByInitial.get(token.charCodeAt(0)) ?? NO_PREFIXES) if (token.startsWith(prefix)) mask |= 1 << g;
    return mask;
  }

  /** Forgets the memoized token masks (with FastRows' memos: a cold pass starts without them). */
  clearMemo(): void {
    this.masks.clear();
  }

  /** Bit g set when a token belongs to group g. */
  maskOf(tokens: readonly string[]): number {
    let mask = 0;
    for (let i = 0; i < tokens.length; i++) mask |= this.tokenMask(tokens[i]!);
    return mask;
  }

  /** The group tokens (`__kw_failure__`, …) that a line's unigram tokens light up, each once, in group order. */
  tokensFor(tokens: readonly string[]): string[] {
    const mask = this.maskOf(tokens);
    const out: string[] = [];
    for (let g = 0; g < GROUP_NAMES.length; g++) if (mask & (1 << g)) out.push(LEXICON_TOKENS[g]!);
    return out;
  }
}
