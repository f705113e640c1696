/**
 * "Did you mean ...?": the closest of a set of names to a misspelt one, by Levenshtein distance
 * (fastest-levenshtein).
 */
import { distance } from 'fastest-levenshtein';

/** The closest candidate by edit distance (≤ max(2, 40% of the length)), or undefined. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length * 0.4)) ? best : undefined;
}
