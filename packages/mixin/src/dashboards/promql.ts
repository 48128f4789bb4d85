/** Small PromQL helpers for dashboard queries. */

/**
 * Adds a label matcher to every `node_*` selector of an expression: `rate(node_x{mode="idle"}[5m])` →
 * `rate(node_x{mode="idle",instance=~"$instance"}[5m])`, `node_y` → `node_y{instance=~"$instance"}`.
 */
function withMatcher(expression: string, matcher: string): string {
  return expression.replace(/\b(node_[a-zA-Z0-9_]+)(\{([^}]*)\})?/g, (_m, name: string, _braces: string | undefined, inner: string | undefined) =>
    inner ? `${name}{${inner},${matcher}}` : `${name}{${matcher}}`,
  );
}

/** `<recorded>{m} or <expression with m>`: the recorded series where the rule ran, the expression before (or for backfills). */
export function recordedOr(series: { recorded: string; expression: string }, matcher: string): string {
  return `${series.recorded}{${matcher}} or ${withMatcher(series.expression, matcher)}`;
}
