/**
 * The review loop's Elasticsearch side: the queue and the spot check read from `logs-classified-*`, the labels
 * people give written to `log-reviews-*` (one document per line, deterministic id: a relabel overwrites). The
 * classified line also gets the label (`review_label`, as `review import` writes it) so the queue, the pending count
 * and `classify`'s own pending gauge all see a labeled line as done; `log-reviews-*` is the record retraining reads.
 */
import {
  dailyIndexName,
  dailyIndexPattern,
  parseDailyIndexDate,
  type Client,
  type GaugeSample,
  type IndexPrefixes,
} from '@aiops/common';
import type { estypes } from '@elastic/elasticsearch';
import {
  agreementRate,
  composeSpotCheck,
  FLAGGED_UNREVIEWED,
  queueSearch,
  reviewDocumentId,
  spotCheckSearch,
  type IsoWeek,
  type LineRef,
  type QueueFilter,
} from './review-queue.ts';
import { logReview, metrics, sample } from '@aiops/contracts';
import { reviewPending } from '../elasticsearch/review-queries.ts';
import { REVIEW_LABELS, REVIEW_MODES, type ReviewLabel, type ReviewMode } from './review-names.ts';

/** A classified line as the page shows it. */
export interface ReviewLine extends LineRef {
  timestamp: string;
  host: string;
  source: string;
  severity: string;
  message: string;
  mlCategory: string;
  mlConfidence: number;
  mlModelVersion: string;
  mlRule?: string;
  /** The label a person already gave it, if any. */
  review?: ReviewDocument;
}

/** A `log-reviews-*` document. */
export interface ReviewDocument {
  '@timestamp': string;
  line_index: string;
  line_id: string;
  line_timestamp?: string;
  label: ReviewLabel;
  reviewer: string;
  mode: ReviewMode;
  sample_week?: string;
  message: string;
  host: string;
  source: string;
  severity?: string;
  ml_category: string;
  ml_confidence: number;
  ml_model_version: string;
  ml_rule?: string;
  agrees: boolean;
}

export class LineNotFoundError extends Error {}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
/** A field Logstash may write dotted (`host.name`) or nested (`host: {name}`). */
const field = (s: Record<string, unknown>, outer: string, inner: string): string =>
  str((s[outer] as Record<string, unknown> | undefined)?.[inner] ?? s[`${outer}.${inner}`]);

function toLine(index: string, id: string, s: Record<string, unknown>): ReviewLine {
  const line: ReviewLine = {
    index,
    id,
    timestamp: str(s['@timestamp']),
    host: field(s, 'host', 'name'),
    source: field(s, 'log', 'source'),
    severity: str(s.severity),
    message: str(s.message),
    mlCategory: str(s.ml_category),
    mlConfidence: Number(s.ml_confidence ?? 0),
    mlModelVersion: str(s.ml_model_version),
  };
  if (typeof s.ml_rule === 'string') line.mlRule = s.ml_rule;
  return line;
}

const hitsOf = (res: estypes.SearchResponse<Record<string, unknown>>): ReviewLine[] =>
  res.hits.hits.map((h) => toLine(h._index, h._id!, h._source ?? {}));

const LENIENT = { ignore_unavailable: true, allow_no_indices: true } as const;

export interface LabelRequest {
  line: LineRef;
  label: ReviewLabel;
  reviewer: string;
  mode: ReviewMode;
  /** The spot check's week, in spot-check mode. */
  sampleWeek?: string;
}

export interface Facets {
  hosts: string[];
  categories: string[];
  sources: string[];
}

export class ReviewStore {
  readonly classifiedPattern: string;
  readonly reviewsPattern: string;

  constructor(
    private readonly client: Client,
    private readonly prefixes: Pick<IndexPrefixes, 'logsClassified' | 'logReviews'>,
  ) {
    this.classifiedPattern = dailyIndexPattern(prefixes.logsClassified);
    this.reviewsPattern = dailyIndexPattern(prefixes.logReviews);
  }

  /** The review of a line lives in `log-reviews-<the line's day>`, read off its classified index's name. */
  reviewIndexOf(line: LineRef): string {
    // Strictly `<prefix>-YYYY.MM.DD`: a request naming any other index (a list, a wildcard, another family) is refused.
    const strict = line.index.length === this.prefixes.logsClassified.length + 11 && /^-\d{4}\.\d{2}\.\d{2}$/.test(line.index.slice(this.prefixes.logsClassified.length));
    const day = strict ? parseDailyIndexDate(this.prefixes.logsClassified, line.index) : undefined;
    if (!day || !line.index.startsWith(this.prefixes.logsClassified)) {
      throw new LineNotFoundError(`${line.index.slice(0, 80)} is not a ${this.prefixes.logsClassified}-YYYY.MM.DD index`);
    }
    return dailyIndexName(this.prefixes.logReviews, day);
  }

