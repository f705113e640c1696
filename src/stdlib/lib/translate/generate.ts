/**
 * Sequence-to-sequence generation for a MarianMT ONNX export (optimum's seq2seq layout) on
 * onnxruntime-node: one encoder pass, then batched greedy or beam-search decoding with the merged
 * decoder's key/value cache.
 *
 * Interface (see TRANSLATION.md): encoder `input_ids`/`attention_mask` int64 [B, S] →
 * `last_hidden_state` float32 [B, S, d_model]; merged decoder `input_ids` int64 [B, T],
 * `encoder_attention_mask` int64 [B, S], `encoder_hidden_states` float32 [B, S, d_model],
 * `past_key_values.{i}.{decoder,encoder}.{key,value}` float32 [B, heads, L, head_dim] and
 * `use_cache_branch` bool [1] → `logits` float32 [B, T, V] and `present.*`. Step 0 feeds the start token
 * with `use_cache_branch` false and zero-length past tensors; later steps feed the last token with the
 * cache. The encoder `present` outputs are only meaningful at step 0 (empty in the cache branch), so
 * they are kept from step 0. Without a merged decoder (`decoder_model.onnx`), every step re-runs the
 * decoder on the whole prefix.
 *
 * Decoding follows transformers' `generate`: start from `decoder_start_token_id`, log-softmax, then the
 * logits processors `NoBadWordsLogitsProcessor` (the pad id and `bad_words_ids` are never generated) and
 * `ForcedEOSTokenLogitsProcessor` (eos forced at `max_length − 1`), stop at eos or `max_length` (which
 * counts the start token). Beam search follows transformers' `BeamSearchScorer`/`BeamHypotheses`
 * (transformers ≥ 4.36, `early_stopping=False`): each step keeps the top 2·num_beams candidates of every
 * sentence; a candidate ending in eos among the first num_beams becomes a finished hypothesis scored
 * `sum_logprobs / generated_len ** length_penalty` (generated_len counts the generated tokens including
 * eos, not the start token); a sentence is done when it has num_beams hypotheses and the best running
 * score divided by `cur_len ** length_penalty` can no longer beat the worst kept one; at `max_length`
 * the running beams are added as hypotheses; the best-scoring hypothesis wins.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { MarianConfig } from './model-dir.js';

type Ort = typeof import('onnxruntime-node');

let ortPromise: Promise<Ort> | undefined;
/** The onnxruntime-node versions Weir's translate UDF is tested with (package.json peerDependencies). */
const ORT_RANGE = '^1.24.3';
/** Imports onnxruntime-node once (lazily: loading a UDF module must not load the native binding). */
export function loadOrt(): Promise<Ort> {
  ortPromise ??= import('onnxruntime-node').then(
    (m) => ((m as unknown as { default?: Ort }).default?.InferenceSession ? (m as unknown as { default: Ort }).default : m),
    (e: { code?: string; message?: string }) => {
      ortPromise = undefined;
      if (e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes("'onnxruntime-node'")) {
        throw new Error(`the translate UDF needs the package onnxruntime-node, which is not installed: run ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node@'${ORT_RANGE}' (the CPU runtime ships in the package; the variable skips its optional GPU download)`, { cause: e });
      }
      throw e;
    },
  );
  return ortPromise;
}

/** Generation options. */
export interface GenerateOptions {
  /** 1 = greedy. */
  readonly numBeams: number;
  /** Maximum decoder length counting the start token. */
  readonly maxLength: number;
  readonly lengthPenalty?: number;
}

/** The encoder and decoder sessions of one model. */
export class MarianOnnx {
  private constructor(
    private readonly ort: Ort,
    readonly encoder: InferenceSession,
    readonly decoder: InferenceSession,
    readonly merged: boolean,
    readonly config: MarianConfig,
  ) {}

  /**
   * Opens the ONNX sessions (CPU execution provider).
   * @param merged whether `decoderPath` is the merged decoder (`use_cache_branch` + past inputs)
   * @throws Error naming the file when onnxruntime cannot load it, or when the graph lacks the expected inputs
   */
  static async load(encoderPath: string, decoderPath: string, merged: boolean, config: MarianConfig, threads?: number): Promise<MarianOnnx> {
    const ort = await loadOrt();
    const opts: InferenceSession.SessionOptions = { executionProviders: ['cpu'], graphOptimizationLevel: 'all', logSeverityLevel: 3, ...(threads ? { intraOpNumThreads: threads } : {}) };
    const open = async (p: string) => {
      try {
        return await ort.InferenceSession.create(p, opts);
      } catch (e) {
        throw new Error(`onnxruntime cannot load ${p}: ${(e as Error).message}`);
      }
    };
    const encoder = await open(encoderPath);
    const decoder = await open(decoderPath);
    const check = (s: InferenceSession, file: string, names: string[]) => {
      const missing = names.filter((n) => !s.inputNames.includes(n));
      if (missing.length) throw new Error(`${file} lacks input(s) ${missing.join(', ')} (has ${s.inputNames.join(', ')}): not an optimum seq2seq export of a Marian model`);
    };
    check(encoder, encoderPath, ['input_ids', 'attention_mask']);
    check(decoder, decoderPath, ['input_ids', 'encoder_attention_mask', 'encoder_hidden_states', ...(merged ? ['use_cache_branch', 'past_key_values.0.decoder.key'] : [])]);
    return new MarianOnnx(ort, encoder, decoder, merged, config);
  }

