/**
 * Keeps up to `depth` items of an async source requested ahead of its consumer, so the next pages of a search
 * are fetched while the consumer handles the one in hand (detect and classify idled on every page read: at scale 1
 * of bench e2e classify used 52 CPU-s in 115 s). Items come out in the source's order, each once; an error of the
 * source comes out where it happened in that order. Items read ahead that the consumer never takes (it stopped
 * early) are dropped: the caller checkpoints only what it handled, so they are read again by the next run.
 */
export async function* readAhead<T>(source: AsyncIterable<T>, depth: number): AsyncGenerator<T, void, undefined> {
  if (!(Number.isInteger(depth) && depth >= 1)) throw new Error(`readAhead: depth must be an integer ≥ 1, got ${depth}`);
  const iterator = source[Symbol.asyncIterator]();
  const queue: Promise<IteratorResult<T>>[] = [];
  let ended = false;
  const request = () => {
    // An async generator queues next() calls and answers them in order, one after the other.
    while (!ended && queue.length < depth) {
      const next = iterator.next();
      next.then(
        (r) => void (r.done && (ended = true)),
        () => void (ended = true),
      );
      queue.push(next);
    }
  };
  try {
    request();
    while (queue.length > 0) {
      const result = await queue.shift()!;
      if (result.done) return;
      request();
      yield result.value;
    }
  } finally {
    // Answered after the requests in flight: the source's own cleanup (closing a point in time) runs last.
    await iterator.return?.();
  }
}
