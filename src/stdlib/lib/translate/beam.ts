/**
 * The per-step arithmetic of decoding on rows of logits, in tight loops over the Float32Array
 * onnxruntime returns: the greedy argmax, a row's top-n tokens (all beam search needs from a row besides
 * its log-sum-exp), the choice of a sentence's next beam candidates, and transformers' finished-hypotheses
 * bookkeeping (`BeamHypotheses`).
 *
 * Beam search ranks `score(beam) + log p(v)` with log p(v) = logit(v) − logsumexp(row), so within a row
 * the order of the raw logits is the order of the candidates: the 2·num_beams best candidates of a
 * sentence are among the 2·num_beams best raw logits of each of its rows, and only those few need the
 * row's log-sum-exp subtracted. The log-sum-exps of all rows of a step come from onnxruntime
 * ({@link logSumExpModel}: the logits cast to float64, then ReduceLogSumExp, on the session's threads)
 * instead of 65,001 `Math.exp` calls per row in JavaScript; the result agrees with the float64
 * {@link logSoftmax} to a few units in the last place.
 */
import { DOUBLE, FLOAT, graph, modelProto, node, valueInfo } from './onnx-proto.js';

/**
 * An ONNX model computing the log-sum-exp of every row: input `logits` float32 [rows, vocabulary] →
 * output `lse` float64 [rows] = log Σ_v exp(logits[r, v]), evaluated in float64 (Cast, then
 * ReduceLogSumExp, which subtracts the row maximum before exponentiating).
 */
export function logSumExpModel(): Uint8Array {
  return modelProto('weir-translate-logsumexp', graph('row_logsumexp', [
    node('Cast', ['logits'], ['logits64'], [{ name: 'to', i: DOUBLE }]),
    node('ReduceLogSumExp', ['logits64'], ['lse'], [{ name: 'axes', ints: [1] }, { name: 'keepdims', i: 0 }]),
  ], [valueInfo('logits', FLOAT, ['rows', 'vocabulary'])], [valueInfo('lse', DOUBLE, ['rows'])]));
}

/** Log-softmax in float64. */
export function logSoftmax(x: ArrayLike<number>): Float64Array {
  return logSoftmaxInto(x, new Float64Array(x.length));
}

/** Log-softmax in float64 written into `out` (which may be `x` itself); returns `out`. */
export function logSoftmaxInto(x: ArrayLike<number>, out: Float64Array): Float64Array {
  const lse = logSumExp(x, maxOf(x));
  for (let i = 0; i < x.length; i++) out[i] = x[i] - lse;
  return out;
}

/** The largest entry (−∞ for an empty or all-NaN row). */
function maxOf(x: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) if (x[i] > max) max = x[i];
  return max;
}

/** `max + log Σ exp(x − max)` (summed in index order), given the row's maximum `max`. */
function logSumExp(x: ArrayLike<number>, max: number): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.exp(x[i] - max);
  return max + Math.log(sum);
}

/**
 * The argmax of a row over the ids not banned (`banned[v]` = 1), the first index among equal values;
 * 0 when every entry is banned or −∞ (as a scan starting at index 0 would answer).
 */
export function argmaxAllowed(x: Float32Array, banned: Uint8Array): number {
  const V = x.length;
  let best = 0;
  let bestValue = banned[0] ? -Infinity : x[0];
  for (let v = 1; v < V; v++) {
    if (x[v] > bestValue && !banned[v]) {
      best = v;
      bestValue = x[v];
    }
  }
  return best;
}

/**
 * A row's `n` best allowed entries, into reused buffers: `values`/`ids` hold `count` entries, best
 * first; equal values keep index order (a stable top-n).
 */
export class RowTop {
  readonly values: Float64Array;
  readonly ids: Int32Array;
  count = 0;
  constructor(readonly n: number) {
    this.values = new Float64Array(n);
    this.ids = new Int32Array(n);
  }

  /** Scans a row for the top n of the entries with `banned[v]` = 0 (−∞ and NaN entries are never kept). */
  scan(x: ArrayLike<number>, banned: Uint8Array): this {
    const n = this.n;
    const values = this.values;
    const ids = this.ids;
    let count = 0;
    let floor = -Infinity;
    const V = x.length;
    for (let v = 0; v < V; v++) {
      const xv = x[v];
      if (xv > floor && !banned[v]) {
        // insert after the entries >= xv (stable), dropping the last one when full
        let j = count < n ? count++ : n - 1;
        while (j > 0 && values[j - 1] < xv) {
          values[j] = values[j - 1];
          ids[j] = ids[j - 1];
          j--;
        }
        values[j] = xv;
        ids[j] = v;
        if (count === n) floor = values[n - 1];
      }
    }
    this.count = count;
    return this;
  }
}

/** One beam candidate: summed log-probability, beam row and token. */
export type Candidate = [score: number, row: number, token: number];

/** Candidates best first; equal scores in (row, token) order, like a stable top-k over rows × vocabulary. */
export function sortCandidates(c: Candidate[]): Candidate[] {
  return c.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
}

/** Finished hypotheses of one sentence (transformers' `BeamHypotheses`). */
export class Hypotheses {
  private readonly beams: { score: number; tokens: number[] }[] = [];
  private worst = 1e9;
  constructor(private readonly numBeams: number, private readonly lengthPenalty: number) {}

  /** Adds a hypothesis (tokens without start and eos) with its summed log-probability. */
  add(tokens: number[], sumLogprobs: number, generatedLen: number): void {
    const score = sumLogprobs / generatedLen ** this.lengthPenalty;
    if (this.beams.length < this.numBeams || score > this.worst) {
      this.beams.push({ score, tokens });
      if (this.beams.length > this.numBeams) {
        let wi = 0;
        this.beams.forEach((b, i) => (b.score < this.beams[wi].score ? (wi = i) : 0));
        this.beams.splice(wi, 1);
        this.worst = Math.min(...this.beams.map((b) => b.score));
      } else this.worst = Math.min(score, this.worst);
    }
  }

  /** `early_stopping=False` heuristic: the best running beam can't beat the worst kept hypothesis. */
  isDone(bestSumLogprobs: number, curLen: number): boolean {
    if (this.beams.length < this.numBeams) return false;
    return this.worst >= bestSumLogprobs / curLen ** this.lengthPenalty;
  }

  /** The best hypothesis' tokens (empty when none). */
  best(): number[] {
    let b: { score: number; tokens: number[] } | undefined;
    for (const h of this.beams) if (!b || h.score > b.score) b = h;
    return b?.tokens ?? [];
  }
}
