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
 *
 * Work per step outside the decoder run (see beam.ts): greedy takes the argmax of the raw logits;
 * beam search gets every row's log-sum-exp from a small onnxruntime graph and scans each row once for
 * its 2·num_beams best logits. The first step runs one row per sentence (its beams are still identical)
 * and the first selection expands them to num_beams rows. Reordering beams copies only the
 * self-attention cache; the encoder hidden states, mask and cross-attention cache are the same for a
 * sentence's beams and are copied only when sentences finish.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { Hypotheses, RowTop, argmaxAllowed, logSoftmax, logSoftmaxInto, logSumExpModel, sortCandidates, type Candidate } from './beam.js';
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
    /** Row log-sum-exps of beam search's logits ({@link logSumExpModel}). */
    private readonly lse: InferenceSession,
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
    // Each session has its own intra-op thread pool, whose threads by default spin after a run waiting
    // for more work: between decoder steps they take the cores that the next session's pool (the
    // log-sum-exp graph, the next step) and the JavaScript between runs need. Not spinning made decoding
    // 1.3-1.8x faster on the real-size bench, side by side on a shared 2-core machine (load ~9), with
    // identical outputs.
    const opts: InferenceSession.SessionOptions = {
      executionProviders: ['cpu'], graphOptimizationLevel: 'all', logSeverityLevel: 3, ...(threads ? { intraOpNumThreads: threads } : {}),
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    };
    const open = async (p: string | Uint8Array, label = String(p)) => {
      try {
        return typeof p === 'string' ? await ort.InferenceSession.create(p, opts) : await ort.InferenceSession.create(p, opts);
      } catch (e) {
        throw new Error(`onnxruntime cannot load ${label}: ${(e as Error).message}`);
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
    const lse = await open(logSumExpModel(), "Weir's log-sum-exp graph (beam search)");
    return new MarianOnnx(ort, encoder, decoder, lse, merged, config);
  }

  /** Releases the sessions. */
  async release(): Promise<void> {
    await this.encoder.release();
    await this.decoder.release();
    await this.lse.release();
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

  /** `use_cache_branch` false and true. */
  private branch?: [Tensor, Tensor];

  /**
   * One decoder step for the active rows.
   * @returns the last-position logits of the rows, contiguous [rows, V] (`data`), and per row (views of `data`)
   */
  private async step(st: DecodeState): Promise<StepLogits> {
    const c = this.config;
    const N = st.tokens.length;
    const feeds: Record<string, Tensor> = { encoder_attention_mask: st.mask, encoder_hidden_states: st.hidden };
    if (this.merged) {
      const first = st.decoderCache === undefined;
      feeds.input_ids = this.int64(st.tokens.map((t) => t[t.length - 1]), [N, 1]);
      this.branch ??= [new this.ort.Tensor('bool', Uint8Array.of(0), [1]), new this.ort.Tensor('bool', Uint8Array.of(1), [1])];
      feeds.use_cache_branch = this.branch[first ? 0 : 1];
      const empty = first ? new this.ort.Tensor('float32', new Float32Array(0), [N, c.decoderAttentionHeads, 0, c.headDim]) : undefined;
      for (let i = 0; i < c.decoderLayers; i++) {
        for (const kv of ['key', 'value']) {
          feeds[`past_key_values.${i}.decoder.${kv}`] = empty ?? st.decoderCache![`${i}.${kv}`];
          feeds[`past_key_values.${i}.encoder.${kv}`] = empty ?? st.encoderCache![`${i}.${kv}`];
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
    let data = logits.data as Float32Array;
    if (T > 1) {
      // without a cache every position comes back: keep the last one of each row
      const last = new Float32Array(N * V);
      for (let r = 0; r < N; r++) last.set(data.subarray((r * T + T - 1) * V, (r * T + T) * V), r * V);
      data = last;
    }
    const rows: Float32Array[] = [];
    for (let r = 0; r < N; r++) rows.push(data.subarray(r * V, (r + 1) * V));
    return { data, rows, V };
  }

  /** log Σ exp of every row of a step's logits, by onnxruntime ({@link logSumExpModel}). */
  private async rowLogSumExp(logits: StepLogits): Promise<Float64Array> {
    const N = logits.rows.length;
    const out = await this.lse.run({ logits: new this.ort.Tensor('float32', logits.data, [N, logits.V]) });
    return out.lse.data as Float64Array;
  }

  /**
   * Keeps rows `rows` of the decoder side of the state (tokens and self-attention cache) and, when
   * `encoderRows` is given, rows `encoderRows` of the source side (encoder hidden states, attention mask
   * and cross-attention cache); tensors are copied only when the rows change.
   */
  private select(st: DecodeState, rows: readonly number[], encoderRows?: readonly number[]): void {
    const before = st.tokens.length;
    st.tokens = rows.map((r) => [...st.tokens[r]]);
    if (st.decoderCache && !isIdentity(rows, before)) {
      for (const k of Object.keys(st.decoderCache)) st.decoderCache[k] = this.gatherRows(st.decoderCache[k], rows);
    }
    if (!encoderRows || isIdentity(encoderRows, st.hidden.dims[0])) return;
    st.hidden = this.gatherRows(st.hidden, encoderRows);
    st.mask = this.gatherRows(st.mask, encoderRows);
    if (st.encoderCache) for (const k of Object.keys(st.encoderCache)) st.encoderCache[k] = this.gatherRows(st.encoderCache[k], encoderRows);
  }

  /** Banned ids (`badTokenIds` within the vocabulary) as a lookup table and a list, per vocabulary size. */
  private bans?: { banned: Uint8Array; ids: number[] };
  private bannedFor(V: number): { banned: Uint8Array; ids: number[] } {
    if (this.bans?.banned.length !== V) {
      const ids = this.config.badTokenIds.filter((b) => b >= 0 && b < V);
      const banned = new Uint8Array(V);
      for (const b of ids) banned[b] = 1;
      this.bans = { banned, ids };
    }
    return this.bans;
  }

  /**
   * Log-probabilities after the logits processors (bad words, forced eos) with `renormalize_logits`,
   * as transformers applies them (only used when the config asks to renormalize).
   */
  private logProbs(logits: Float32Array, curLen: number, maxLength: number): Float64Array {
    const c = this.config;
    const lp = logSoftmax(logits);
    for (const b of this.bannedFor(lp.length).ids) lp[b] = -Infinity;
    if (c.forcedEosTokenId !== undefined && curLen === maxLength - 1) {
      lp.fill(-Infinity);
      lp[c.forcedEosTokenId] = 0;
    }
    return c.renormalizeLogits ? logSoftmaxInto(lp, lp) : lp;
  }

  private async greedy(B: number, hidden: Tensor, mask: Tensor, maxLength: number): Promise<number[][]> {
    const c = this.config;
    const st: DecodeState = { tokens: Array.from({ length: B }, () => [c.decoderStartTokenId]), hidden, mask };
    let owners = Array.from({ length: B }, (_, i) => i);
    const result: number[][] = Array.from({ length: B }, () => []);
    while (owners.length > 0) {
      const curLen = st.tokens[0].length;
      const logits = (await this.step(st)).rows;
      const forced = c.forcedEosTokenId !== undefined && curLen === maxLength - 1;
      const keep: number[] = [];
      logits.forEach((row, r) => {
        // the argmax of the log-probabilities is the argmax of the raw logits: log-softmax (and
        // renormalizing) subtracts one constant from the row, which keeps the order
        const best = forced ? c.forcedEosTokenId! : argmaxAllowed(row, this.bannedFor(row.length).banned);
        st.tokens[r].push(best);
        if (best === c.eosTokenId || curLen + 1 >= maxLength) {
          const out = st.tokens[r].slice(1);
          if (out[out.length - 1] === c.eosTokenId) out.pop();
          result[owners[r]] = out;
        } else keep.push(r);
      });
      owners = keep.map((r) => owners[r]);
      if (owners.length) this.select(st, keep, keep);
    }
    return result;
  }

  /**
   * A sentence's candidates for the next step from its K beam rows: per row the 2K best tokens, scored
   * `beam score + log p`, best first (at most 2K).
   * @param logits the step's logits; beam row k (k = 0 … K − 1) of the sentence is `rowOf(k)`, whose
   *   logits are row `stateRowOf(k)` of `logits` and `lse`
   * @param lse the log-sum-exp of each row of `logits` (unused when forced or renormalizing)
   */
  private candidates(K: number, logits: StepLogits, lse: Float64Array | undefined, rowOf: (k: number) => number, stateRowOf: (k: number) => number, scores: readonly number[], curLen: number, maxLength: number): Candidate[] {
    const c = this.config;
    const forced = c.forcedEosTokenId !== undefined && curLen === maxLength - 1;
    const cands: Candidate[] = [];
    this.top = this.top?.n === 2 * K ? this.top : new RowTop(2 * K);
    const top = this.top;
    for (let k = 0; k < K; k++) {
      const row = rowOf(k);
      const base = scores[row];
      const x = logits.rows[stateRowOf(k)];
      if (c.renormalizeLogits) {
        top.scan(this.logProbs(x, curLen, maxLength), this.bannedFor(x.length).banned); // banned ids are −∞ already
        for (let j = 0; j < top.count; j++) cands.push([base + top.values[j], row, top.ids[j]]);
      } else if (forced) {
        cands.push([base + 0, row, c.forcedEosTokenId!]); // every other log-probability is −∞
      } else {
        // the log-softmax of entry v is x[v] − lse: computed for the row's best 2K entries only
        const rowLse = lse![stateRowOf(k)];
        top.scan(x, this.bannedFor(x.length).banned);
        for (let j = 0; j < top.count; j++) cands.push([base + (top.values[j] - rowLse), row, top.ids[j]]);
      }
    }
    sortCandidates(cands);
    if (cands.length > 2 * K) cands.length = 2 * K;
    return cands;
  }

  /** Reused top-2K buffers of {@link candidates}. */
  private top?: RowTop;

  private async beam(B: number, K: number, hidden: Tensor, mask: Tensor, maxLength: number, lengthPenalty: number): Promise<number[][]> {
    const c = this.config;
    // The K beams of a sentence start identical (start token, same source; beams 1 … K−1 scored −1e9),
    // so the first step runs one row per sentence and its logits stand for all K beams; the rows are
    // expanded to K per sentence by the first selection.
    const st: DecodeState = { tokens: Array.from({ length: B }, () => [c.decoderStartTokenId]), hidden, mask };
    let perSentence = 1; // state rows per active sentence: 1 before the first selection, K after
    let scores: number[] = Array.from({ length: B * K }, (_, i) => (i % K === 0 ? 0 : -1e9));
    let items = Array.from({ length: B }, (_, i) => i); // sentence of each active group of K beams
    const hyps: Hypotheses[] = Array.from({ length: B }, () => new Hypotheses(K, lengthPenalty));
    while (items.length > 0) {
      const curLen = st.tokens[0].length; // tokens so far, start token included
      const logits = await this.step(st);
      const forced = c.forcedEosTokenId !== undefined && curLen === maxLength - 1;
      const lse = c.renormalizeLogits || forced ? undefined : await this.rowLogSumExp(logits);
      const stateRow = (beamRow: number) => (perSentence === 1 ? Math.floor(beamRow / K) : beamRow);
      const nextRows: number[] = []; // beam rows (g·K + k) the next step continues
      const nextTokens: number[] = [];
      const nextScores: number[] = [];
      const nextItems: number[] = [];
      const nextGroups: number[] = []; // g of each next item
      items.forEach((item, g) => {
        const cands = this.candidates(K, logits, lse, (k) => g * K + k, (k) => stateRow(g * K + k), scores, curLen, maxLength);
        const chosen: Candidate[] = [];
        for (let rank = 0; rank < cands.length && chosen.length < K; rank++) {
          const [s, row, v] = cands[rank];
          if (v === c.eosTokenId) {
            if (rank >= K) continue;
            hyps[item].add(st.tokens[stateRow(row)].slice(1), s, curLen);
          } else chosen.push([s, row, v]);
        }
        const bestNext = cands.length ? cands[0][0] : -Infinity;
        if (hyps[item].isDone(bestNext, curLen) || chosen.length === 0) return;
        if (curLen + 1 >= maxLength) {
          // finalize(): the running beams become hypotheses (generated_len = tokens after the start token)
          for (const [s, row, v] of chosen) hyps[item].add([...st.tokens[stateRow(row)].slice(1), v], s, curLen);
          return;
        }
        while (chosen.length < K) chosen.push([-1e9, chosen[0][1], chosen[0][2]]);
        for (const [s, row, v] of chosen) {
          nextRows.push(row);
          nextTokens.push(v);
          nextScores.push(s);
        }
        nextItems.push(item);
        nextGroups.push(g);
      });
      if (nextItems.length === 0) break;
      // the source side (identical for a sentence's beams) changes only when the row layout does
      const sourceRows = perSentence === 1 || nextItems.length < items.length
        ? nextGroups.flatMap((g) => Array.from({ length: K }, (_, k) => (perSentence === 1 ? g : g * K + k)))
        : undefined;
      items = nextItems;
      this.select(st, nextRows.map(stateRow), sourceRows);
      st.tokens.forEach((t, i) => t.push(nextTokens[i]));
      scores = nextScores;
      perSentence = K;
    }
    return hyps.map((h) => h.best());
  }
}

/** Whether `rows` is 0, 1, …, n − 1. */
function isIdentity(rows: readonly number[], n: number): boolean {
  return rows.length === n && rows.every((r, i) => r === i);
}

/** The last-position logits of a decoder step. */
interface StepLogits {
  /** [rows, V] float32. */
  readonly data: Float32Array;
  /** Row r of `data`. */
  readonly rows: readonly Float32Array[];
  readonly V: number;
}

/** Per-run decoding state: active rows' tokens (start token first) and their tensors. */
interface DecodeState {
  tokens: number[][];
  hidden: Tensor;
  mask: Tensor;
  decoderCache?: Record<string, Tensor>;
  encoderCache?: Record<string, Tensor>;
}
