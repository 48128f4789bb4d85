/**
 * What a reviewer sees, as pure logic: the filters and order of the review queue (lines the model flagged), and the
 * weekly spot check (a seeded random sample of every classified line of one ISO week). The Elasticsearch calls that
 * run these queries live in ./review-store.ts; this module decides what they ask for.
 */
import { createHash } from 'node:crypto';
import type { estypes } from '@elastic/elasticsearch';
import { documentId } from '@aiops/common';
import { AWAITING_REVIEW } from '../elasticsearch/review-queries.ts';

export const QUEUE_ORDERS = ['least-confident', 'newest'] as const;
type QueueOrder = (typeof QUEUE_ORDERS)[number];

export interface QueueFilter {
  host?: string;
  /** The model's class (`ml_category`). */
  category?: string;
  /** `log.source`: syslog, auth, kern, app. */
  source?: string;
  order: QueueOrder;
}

export class FilterError extends Error {}

/** Longer than any host, class or source name: a filter value past this is not a name, and is refused. */
const MAX_FILTER_CHARS = 256;

/** Reads the queue's filters from a query string; empty values mean "any", bad ones are refused by name. */
export function parseQueueFilter(query: Record<string, unknown>): QueueFilter {
  const text = (field: string): string | undefined => {
    const raw = query[field];
    if (raw === undefined || raw === '') return undefined;
    if (typeof raw !== 'string') throw new FilterError(`${field}: expected one value`);
    if (raw.length > MAX_FILTER_CHARS) throw new FilterError(`${field}: longer than ${MAX_FILTER_CHARS} characters`);
    return raw;
  };
  const order = text('order') ?? 'least-confident';
  if (!(QUEUE_ORDERS as readonly string[]).includes(order)) throw new FilterError(`order: expected one of ${QUEUE_ORDERS.join(', ')}`);
  const filter: QueueFilter = { order: order as QueueOrder };
  const host = text('host');
  const category = text('category');
  const source = text('source');
  if (host !== undefined) filter.host = host;
  if (category !== undefined) filter.category = category;
  if (source !== undefined) filter.source = source;
  return filter;
}

/** Flagged by the model, not yet labeled by a person (the classified document carries the label once given). */
export const FLAGGED_UNREVIEWED = AWAITING_REVIEW;

function filterClauses(filter: Omit<QueueFilter, 'order'>): estypes.QueryDslQueryContainer[] {
  const clauses: estypes.QueryDslQueryContainer[] = [];
  if (filter.host !== undefined) clauses.push({ term: { 'host.name': filter.host } });
  if (filter.category !== undefined) clauses.push({ term: { ml_category: filter.category } });
  if (filter.source !== undefined) clauses.push({ term: { 'log.source': filter.source } });
  return clauses;
}

/** The search body of one page of the queue. Ties break on time, then id, so a page is the same on every load. */
export function queueSearch(filter: QueueFilter, size: number): Pick<estypes.SearchRequest, 'query' | 'sort' | 'size'> {
  const sort: estypes.SortCombinations[] =
    filter.order === 'newest'
      ? [{ '@timestamp': { order: 'desc', unmapped_type: 'date' } }, { ml_confidence: { order: 'asc', unmapped_type: 'float' } }]
      : [{ ml_confidence: { order: 'asc', unmapped_type: 'float' } }, { '@timestamp': { order: 'desc', unmapped_type: 'date' } }];
  sort.push({ _doc: { order: 'asc' } });
  return {
    size,
    query: { bool: { filter: [FLAGGED_UNREVIEWED, ...filterClauses(filter)] } },
    sort,
  };
}

/** An ISO 8601 week (Monday 00:00 UTC to the next Monday): the unit of the spot check. */
export interface IsoWeek {
  /** `2026-W49`. */
  id: string;
  start: Date;
  /** Exclusive. */
  end: Date;
}

const DAY_MS = 86_400_000;

export function isoWeekOf(date: Date): IsoWeek {
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
  const start = day - weekday * DAY_MS;
  // The ISO year is the year of the week's Thursday; week 1 holds the year's first Thursday.
  const thursday = new Date(start + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return { id: `${year}-W${String(week).padStart(2, '0')}`, start: new Date(start), end: new Date(start + 7 * DAY_MS) };
}

/** `2026-W49` → that week; throws FilterError on anything else (a week 53 the year lacks included). */
export function parseIsoWeek(id: string): IsoWeek {
  const m = /^(\d{4})-W(\d{2})$/.exec(id);
  if (!m) throw new FilterError(`week: expected YYYY-Www (e.g. 2026-W49), got "${id.slice(0, 40)}"`);
  const [year, week] = [Number(m[1]), Number(m[2])];
  // January 4th is always in week 1.
  const first = isoWeekOf(new Date(Date.UTC(year, 0, 4)));
  const candidate = isoWeekOf(new Date(first.start.getTime() + (week - 1) * 7 * DAY_MS));
  if (week < 1 || candidate.id !== id) throw new FilterError(`week: ${id} does not exist`);
  return candidate;
}

/** The last complete week before `now`: its lines are all in, so its sample does not change as the week fills. */
export function defaultSpotCheckWeek(now: Date): IsoWeek {
  return isoWeekOf(new Date(isoWeekOf(now).start.getTime() - DAY_MS));
}

/** A 31-bit seed from the week and a deployment's own salt: the same week draws the same lines on every load. */
export function spotCheckSeed(week: IsoWeek, salt: number): number {
  return createHash('sha256').update(`${week.id}:${salt}`).digest().readUInt32BE(0) >>> 1;
}

/**
 * The draw: every classified line of the week, scored by a seeded hash of its (index, shard, sequence number) —
 * Elasticsearch's random_score, so the sample costs one search whatever the week's volume.
 */
export function spotCheckSearch(week: IsoWeek, seed: number, size: number): Pick<estypes.SearchRequest, 'query' | 'size'> {
  return {
    size,
    query: {
      function_score: {
        query: { range: { '@timestamp': { gte: week.start.toISOString(), lt: week.end.toISOString() } } },
        functions: [{ random_score: { seed, field: '_seq_no' } }],
        boost_mode: 'replace',
      },
    },
  };
}

export interface LineRef {
  index: string;
  id: string;
}

const refKey = (r: LineRef) => `${r.index}\u0000${r.id}`;

/**
 * The week's spot check: the lines already answered for it come first and stay (a relabel or a reclassified line
 * never drops an answer from the week), then the draw fills up to `size`, without repeats.
 */
export function composeSpotCheck<A extends LineRef, D extends LineRef>(answered: readonly A[], drawn: readonly D[], size: number): (A | D)[] {
  const out: (A | D)[] = [];
  const seen = new Set<string>();
  for (const line of [...answered, ...drawn]) {
    if (out.length >= size) break;
    const key = refKey(line);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(line);
  }
  return out;
}

/** One review per line: labeling a line again, in either mode, overwrites its review. */
export function reviewDocumentId(line: LineRef): string {
  return documentId('log-review', line.index, line.id);
}

/** Agreed / total, NaN when nothing was reviewed (a rate of nothing is unknown, not 0 or 1). */
export function agreementRate(agreed: number, total: number): number {
  return total > 0 ? agreed / total : Number.NaN;
}
