/**
 * The index templates of docs/contracts.md as data: one composable template per index family, explicit mappings,
 * daily indices (`<prefix>-YYYY.MM.DD`, UTC). Pure: `setup.ts` installs them.
 *
 * Why daily indices with plain field types: the minimal Elasticsearch we test against (and clusters without the
 * optional modules) has no ILM, no mapper-extras and no data-streams module — its core still creates a data stream
 * when a data-stream template matches, but nothing can delete or manage one there. Daily indices work everywhere,
 * and retention is a delete of whole indices (see `deleteIndicesOlderThan`).
 */
import type { estypes } from '@elastic/elasticsearch';
import { DEFAULT_INDEX_PREFIXES, FAMILIES, type IndexFamily, type IndexPrefixes } from '@aiops/contracts';

export { DEFAULT_INDEX_PREFIXES, type IndexFamily, type IndexPrefixes };

/**
 * Above the built-in `logs-*-*` data-stream template of a stock Elasticsearch 8 (priority 100), which
 * `logs-classified-2026.11.24` matches: with ours lower, that name would become a data stream, where our bulk
 * `index` operations are refused ("only write ops with an op_type of create are allowed in data streams").
 * All our templates share this one priority on purpose: Elasticsearch then rejects any two of them that overlap
 * (instead of silently letting one win), and `findTemplateConflicts` says so before the PUT.
 */
export const TEMPLATE_PRIORITY = 200;
/**
 * A catch-all family (every other Zeek log path) sits between the built-ins and ours: any family of its own
 * (zeek-conn …) outranks it, it outranks the built-ins, and it overlaps none of ours at one priority.
 */
export const CATCH_ALL_PRIORITY = 150;
/** Built-in templates of a stock Elasticsearch 8 sit at priority ≤ 100. */
export const BUILT_IN_MAX_PRIORITY = 100;
/** Bump when a mapping or setting changes; `setup` then reports the template as updated. */
export const TEMPLATE_VERSION = 1;
export const MANAGED_BY = 'aiops';

export interface TemplateMeta {
  managed_by: typeof MANAGED_BY;
  version: number;
  family: IndexFamily;
  description: string;
}

export interface IndexTemplateBody {
  index_patterns: string[];
  priority: number;
  version: number;
  _meta: TemplateMeta;
  template: {
    settings: Record<string, string | number>;
    mappings: estypes.MappingTypeMapping;
  };
}

export interface IndexTemplateDefinition {
  /** `aiops-<prefix>`: never the bare prefix, since a stock cluster already has a template named `logs`. */
  name: string;
  family: IndexFamily;
  prefix: string;
  body: IndexTemplateBody;
}

export interface TemplateOptions {
  prefixes?: Partial<IndexPrefixes>;
  numberOfShards: number;
  numberOfReplicas: number;
  /** ILM policy to attach (`index.lifecycle.name`); only when the cluster has ILM, it is an unknown setting otherwise. */
  lifecyclePolicy?: string;
}

/**
 * The pattern of a family's daily indices: `<prefix>-2*`. Index patterns only know `*`; the `2` (years 2000–2999)
 * is what keeps `logs-2*` off `logs-classified-2026.11.24` and off data streams named `logs-<dataset>-<namespace>`,
 * so no family's pattern catches another family whose prefix extends it.
 */
export function dailyIndexPattern(prefix: string): string {
  return `${prefix}-2*`;
}

/** A catch-all family's pattern, `<prefix>-*-2*`: `zeek-files-2026.11.24`, `zeek-known_hosts-2026.11.24`, … */
export function catchAllIndexPattern(prefix: string): string {
  return `${prefix}-*-2*`;
}

/** `<prefix>-YYYY.MM.DD` of the UTC day of `date`, e.g. `logs-classified-2026.11.24`. */
export function dailyIndexName(prefix: string, date: Date | string | number): string {
  const d = date instanceof Date ? date : new Date(date);
  if (Number.isNaN(d.getTime())) throw new Error(`dailyIndexName(${prefix}): not a date: ${String(date)}`);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${prefix}-${d.getUTCFullYear()}.${pad(d.getUTCMonth() + 1)}.${pad(d.getUTCDate())}`;
}

export function resolvePrefixes(prefixes: Partial<IndexPrefixes> = {}): IndexPrefixes {
  const out = { ...DEFAULT_INDEX_PREFIXES, ...prefixes };
  for (const [family, prefix] of Object.entries(out)) {
    // Elasticsearch index names: lowercase, no wildcard, no separators it would read as several names.
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(prefix)) throw new Error(`index prefix for ${family} is not a valid index name start: "${prefix}"`);
  }
  return out;
}

/** The index prefixes a configuration selects: the contract's names behind `elasticsearch.indexNamePrefix`. */
export function configuredPrefixes(es: { indexNamePrefix: string }): IndexPrefixes {
  return resolvePrefixes(
    Object.fromEntries(Object.entries(DEFAULT_INDEX_PREFIXES).map(([family, prefix]) => [family, es.indexNamePrefix + prefix])),
  );
}

export const INDEX_FAMILIES = Object.keys(FAMILIES) as IndexFamily[];

export function templateName(prefix: string): string {
  return `aiops-${prefix}`;
}

/** Every template of the contract, in a stable order. */
export function buildIndexTemplates(options: TemplateOptions): IndexTemplateDefinition[] {
  const prefixes = resolvePrefixes(options.prefixes);
  return INDEX_FAMILIES.map((family) => {
    const spec = FAMILIES[family];
    const prefix = prefixes[family];
    const settings: Record<string, string | number> = {
      number_of_shards: options.numberOfShards,
      number_of_replicas: options.numberOfReplicas,
    };
    if (options.lifecyclePolicy) settings['index.lifecycle.name'] = options.lifecyclePolicy;
    const mappings: estypes.MappingTypeMapping = { dynamic: spec.dynamic, properties: structuredClone(spec.properties) as Record<string, estypes.MappingProperty> };
    if (spec.dynamicTemplates) {
      mappings.dynamic_templates = structuredClone(spec.dynamicTemplates);
      // a string that looks like a date stays a keyword too: one odd value must not fix a field's type
      mappings.date_detection = false;
    }
    return {
      name: spec.catchAll ? `${templateName(prefix)}-other` : templateName(prefix),
      family,
      prefix,
      body: {
        index_patterns: [spec.catchAll ? catchAllIndexPattern(prefix) : dailyIndexPattern(prefix)],
        priority: spec.catchAll ? CATCH_ALL_PRIORITY : TEMPLATE_PRIORITY,
        version: TEMPLATE_VERSION,
        _meta: { managed_by: MANAGED_BY, version: TEMPLATE_VERSION, family, description: spec.description },
        template: {
          settings,
          mappings,
        },
      },
    };
  });
}