  async queue(filter: QueueFilter, size: number): Promise<{ lines: ReviewLine[]; total: number }> {
    const res = await this.client.search<Record<string, unknown>>({
      index: this.classifiedPattern,
      ...queueSearch(filter, size),
      track_total_hits: true,
      ...LENIENT,
    });
    const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
    return { lines: hitsOf(res), total };
  }

  /** The values the queue's filters can take: hosts, classes and sources of the lines still waiting. */
  async facets(): Promise<Facets> {
    const terms = (f: string) => ({ terms: { field: f, size: 200, order: { _key: 'asc' as const } } });
    const res = await this.client.search({
      index: this.classifiedPattern,
      size: 0,
      query: FLAGGED_UNREVIEWED,
      aggs: { hosts: terms('host.name'), categories: terms('ml_category'), sources: terms('log.source') },
      ...LENIENT,
    });
    const keys = (name: string): string[] =>
      ((res.aggregations?.[name] as estypes.AggregationsStringTermsAggregate | undefined)?.buckets as estypes.AggregationsStringTermsBucket[] | undefined)?.map((b) => str(b.key)) ?? [];
    return { hosts: keys('hosts'), categories: keys('categories'), sources: keys('sources') };
  }

  async pending(): Promise<number> {
    return reviewPending(this.client, this.classifiedPattern);
  }

  /** The week's sample: lines answered for it first, then the seeded draw; each with its review when it has one. */
  async spotCheck(week: IsoWeek, seed: number, size: number): Promise<ReviewLine[]> {
    const answeredRes = await this.client.search<ReviewDocument>({
      index: this.reviewsPattern,
      size,
      query: { bool: { filter: [{ term: { mode: 'spot-check' } }, { term: { sample_week: week.id } }] } },
      sort: [{ line_timestamp: { order: 'asc', unmapped_type: 'date' } }, { line_id: { order: 'asc', unmapped_type: 'keyword' } }],
      ...LENIENT,
    });
    const answered = answeredRes.hits.hits.map((h) => h._source!).map((r) => ({ ...reviewToLine(r), review: r }));
    const drawn = hitsOf(await this.client.search<Record<string, unknown>>({ index: this.classifiedPattern, ...spotCheckSearch(week, seed, size), ...LENIENT }));
    const lines = composeSpotCheck(answered, drawn, size);
    const reviews = await this.reviewsOf(lines.filter((l) => !l.review));
    return lines.map((l) => (l.review ? l : { ...l, ...(reviews.get(reviewDocumentId(l)) ? { review: reviews.get(reviewDocumentId(l))! } : {}) }));
  }

  async reviewsOf(lines: readonly LineRef[]): Promise<Map<string, ReviewDocument>> {
    const out = new Map<string, ReviewDocument>();
    if (lines.length === 0) return out;
    const res = await this.client.mget<ReviewDocument>({
      docs: lines.map((l) => ({ _index: this.reviewIndexOf(l), _id: reviewDocumentId(l) })),
    });
    for (const doc of res.docs) if ('found' in doc && doc.found && doc._source) out.set(doc._id, doc._source);
    return out;
  }

  async review(line: LineRef): Promise<ReviewDocument | null> {
    return (await this.reviewsOf([line])).get(reviewDocumentId(line)) ?? null;
  }

  /**
   * Stores a label: the review document first (the record), then the mark on the classified line. A failure
   * between the two leaves the line in the queue with its review stored; labeling it again overwrites both.
   * Returns the review written and the one it replaced (for undo).
   */
  async label(request: LabelRequest, now = new Date()): Promise<{ review: ReviewDocument; previous: ReviewDocument | null }> {
    const { line } = request;
    const reviewIndex = this.reviewIndexOf(line);
    const got = await this.client.get<Record<string, unknown>>({ index: line.index, id: line.id }, { ignore: [404] });
    if (!got.found || !got._source) throw new LineNotFoundError(`no classified line ${line.index}/${line.id}`);
    const shown = toLine(line.index, line.id, got._source);
    const previous = await this.review(line);
    const review: ReviewDocument = {
      '@timestamp': now.toISOString(),
      line_index: line.index,
      line_id: line.id,
      ...(shown.timestamp ? { line_timestamp: shown.timestamp } : {}),
      label: request.label,
      reviewer: request.reviewer,
      mode: request.mode,
      ...(request.mode === 'spot-check' && request.sampleWeek ? { sample_week: request.sampleWeek } : {}),
      message: shown.message,
      host: shown.host,
      source: shown.source,
      ...(shown.severity ? { severity: shown.severity } : {}),
      ml_category: shown.mlCategory,
      ml_confidence: shown.mlConfidence,
      ml_model_version: shown.mlModelVersion,
      ...(shown.mlRule ? { ml_rule: shown.mlRule } : {}),
      agrees: shown.mlCategory === request.label,
    };
    await this.client.index({ index: reviewIndex, id: reviewDocumentId(line), document: review, refresh: true });
    await this.markLine(line, review);
    return { review, previous };
  }

