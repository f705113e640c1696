/**
 * Calendar helpers. All generated instants lie in [2023-01-01 00:00:00, 2025-12-31 23:59:59]
 * (naive timestamps, no time zone), represented internally as whole seconds since
 * 2023-01-01 00:00:00 and formatted without locale-dependent APIs.
 */
import { type Rng, searchCumulative } from './prng.js';

/** Milliseconds of 2023-01-01T00:00:00Z. */
export const EPOCH_MS = Date.UTC(2023, 0, 1);
/** Number of days in the data window 2023-01-01..2025-12-31. */
export const N_DAYS = 1096;
/** Seconds per day. */
export const DAY = 86400;
/** Exclusive upper bound of the window, in seconds since the epoch. */
export const END_SEC = N_DAYS * DAY;

/** Format seconds since 2023-01-01 as `YYYY-MM-DD HH:MM:SS` (UTC arithmetic, no locale). */
export function fmtTs(sec: number): string {
  const s = Math.floor(sec);
  const day = Math.floor(s / 86400);
  let rem = s - day * 86400;
  const h = Math.floor(rem / 3600);
  rem -= h * 3600;
  const m = Math.floor(rem / 60);
  const x = rem - m * 60;
  return `${dayString(day)} ${TWO[h]}:${TWO[m]}:${TWO[x]}`;
}

const TWO: readonly string[] = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const DAY_CACHE: string[] = [];

/** Cached `YYYY-MM-DD` of a day index inside the window (computed via Date for others). */
function dayString(day: number): string {
  if (day >= 0 && day < N_DAYS + 400) {
    const c = DAY_CACHE[day];
    if (c !== undefined) return c;
    return (DAY_CACHE[day] = new Date(EPOCH_MS + day * 86400000).toISOString().slice(0, 10));
  }
  return new Date(EPOCH_MS + day * 86400000).toISOString().slice(0, 10);
}

/** Format a day index (0 = 2023-01-01) or seconds/86400 as `YYYY-MM-DD`. */
export function fmtDay(day: number): string {
  return dayString(Math.floor(day));
}

/** Format an arbitrary UTC calendar date as `YYYY-MM-DD`. */
export function fmtYmd(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Day of week of a day index, 0 = Sunday (2023-01-01 was a Sunday). */
export function dow(day: number): number {
  return day % 7;
}

/** Calendar month 1–12 of a day index. */
export function monthOf(day: number): number {
  return new Date(EPOCH_MS + day * 86400000).getUTCMonth() + 1;
}

/**
 * Relative commerce activity per day: linear growth (+80 % over three years), weekly pattern
 * (weekends +15 %), seasonality (November/December peaks, Black-Friday week, a Korean
 * Chuseok/Seollal bump) and a dip in February.
 *
 * @returns Float64Array of length {@link N_DAYS}.
 */
export function dayWeights(): Float64Array {
  const w = new Float64Array(N_DAYS);
  for (let d = 0; d < N_DAYS; d++) {
    const date = new Date(EPOCH_MS + d * 86400000);
    const m = date.getUTCMonth() + 1;
    const dom = date.getUTCDate();
    let x = 1 + (0.8 * d) / N_DAYS;
    const wd = date.getUTCDay();
    if (wd === 0 || wd === 6) x *= 1.15;
    if (m === 11) x *= dom >= 20 ? 1.9 : 1.25;
    if (m === 12) x *= dom <= 24 ? 1.5 : 1.1;
    if (m === 2) x *= 0.85;
    if (m === 9 && dom >= 10 && dom <= 25) x *= 1.15;
    w[d] = x;
  }
  return w;
}

/** Prefix sums of an array. */
export function cumulative(w: ArrayLike<number>): Float64Array {
  const c = new Float64Array(w.length);
  let s = 0;
  for (let i = 0; i < w.length; i++) {
    s += w[i];
    c[i] = s;
  }
  return c;
}

/** Relative traffic by hour of day (evening peak). */
export const HOUR_WEIGHTS: readonly (readonly [number, number])[] = [
  [0, 2.0], [1, 1.2], [2, 0.7], [3, 0.4], [4, 0.3], [5, 0.4], [6, 0.8], [7, 1.5], [8, 2.4], [9, 3.2], [10, 3.8], [11, 4.2],
  [12, 4.8], [13, 4.5], [14, 4.2], [15, 4.0], [16, 4.0], [17, 4.3], [18, 4.8], [19, 5.4], [20, 6.0], [21, 6.2], [22, 5.2], [23, 3.4],
];

/** Random second within a day, following {@link HOUR_WEIGHTS}. */
export function secondOfDay(rng: Rng): number {
  const h = searchCumulative(HOUR_CUM, rng.next() * HOUR_CUM[23]);
  return h * 3600 + rng.int(0, 3599);
}

const HOUR_CUM = cumulative(HOUR_WEIGHTS.map(([, w]) => w));

/**
 * Split a total into per-bucket integer counts proportional to weights using error diffusion,
 * so the counts sum exactly to `total` and the split is deterministic.
 */
export function apportion(total: number, weights: ArrayLike<number>): Int32Array {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i];
  const out = new Int32Array(weights.length);
  let acc = 0;
  let given = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += (total * weights[i]) / sum;
    const n = Math.round(acc) - given;
    out[i] = n;
    given += n;
  }
  return out;
}
