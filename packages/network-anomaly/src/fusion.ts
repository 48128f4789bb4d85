/**
 * Host-boosted ranking: the connection's own rank, lifted by how far its host window stands above the host
 * detector's training windows. Pure.
 *
 *   fused = rank(connection score) + weight · clamp((h − from) / (1 − from), 0, 1)
 *
 * h is the connection's host score (host-detection.ts connectionHostScores: its windows' score, halved when the
 * connection does not show the change), `from` a quantile of the training windows' scores; the scorer uses the host
 * alert threshold (pipeline.ts), so only the connections of alerted windows that show the change are lifted. A connection of a host window no more unusual than the training windows' `from` quantile keeps
 * exactly its connection rank, so a busy benign host (high host score on every window, as on wrccdc) does not lift
 * its connections; a window beyond the training range (the bot, the victim of a scan wave) lifts the connections
 * that show its change by up to `weight` (1 = to the top). Unlike rank-mean, host evidence never lowers a connection.
 * `from` and `weight` were chosen by nested leave-one-capture-out (docs/evaluation/network.md, "Fusion":
 * bench/anomaly-eval/host-select.ts).
 */
import { normalisedRanks } from './host-detection.ts';

/** `from` is capped below 1 (a threshold of 1 would divide by 0; a window cannot score above 1 anyway). */
export const MAX_BOOST_FROM = 0.999;

export interface BoostOptions {
  /** Host score from which the boost starts (a training-window score quantile). */
  from: number;
  /** Largest lift, in connection-rank units (0 = connection ranks only). */
  weight: number;
}

export function boostedScores(connection: ArrayLike<number>, host: ArrayLike<number>, options: BoostOptions): Float64Array {
  if (connection.length !== host.length) throw new Error(`boostedScores: ${connection.length} connection scores vs ${host.length} host scores`);
  if (!(options.from >= 0 && options.from < 1)) throw new Error(`boostedScores: from: expected a score in [0, 1), got ${options.from}`);
  if (!(options.weight >= 0)) throw new Error(`boostedScores: weight: expected ≥ 0, got ${options.weight}`);
  const ranks = normalisedRanks(connection);
  const span = 1 - options.from;
  return ranks.map((r, i) => r + options.weight * Math.min(1, Math.max(0, (host[i]! - options.from) / span)));
}
