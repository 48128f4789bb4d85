/** The system clock as the pure cores take it (they never read a clock themselves): wall time + a monotonic timer. */
export interface Clock {
  now: Date;
  /** Milliseconds from a monotonic clock, for durations. */
  monotonicMs: () => number;
}

export function systemClock(): Clock {
  return { now: new Date(), monotonicMs: () => performance.now() };
}