  /** Puts back the review a label replaced, or removes the review when the line had none. */
  async restore(line: LineRef, previous: ReviewDocument | null): Promise<void> {
    const index = this.reviewIndexOf(line);
    if (previous) {
      await this.client.index({ index, id: reviewDocumentId(line), document: previous, refresh: true });
    } else {
      await this.client.delete({ index, id: reviewDocumentId(line), refresh: true }, { ignore: [404] });
    }
    await this.markLine(line, previous);
  }

  /** The label on the classified line; null fields count as absent, so the line is back in the queue. */
  private async markLine(line: LineRef, review: ReviewDocument | null): Promise<void> {
    await this.client.update({
      index: line.index,
      id: line.id,
      doc: { review_label: review?.label ?? null, reviewed_at: review?.['@timestamp'] ?? null, review_agrees: review?.agrees ?? null },
      refresh: true,
    });
  }

  /** Every review, oldest first (search_after over a unique sort: no page skips or repeats a review). */
  async *allReviews(pageSize = 1_000): AsyncGenerator<ReviewDocument> {
    let after: estypes.SortResults | undefined;
    for (;;) {
      const res = await this.client.search<ReviewDocument>({
        index: this.reviewsPattern,
        size: pageSize,
        sort: [{ '@timestamp': 'asc' }, { line_index: 'asc' }, { line_id: 'asc' }],
        ...(after ? { search_after: after } : {}),
        ...LENIENT,
      });
      const hits = res.hits.hits;
      for (const h of hits) yield h._source!;
      if (hits.length < pageSize) return;
      after = hits[hits.length - 1]!.sort;
    }
  }

  /** Pending, the spot-check agreement of the last days (logReview.gaugeWindowDays) and labels per class and mode. */
  async gauges(now = new Date()): Promise<GaugeSample[]> {
    const since = new Date(now.getTime() - logReview.gaugeWindowDays * 86_400_000).toISOString();
    const res = await this.client.search({
      index: this.reviewsPattern,
      size: 0,
      query: { range: { '@timestamp': { gte: since } } },
      aggs: {
        modes: { terms: { field: 'mode', size: 10 }, aggs: { labels: { terms: { field: 'label', size: 10 } }, agreed: { filter: { term: { agrees: true } } } } },
      },
      ...LENIENT,
    });
    type ModeBucket = estypes.AggregationsStringTermsBucket & { labels: estypes.AggregationsStringTermsAggregate; agreed: estypes.AggregationsFilterAggregate };
    const modes = ((res.aggregations?.modes as estypes.AggregationsStringTermsAggregate | undefined)?.buckets ?? []) as ModeBucket[];
    const perMode = new Map(modes.map((m) => [str(m.key), m]));
    const spot = perMode.get('spot-check');
    const samples: GaugeSample[] = [
      sample(metrics.logsReviewPending, {}, await this.pending()),
      sample(metrics.logsReviewAgreement, {}, agreementRate(spot?.agreed.doc_count ?? 0, spot?.doc_count ?? 0)),
      sample(metrics.logsReviewSpotChecks, {}, spot?.doc_count ?? 0),
    ];
    for (const mode of REVIEW_MODES) {
      const labels = new Map(((perMode.get(mode)?.labels.buckets ?? []) as estypes.AggregationsStringTermsBucket[]).map((b) => [str(b.key), b.doc_count]));
      for (const { label } of REVIEW_LABELS) {
        samples.push(sample(metrics.logsReviewLabels, { category: label, mode }, labels.get(label) ?? 0));
      }
    }
    return samples;
  }
}

function reviewToLine(r: ReviewDocument): ReviewLine {
  return {
    index: r.line_index,
    id: r.line_id,
    timestamp: r.line_timestamp ?? '',
    host: r.host,
    source: r.source,
    severity: r.severity ?? '',
    message: r.message,
    mlCategory: r.ml_category,
    mlConfidence: r.ml_confidence,
    mlModelVersion: r.ml_model_version,
    ...(r.ml_rule ? { mlRule: r.ml_rule } : {}),
  };
}