  /** Releases the sessions. */
  async release(): Promise<void> {
    await this.encoder.release();
    await this.decoder.release();
  }

  private int64(values: number[], dims: number[]): Tensor {
    return new this.ort.Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), dims);
  }

  /**
   * Generates target ids for a batch of source id sequences (each ending in eos; right-padded with the
   * pad id and masked).
   * @returns per input, the generated ids without the start token and without the final eos
   */
  async generate(sources: readonly (readonly number[])[], opts: GenerateOptions): Promise<number[][]> {
    if (sources.length === 0) return [];
    const c = this.config;
    const B = sources.length;
    const S = Math.max(...sources.map((s) => s.length));
    const ids: number[] = [];
    const mask: number[] = [];
    for (const s of sources) {
      for (let j = 0; j < S; j++) {
        ids.push(j < s.length ? s[j] : c.padTokenId);
        mask.push(j < s.length ? 1 : 0);
      }
    }
    const maskT = this.int64(mask, [B, S]);
    const enc = await this.encoder.run({ input_ids: this.int64(ids, [B, S]), attention_mask: maskT });
    const hidden = enc.last_hidden_state ?? enc[this.encoder.outputNames[0]];
    const K = Math.max(1, Math.floor(opts.numBeams));
    const maxLength = Math.max(2, Math.floor(opts.maxLength));
    if (K === 1) return this.greedy(B, hidden, maskT, maxLength);
    return this.beam(B, K, hidden, maskT, maxLength, opts.lengthPenalty ?? c.lengthPenalty);
  }

  /** Rows `rows` of a tensor whose first dimension is the batch. */
  private gatherRows(t: Tensor, rows: readonly number[]): Tensor {
    const dims = t.dims as number[];
    const rowSize = dims.slice(1).reduce((a, b) => a * b, 1);
    const src = t.data as Float32Array | BigInt64Array;
    const out = new (src.constructor as Float32ArrayConstructor | BigInt64ArrayConstructor)(rows.length * rowSize) as Float32Array | BigInt64Array;
    rows.forEach((r, i) => (out as Float32Array).set((src as Float32Array).subarray(r * rowSize, (r + 1) * rowSize), i * rowSize));
    return new this.ort.Tensor(t.type as 'float32', out as Float32Array, [rows.length, ...dims.slice(1)]);
  }

  /**
   * One decoder step for the active rows.
   * @returns last-position logits per row (float32, length V each) and the new decoder cache
   */
  private async step(st: DecodeState): Promise<Float32Array[]> {
    const c = this.config;
    const N = st.tokens.length;
    const feeds: Record<string, Tensor> = { encoder_attention_mask: st.mask, encoder_hidden_states: st.hidden };
    if (this.merged) {
      const first = st.decoderCache === undefined;
      feeds.input_ids = this.int64(st.tokens.map((t) => t[t.length - 1]), [N, 1]);
      feeds.use_cache_branch = new this.ort.Tensor('bool', Uint8Array.from([first ? 0 : 1]), [1]);
      const empty = new this.ort.Tensor('float32', new Float32Array(0), [N, c.decoderAttentionHeads, 0, c.headDim]);
      for (let i = 0; i < c.decoderLayers; i++) {
        for (const kv of ['key', 'value']) {
          feeds[`past_key_values.${i}.decoder.${kv}`] = first ? empty : st.decoderCache![`${i}.${kv}`];
          feeds[`past_key_values.${i}.encoder.${kv}`] = first ? empty : st.encoderCache![`${i}.${kv}`];
        }
      }
    } else {
      const T = st.tokens[0].length;
      feeds.input_ids = this.int64(st.tokens.flat(), [N, T]);
    }
    const out = await this.decoder.run(feeds);
    if (this.merged) {
      const first = st.decoderCache === undefined;
      const dec: Record<string, Tensor> = {};
      const encCache: Record<string, Tensor> = {};
      for (let i = 0; i < c.decoderLayers; i++) {
        for (const kv of ['key', 'value']) {
          dec[`${i}.${kv}`] = out[`present.${i}.decoder.${kv}`];
          if (first) encCache[`${i}.${kv}`] = out[`present.${i}.encoder.${kv}`];
        }
      }
      st.decoderCache = dec;
      if (first) st.encoderCache = encCache;
    }
    const logits = out.logits;
    const [, T, V] = logits.dims as number[];
    const data = logits.data as Float32Array;
    const rows: Float32Array[] = [];
    for (let r = 0; r < N; r++) rows.push(data.subarray((r * T + T - 1) * V, (r * T + T) * V));
    return rows;
  }

  /** Keeps only `rows` of the decoding state (finished rows dropped, beams reordered). */
  private select(st: DecodeState, rows: readonly number[]): void {
    const identity = rows.length === st.tokens.length && rows.every((r, i) => r === i);
    st.tokens = rows.map((r) => [...st.tokens[r]]);
    if (identity) return;
    st.hidden = this.gatherRows(st.hidden, rows);
    st.mask = this.gatherRows(st.mask, rows);
    for (const cache of [st.decoderCache, st.encoderCache]) {
      if (!cache) continue;
      for (const k of Object.keys(cache)) cache[k] = this.gatherRows(cache[k], rows);
    }
  }

  /** Reused log-probability buffer (one vocabulary row): no 0.5 MB allocation per row and step. */
  private scratch = new Float64Array(0);

  /**
   * Log-probabilities after the logits processors (bad words, forced eos), as transformers applies them,
   * written into a buffer reused across rows and steps (valid until the next call).
   */
  private logProbs(logits: Float32Array, curLen: number, maxLength: number): Float64Array {
    const c = this.config;
    const V = logits.length;
    if (this.scratch.length !== V) this.scratch = new Float64Array(V);
    const lp = logSoftmaxInto(logits, this.scratch);
    for (const b of c.badTokenIds) if (b >= 0 && b < V) lp[b] = -Infinity;
    if (c.forcedEosTokenId !== undefined && curLen === maxLength - 1) {
      lp.fill(-Infinity);
      lp[c.forcedEosTokenId] = 0;
    }
    return c.renormalizeLogits ? logSoftmaxInto(lp, lp) : lp;
  }

  /** Per vocabulary id: 1 when the id is never generated (`badTokenIds`). */
  private banned = new Uint8Array(0);

  /**
   * The greedy choice: the argmax of {@link logProbs}, found on the raw logits. Log-softmax subtracts one
   * constant from every logit (and renormalizing does again), which keeps their order, so the argmax
   * (first index among equals) is the same without computing 65,001 exponentials per row.
   */
  private greedyPick(logits: Float32Array, curLen: number, maxLength: number): number {
    const c = this.config;
    const V = logits.length;
    if (c.forcedEosTokenId !== undefined && curLen === maxLength - 1) return c.forcedEosTokenId;
    if (this.banned.length !== V) {
      this.banned = new Uint8Array(V);
      for (const b of c.badTokenIds) if (b >= 0 && b < V) this.banned[b] = 1;
    }
    const banned = this.banned;
    let best = 0;
    let bestValue = banned[0] ? -Infinity : logits[0];
    for (let v = 1; v < V; v++) {
      if (!banned[v] && logits[v] > bestValue) {
        best = v;
        bestValue = logits[v];
      }
    }
    return best;
  }

  private async greedy(B: number, hidden: Tensor, mask: Tensor, maxLength: number): Promise<number[][]> {
    const c = this.config;
    const st: DecodeState = { tokens: Array.from({ length: B }, () => [c.decoderStartTokenId]), hidden, mask };
    let owners = Array.from({ length: B }, (_, i) => i);
    const result: number[][] = Array.from({ length: B }, () => []);
    while (owners.length > 0) {
      const curLen = st.tokens[0].length;
      const logits = await this.step(st);
      const keep: number[] = [];
      logits.forEach((row, r) => {
        const best = this.greedyPick(row, curLen, maxLength);
        st.tokens[r].push(best);
        if (best === c.eosTokenId || curLen + 1 >= maxLength) {
          const out = st.tokens[r].slice(1);
          if (out[out.length - 1] === c.eosTokenId) out.pop();
          result[owners[r]] = out;
        } else keep.push(r);
      });
      owners = keep.map((r) => owners[r]);
      if (owners.length) this.select(st, keep);
    }
    return result;
  }

  private async beam(B: number, K: number, hidden: Tensor, mask: Tensor, maxLength: number, lengthPenalty: number): Promise<number[][]> {
    const c = this.config;
    const expand = Array.from({ length: B * K }, (_, i) => Math.floor(i / K));
    const st: DecodeState = { tokens: [], hidden, mask };
    st.tokens = Array.from({ length: B }, () => [c.decoderStartTokenId]);
    this.select(st, expand); // rows b*K .. b*K+K-1 belong to sentence b
    let scores: number[] = Array.from({ length: B * K }, (_, i) => (i % K === 0 ? 0 : -1e9));
    let items = Array.from({ length: B }, (_, i) => i); // sentence of each active group of K rows
    const hyps: Hypotheses[] = Array.from({ length: B }, () => new Hypotheses(K, lengthPenalty));
    while (items.length > 0) {
      const curLen = st.tokens[0].length; // tokens so far, start token included
      const logits = await this.step(st);
      const V = logits[0].length;
      const nextRows: number[] = [];
      const nextTokens: number[] = [];
      const nextScores: number[] = [];
      const nextItems: number[] = [];
      items.forEach((item, g) => {
        // top 2K of (beam score + log p) over K × V
        const top = new TopN(2 * K);
        for (let k = 0; k < K; k++) {
          const row = g * K + k;
          const base = scores[row];
          const lp = this.logProbs(logits[row], curLen, maxLength);
          // top.push ignores s <= top.floor: checking here first skips a call per vocabulary entry
          for (let v = 0; v < V; v++) {
            const s = base + lp[v];
            if (s > top.floor) top.push(s, row, v);
          }
        }
        const cands = top.sorted();
        const chosen: [number, number, number][] = [];
        for (let rank = 0; rank < cands.length && chosen.length < K; rank++) {
          const [s, row, v] = cands[rank];
          if (v === c.eosTokenId) {
            if (rank >= K) continue;
            hyps[item].add(st.tokens[row].slice(1), s, curLen);
          } else chosen.push([s, row, v]);
        }
        const bestNext = cands.length ? cands[0][0] : -Infinity;
        if (hyps[item].isDone(bestNext, curLen) || chosen.length === 0) return;
        if (curLen + 1 >= maxLength) {
          // finalize(): the running beams become hypotheses (generated_len = tokens after the start token)
          for (const [s, row, v] of chosen) hyps[item].add([...st.tokens[row].slice(1), v], s, curLen);
          return;
        }
        while (chosen.length < K) chosen.push([-1e9, chosen[0][1], chosen[0][2]]);
        for (const [s, row, v] of chosen) {
          nextRows.push(row);
          nextTokens.push(v);
          nextScores.push(s);
        }
        nextItems.push(item);
      });
      items = nextItems;
      if (items.length === 0) break;
      this.select(st, nextRows);
      st.tokens.forEach((t, i) => t.push(nextTokens[i]));
      scores = nextScores;
    }
    return hyps.map((h) => h.best());
  }
}

