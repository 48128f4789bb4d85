/**
 * A metrics snapshot: the gauges one job run publishes under Pushgateway's grouping key job + instance.
 *
 * On disk a snapshot is JSON, which cannot hold Infinity or NaN (JSON.stringify turns them into null, which would
 * silently become 0 or a parse error later). So non-finite values are stored as the exposition-format tokens
 * "+Inf", "-Inf" and "NaN", and the schema below validates that stored form; `encodeSnapshot`/`decodeSnapshot`
 * convert between it and the in-memory form with real numbers.
 */
import { z } from 'zod';

export interface GaugeSample {
  name: string;
  help: string;
  labels: Record<string, string>;
  /** May be +Inf, -Inf or NaN (e.g. days to exhaustion = +Inf when not within the horizon). */
  value: number;
}

export interface MetricsSnapshot {
  /** Grouping key `job`. */
  job: string;
  /** Grouping key `instance` (the ML node); '' is allowed and pushed as an explicit empty value. */
  instance: string;
  /** ISO 8601. */
  createdAt: string;
  samples: GaugeSample[];
}

// https://prometheus.io/docs/concepts/data_model/#metric-names-and-labels (the classic, pre-UTF-8 rules that
// Prometheus 2.x and Pushgateway 1.5 enforce).
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isValidMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

/** Label names starting with `__` are reserved for Prometheus' internal use. */
export function isValidLabelName(name: string): boolean {
  return LABEL_NAME.test(name) && !name.startsWith('__');
}

const NON_FINITE_TOKENS = ['+Inf', '-Inf', 'NaN'] as const;
type StoredValue = number | (typeof NON_FINITE_TOKENS)[number];

const storedSampleSchema = z.strictObject({
  name: z.string().refine(isValidMetricName, 'not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)'),
  help: z.string().min(1, 'help text is required'),
  labels: z.record(z.string(), z.string()), // names checked below: zod reports a bad record key only vaguely
  value: z.union([z.number(), z.enum(NON_FINITE_TOKENS)], 'expected a number or "+Inf", "-Inf", "NaN"'),
});

const storedSnapshotSchema = z
  .strictObject({
    version: z.literal(1),
    job: z.string().min(1, 'job must not be empty (Pushgateway needs it)'),
    instance: z.string(),
    createdAt: z.iso.datetime({ offset: true }),
    samples: z.array(storedSampleSchema),
  })
  .superRefine((snap, ctx) => {
    const helpByName = new Map<string, string>();
    const seriesSeen = new Set<string>();
    snap.samples.forEach((sample, i) => {
      for (const label of Object.keys(sample.labels)) {
        if (!isValidLabelName(label)) {
          ctx.addIssue({ code: 'custom', path: ['samples', i, 'labels', label], message: 'not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, no leading __)' });
        }
      }
      const help = helpByName.get(sample.name);
      if (help === undefined) helpByName.set(sample.name, sample.help);
      else if (help !== sample.help) {
        ctx.addIssue({ code: 'custom', path: ['samples', i, 'help'], message: `differs from the help of an earlier ${sample.name} sample` });
      }
      const series = JSON.stringify([sample.name, Object.entries(sample.labels).sort()]);
      if (seriesSeen.has(series)) {
        ctx.addIssue({ code: 'custom', path: ['samples', i, 'labels'], message: `duplicate series ${sample.name} with the same labels` });
      }
      seriesSeen.add(series);
      // Pushgateway silently replaces such a label with the grouping key's value (1.5.1: a body job="other"
      // pushed to /job/x is stored as job="x", HTTP 200), so a contradicting value would vanish unnoticed.
      for (const key of ['job', 'instance'] as const) {
        const value = sample.labels[key];
        if (value !== undefined && value !== snap[key]) {
          ctx.addIssue({ code: 'custom', path: ['samples', i, 'labels', key], message: `must equal the grouping key ${key} "${snap[key]}"` });
        }
      }
    });
  });

export type StoredSnapshot = z.infer<typeof storedSnapshotSchema>;

export class SnapshotValidationError extends Error {
  constructor(
    message: string,
    /** One line per problem, each starting with the field path (e.g. `samples.3.labels.device: …`). */
    readonly issues: string[],
  ) {
    super(message);
    this.name = 'SnapshotValidationError';
  }
}

function encodeValue(value: number): StoredValue {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return value;
}

function decodeValue(value: StoredValue): number {
  if (value === 'NaN') return NaN;
  if (value === '+Inf') return Infinity;
  if (value === '-Inf') return -Infinity;
  return value;
}

/** Validates the stored (JSON) form; throws SnapshotValidationError naming every bad field. */
export function decodeSnapshot(stored: unknown, source = 'snapshot'): MetricsSnapshot {
  const result = storedSnapshotSchema.safeParse(stored);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new SnapshotValidationError(`invalid metrics snapshot ${source}: ${issues.join('; ')}`, issues);
  }
  const { job, instance, createdAt, samples } = result.data;
  return { job, instance, createdAt, samples: samples.map((s) => ({ ...s, value: decodeValue(s.value) })) };
}

/** The JSON-safe stored form (non-finite values as tokens). Does not validate; see validateSnapshot. */
export function encodeSnapshot(snapshot: MetricsSnapshot): StoredSnapshot {
  return {
    version: 1,
    job: snapshot.job,
    instance: snapshot.instance,
    createdAt: snapshot.createdAt,
    samples: snapshot.samples.map((s) => ({ name: s.name, help: s.help, labels: { ...s.labels }, value: encodeValue(s.value) })),
  };
}

/** Throws SnapshotValidationError if the snapshot would not survive a write/read round trip or a push. */
export function validateSnapshot(snapshot: MetricsSnapshot, source?: string): MetricsSnapshot {
  return decodeSnapshot(encodeSnapshot(snapshot), source);
}
