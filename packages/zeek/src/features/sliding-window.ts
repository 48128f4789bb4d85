/**
 * A time window over one key's recent events (e.g. one originator's connections in the last W seconds) that
 * counts distinct values of a few fields, with amortized O(1) per push and eviction: each event enters and
 * leaves the window once, and distinct counts are kept as multiplicity maps instead of being recounted.
 */
export interface WindowEvent {
  ts: number;
  /** Values whose distinct count is tracked, one per tracked field (e.g. [respHost, respPort]). */
  keys: readonly string[];
  failed: boolean;
  bytes: number;
}

export class SlidingWindow {
  private readonly events: WindowEvent[] = [];
  private head = 0;
  private readonly multiplicity: Map<string, number>[];
  private failedCount = 0;
  private bytesSum = 0;

  constructor(trackedFields: number) {
    this.multiplicity = Array.from({ length: trackedFields }, () => new Map<string, number>());
  }

  push(event: WindowEvent): void {
    this.events.push(event);
    event.keys.forEach((key, field) => {
      const counts = this.multiplicity[field]!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    });
    if (event.failed) this.failedCount++;
    this.bytesSum += event.bytes;
  }

  /** Drops events with ts <= cutoff (the window is (now − W, now]). */
  evictUpTo(cutoff: number): void {
    while (this.head < this.events.length && this.events[this.head]!.ts <= cutoff) {
      const event = this.events[this.head++]!;
      event.keys.forEach((key, field) => {
        const counts = this.multiplicity[field]!;
        const left = counts.get(key)! - 1;
        if (left === 0) counts.delete(key);
        else counts.set(key, left);
      });
      if (event.failed) this.failedCount--;
      this.bytesSum -= event.bytes;
    }
    // Compact once the evicted prefix dominates, so memory follows the window, not the history.
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events.splice(0, this.head);
      this.head = 0;
    }
  }

  get size(): number {
    return this.events.length - this.head;
  }

  distinct(field: number): number {
    return this.multiplicity[field]!.size;
  }

  get failedShare(): number {
    return this.size === 0 ? 0 : this.failedCount / this.size;
  }

  /** Float sums drift when subtracting; clamp tiny negatives left by rounding. */
  get bytes(): number {
    return this.size === 0 ? 0 : Math.max(0, this.bytesSum);
  }

  get isEmpty(): boolean {
    return this.size === 0;
  }
}

/**
 * The last `k` inter-arrival times of one originator→responder pair, and their coefficient of variation
 * (standard deviation / mean): near 0 for a timer-driven beacon, about 1 for arrivals at random (Poisson).
 */
export class InterArrivalTracker {
  private readonly gaps: number[] = [];
  private lastTs: number | null = null;

  /**
   * Gaps shorter than `minGapSeconds` are not inter-arrivals but parallel connections of one contact (a browser
   * opening six at once); counting them would make any burst look perfectly regular (CV of zeros = 0).
   */
  constructor(
    private readonly k: number,
    private readonly minGapSeconds = 1,
  ) {}

  push(ts: number): void {
    if (this.lastTs !== null && ts - this.lastTs >= this.minGapSeconds) {
      this.gaps.push(ts - this.lastTs);
      if (this.gaps.length > this.k) this.gaps.shift();
    }
    this.lastTs = ts;
  }

  /** Mean of the recent gaps in seconds (a beacon's period), 0 before the first gap. */
  meanGap(): number {
    if (this.gaps.length === 0) return 0;
    let sum = 0;
    for (const gap of this.gaps) sum += gap;
    return sum / this.gaps.length;
  }

  /**
   * CV of the recent gaps, or `whenUnknown` with fewer than `minGaps` of them: too few gaps say nothing about
   * regularity, and the caller picks the value that means "no evidence of a beacon". Capped at `cap`, so one
   * burst does not stretch the feature's range for the forest.
   */
  coefficientOfVariation(minGaps: number, whenUnknown: number, cap: number): number {
    const n = this.gaps.length;
    if (n < minGaps) return whenUnknown;
    let sum = 0;
    for (const gap of this.gaps) sum += gap;
    const mean = sum / n;
    let squares = 0;
    for (const gap of this.gaps) squares += (gap - mean) ** 2;
    return Math.min(cap, Math.sqrt(squares / n) / mean);
  }
}
