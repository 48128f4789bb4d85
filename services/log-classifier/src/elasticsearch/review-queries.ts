/** The Elasticsearch side of the review loop: what waits for a person, and a random spot-check sample. */
import type { Client } from '@aiops/common';
import type { estypes } from '@elastic/elasticsearch';

/** Flagged by the model and not yet labeled by a person. */
export const AWAITING_REVIEW: estypes.QueryDslQueryContainer = {
  bool: { filter: [{ term: { ml_review: true } }], must_not: [{ exists: { field: 'review_label' } }] },
};

export async function reviewPending(client: Client, index: string): Promise<number> {
  const res = await client.count({ index, query: AWAITING_REVIEW, ignore_unavailable: true, allow_no_indices: true });
  return res.count;
}

export interface ClassifiedHit {
  index: string;
  id: string;
  source: Record<string, unknown>;
}

const toHits = (res: estypes.SearchResponse<Record<string, unknown>>): ClassifiedHit[] =>
  res.hits.hits.map((h) => ({ index: h._index, id: h._id!, source: h._source ?? {} }));

/** Lines awaiting review, least confident first (those tell the model most). */
export async function linesAwaitingReview(client: Client, index: string, limit: number): Promise<ClassifiedHit[]> {
  const res = await client.search<Record<string, unknown>>({
    index,
    size: limit,
    query: AWAITING_REVIEW,
    sort: [{ ml_confidence: 'asc' }, { '@timestamp': 'desc' }],
    ignore_unavailable: true,
    allow_no_indices: true,
  });
  return toHits(res);
}

/** The weekly spot check: confident, unreviewed lines drawn at random (a seed makes the draw repeatable). */
export async function confidentSample(client: Client, index: string, size: number, seed: number): Promise<ClassifiedHit[]> {
  if (size <= 0) return [];
  const res = await client.search<Record<string, unknown>>({
    index,
    size,
    query: {
      function_score: {
        query: { bool: { filter: [{ term: { ml_review: false } }], must_not: [{ exists: { field: 'review_label' } }] } },
        functions: [{ random_score: { seed, field: '_seq_no' } }],
        boost_mode: 'replace',
      },
    },
    ignore_unavailable: true,
    allow_no_indices: true,
  });
  return toHits(res);
}