/** Per-run decoding state: active rows' tokens (start token first) and their tensors. */
interface DecodeState {
  tokens: number[][];
  hidden: Tensor;
  mask: Tensor;
  decoderCache?: Record<string, Tensor>;
  encoderCache?: Record<string, Tensor>;
}

/** Log-softmax in float64. */
export function logSoftmax(x: ArrayLike<number>): Float64Array {
  return logSoftmaxInto(x, new Float64Array(x.length));
}

/** Log-softmax in float64 written into `out` (which may be `x` itself); returns `out`. */
function logSoftmaxInto(x: ArrayLike<number>, out: Float64Array): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) if (x[i] > max) max = x[i];
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.exp(x[i] - max);
  const lse = max + Math.log(sum);
  for (let i = 0; i < x.length; i++) out[i] = x[i] - lse;
  return out;
}

/** The n best (score, row, token) triples seen (a min-heap of size n). */
class TopN {
  private readonly heap: [number, number, number][] = [];
  /** Scores at or below this are not kept: −∞ until full, then the smallest kept score. */
  floor = -Infinity;
  constructor(private readonly n: number) {}
  push(s: number, row: number, v: number): void {
    this.pushHeap(s, row, v);
    if (this.heap.length === this.n) this.floor = this.heap[0][0];
  }
  private pushHeap(s: number, row: number, v: number): void {
    const h = this.heap;
    if (h.length === this.n && s <= h[0][0]) return;
    if (h.length < this.n) {
      h.push([s, row, v]);
      let i = h.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (h[p][0] <= h[i][0]) break;
        [h[p], h[i]] = [h[i], h[p]];
        i = p;
      }
      return;
    }
    h[0] = [s, row, v];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l][0] < h[m][0]) m = l;
      if (r < h.length && h[r][0] < h[m][0]) m = r;
      if (m === i) break;
      [h[m], h[i]] = [h[i], h[m]];
      i = m;
    }
  }
  /** Best first; ties keep (row, token) order, like a stable top-k. */
  sorted(): [number, number, number][] {
    return [...this.heap].sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
  }
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
