/**
 * SentencePiece in TypeScript, enough to tokenize like a MarianMT model's `source.spm`/`target.spm`:
 * reads the `ModelProto` (protobuf), normalizes text as its `NormalizerSpec` says (the precompiled
 * character map — a Darts-clone double-array trie — or built-in NFKC for `nmt_nfkc`/`nfkc` when the map
 * is absent), and segments with the Unigram language model (Viterbi over piece log-probabilities).
 *
 * Sources:
 * - T. Kudo, J. Richardson. "SentencePiece: A simple and language independent subword tokenizer and
 *   detokenizer for Neural Text Processing". EMNLP 2018 (system demonstrations). arXiv:1808.06226 —
 *   lossless tokenization with `▁` (U+2581) for whitespace, the normalizer, the model file.
 * - T. Kudo. "Subword Regularization: Improving Neural Network Translation Models with Multiple Subword
 *   Candidates". ACL 2018. arXiv:1804.10959 — the unigram language model; the best segmentation is the
 *   Viterbi path maximizing the sum of piece log-probabilities.
 * - Behavioural details follow google/sentencepiece (`normalizer.cc`: whitespace handling and the
 *   precompiled charsmap; `unigram_model.cc`: unknown-character penalty of 10 below the minimum piece
 *   score, user-defined piece scores; `sentencepiece_processor.cc`: runs of unknown pieces merged).
 */
import { bytesToString, decodeFields, fixed32ToFloat } from './protobuf.js';

/** SentencePiece piece types (`ModelProto.SentencePiece.Type`). */
export const PieceType = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5, BYTE: 6 } as const;

/** One vocabulary entry of a SentencePiece model. */
export interface SpmPiece {
  readonly piece: string;
  /** Log-probability (Unigram) or merge rank (BPE). */
  readonly score: number;
  /** One of {@link PieceType}. */
  readonly type: number;
}

/** The normalizer settings (`NormalizerSpec`), with protobuf defaults applied. */
export interface SpmNormalizerSpec {
  /** e.g. `nmt_nfkc`, `nfkc`, `identity`. */
  readonly name: string;
  /** Darts-clone trie + normalized strings; empty when absent. */
  readonly precompiledCharsmap: Uint8Array;
  readonly addDummyPrefix: boolean;
  readonly removeExtraWhitespaces: boolean;
  readonly escapeWhitespaces: boolean;
}

/** What Weir reads from a SentencePiece `ModelProto`. */
export interface SpmModelProto {
  readonly pieces: readonly SpmPiece[];
  /** `TrainerSpec.model_type`: 1 UNIGRAM, 2 BPE, 3 WORD, 4 CHAR. */
  readonly modelType: number;
  readonly byteFallback: boolean;
  readonly treatWhitespaceAsSuffix: boolean;
  readonly normalizer: SpmNormalizerSpec;
}

/**
 * Parses a serialized SentencePiece `ModelProto` (fields: 1 pieces {1 piece, 2 score, 3 type},
 * 2 trainer_spec {3 model_type, 24 treat_whitespace_as_suffix, 35 byte_fallback},
 * 3 normalizer_spec {1 name, 2 precompiled_charsmap, 3 add_dummy_prefix, 4 remove_extra_whitespaces,
 * 5 escape_whitespaces}).
 * @throws Error when the bytes are not a protobuf message or hold no pieces
 */
export function parseSpmModel(buf: Uint8Array): SpmModelProto {
  const pieces: SpmPiece[] = [];
  let modelType = 1;
  let byteFallback = false;
  let treatWhitespaceAsSuffix = false;
  const norm = { name: '', precompiledCharsmap: new Uint8Array(0), addDummyPrefix: true, removeExtraWhitespaces: true, escapeWhitespaces: true };
  for (const f of decodeFields(buf)) {
    if (f.field === 1 && f.bytes) {
      let piece = '';
      let score = 0;
      let type: number = PieceType.NORMAL;
      for (const g of decodeFields(f.bytes)) {
        if (g.field === 1 && g.bytes) piece = bytesToString(g.bytes);
        else if (g.field === 2 && g.bytes) score = fixed32ToFloat(g.bytes);
        else if (g.field === 3 && g.varint !== undefined) type = Number(g.varint);
      }
      pieces.push({ piece, score, type });
    } else if (f.field === 2 && f.bytes) {
      for (const g of decodeFields(f.bytes)) {
        if (g.varint === undefined) continue;
        if (g.field === 3) modelType = Number(g.varint);
        else if (g.field === 24) treatWhitespaceAsSuffix = g.varint !== 0n;
        else if (g.field === 35) byteFallback = g.varint !== 0n;
      }
    } else if (f.field === 3 && f.bytes) {
      for (const g of decodeFields(f.bytes)) {
        if (g.field === 1 && g.bytes) norm.name = bytesToString(g.bytes);
        else if (g.field === 2 && g.bytes) norm.precompiledCharsmap = g.bytes.slice();
        else if (g.field === 3 && g.varint !== undefined) norm.addDummyPrefix = g.varint !== 0n;
        else if (g.field === 4 && g.varint !== undefined) norm.removeExtraWhitespaces = g.varint !== 0n;
        else if (g.field === 5 && g.varint !== undefined) norm.escapeWhitespaces = g.varint !== 0n;
      }
    }
  }
  if (pieces.length === 0) throw new Error('not a SentencePiece model: no pieces found');
  return { pieces, modelType, byteFallback, treatWhitespaceAsSuffix, normalizer: norm };
}

/** The whitespace meta symbol `▁` (U+2581). */
export const SPACE_SYMBOL = '\u2581';

/**
 * The precompiled character map of a `NormalizerSpec`: `<trie size: uint32 LE><Darts-clone double array
 * (uint32 LE units)><NUL-terminated replacement strings>`; a trie value is a byte offset into the strings.
 */
export class PrecompiledCharsmap {
  private readonly units: Uint32Array;
  private readonly normalized: Uint8Array;

  /** @throws Error when the blob is truncated */
  constructor(blob: Uint8Array) {
    if (blob.length < 4) throw new Error('precompiled charsmap: truncated');
    const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    const trieSize = dv.getUint32(0, true);
    if (4 + trieSize > blob.length || trieSize % 4 !== 0) throw new Error('precompiled charsmap: bad trie size');
    this.units = new Uint32Array(trieSize / 4);
    for (let i = 0; i < this.units.length; i++) this.units[i] = dv.getUint32(4 + 4 * i, true);
    this.normalized = blob.subarray(4 + trieSize);
  }

  /**
   * Longest prefix of `bytes[start..]` in the trie (Darts-clone `commonPrefixSearch`).
   * @returns the match length in bytes and the replacement's offset, or undefined
   */
  longestPrefix(bytes: Uint8Array, start: number): { length: number; value: number } | undefined {
    const u = this.units;
    const offset = (unit: number) => (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
    const label = (unit: number) => unit & (0x80000000 | 0xff);
    let best: { length: number; value: number } | undefined;
    let pos = offset(u[0]);
    for (let i = start; i < bytes.length; i++) {
      const c = bytes[i];
      pos ^= c;
      if (pos >= u.length) return best;
      const unit = u[pos];
      if ((label(unit) >>> 0) !== c) return best;
      pos ^= offset(unit);
      if ((unit >>> 8) & 1) best = { length: i - start + 1, value: u[pos] & 0x7fffffff };
    }
    return best;
  }

  /** The NUL-terminated replacement string at `offset`. */
  replacement(offset: number): Uint8Array {
    let end = offset;
    while (end < this.normalized.length && this.normalized[end] !== 0) end++;
    return this.normalized.subarray(offset, end);
  }

  /** Normalizes a whole string: at each position the longest match is replaced; other characters stay. */
  normalize(text: string): string {
    const bytes = new TextEncoder().encode(text);
    const out: number[] = [];
    let i = 0;
    while (i < bytes.length) {
      const m = this.longestPrefix(bytes, i);
      if (m) {
        for (const b of this.replacement(m.value)) out.push(b);
        i += m.length;
      } else {
        const b = bytes[i];
        const n = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
        for (let k = 0; k < n && i < bytes.length; k++) out.push(bytes[i++]);
      }
    }
    return new TextDecoder().decode(Uint8Array.from(out));
  }
}

/**
 * Built-in `nmt_nfkc` when a model has no precompiled map: NFKC, control characters removed, and the
 * extra whitespace-like characters of sentencepiece's NMT rules mapped to a space (an approximation of
 * the compiled rules, which the real Marian models ship precompiled anyway).
 */
export function nmtNfkc(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u0001-\u0008\u000B\u000E-\u001F\u007F\u008F\u009F]/g, '')
    .replace(/[\t\n\f\r\u1680\u200B-\u200F\u2028\u2029\u2060-\u206F\uFEFF\uFFF9-\uFFFC]/g, ' ');
}

/** One segment of an encoded text. */
export interface SpmToken {
  /** The piece text (for unknown segments: the normalized surface, as SentencePiece reports it). */
  readonly piece: string;
  /** Index in the model's pieces (the unknown piece's index for unknown segments). */
  readonly id: number;
  readonly unknown: boolean;
}

/**
 * A Unigram SentencePiece model: normalizer + Viterbi segmentation + detokenization.
 * Only `model_type` UNIGRAM (1) is supported (Marian's `.spm` files are unigram models).
 */
export class SentencePieceUnigram {
  readonly proto: SpmModelProto;
  private readonly pieceToIndex = new Map<string, number>();
  /** Matchable pieces (NORMAL, USER_DEFINED) → [index, score]. */
  private readonly candidates = new Map<string, [number, number]>();
  private readonly maxPieceChars: number;
  private readonly unkIndex: number;
  private readonly unkScore: number;
  private readonly charsmap?: PrecompiledCharsmap;

  /** @throws Error for non-unigram models or a model without an UNKNOWN piece */
  constructor(proto: SpmModelProto) {
    if (proto.modelType !== 1) throw new Error(`SentencePiece model_type ${proto.modelType} is not supported (only UNIGRAM = 1)`);
    this.proto = proto;
    let minScore = Infinity;
    let maxScore = -Infinity;
    let maxChars = 1;
    let unk = -1;
    proto.pieces.forEach((p, i) => {
      if (!this.pieceToIndex.has(p.piece)) this.pieceToIndex.set(p.piece, i);
      if (p.type === PieceType.UNKNOWN && unk < 0) unk = i;
      if (p.type === PieceType.NORMAL) {
        minScore = Math.min(minScore, p.score);
        maxScore = Math.max(maxScore, p.score);
      }
    });
    if (unk < 0) throw new Error('SentencePiece model has no UNKNOWN piece');
    proto.pieces.forEach((p, i) => {
      if (p.type !== PieceType.NORMAL && p.type !== PieceType.USER_DEFINED) return;
      if (this.candidates.has(p.piece)) return;
      const chars = [...p.piece].length;
      // unigram_model.cc: user-defined pieces score length_in_bytes * max_score - 0.1 (always preferred)
      const score = p.type === PieceType.USER_DEFINED ? new TextEncoder().encode(p.piece).length * (Number.isFinite(maxScore) ? maxScore : 0) - 0.1 : p.score;
      this.candidates.set(p.piece, [i, score]);
      maxChars = Math.max(maxChars, chars);
    });
    this.maxPieceChars = maxChars;
    this.unkIndex = unk;
    this.unkScore = (Number.isFinite(minScore) ? minScore : 0) - 10; // kUnkPenalty = 10
    if (proto.normalizer.precompiledCharsmap.length > 0) this.charsmap = new PrecompiledCharsmap(proto.normalizer.precompiledCharsmap);
  }

  /** Parses `.spm` bytes. */
  static fromBytes(buf: Uint8Array): SentencePieceUnigram {
    return new SentencePieceUnigram(parseSpmModel(buf));
  }

  /** Whether a piece string is in the model, and its index. */
  pieceIndex(piece: string): number | undefined {
    return this.pieceToIndex.get(piece);
  }

  /**
   * Normalizes like sentencepiece's `Normalizer::Normalize`: the character map (or built-in NFKC for
   * `nmt_nfkc`/`nfkc` without one), leading/trailing/repeated whitespace removed, a dummy `▁` prefix, and
   * spaces escaped as `▁`.
   */
  normalize(text: string): string {
    const n = this.proto.normalizer;
    let s = this.charsmap ? this.charsmap.normalize(text) : /nfkc/i.test(n.name) ? nmtNfkc(text) : text;
    if (n.removeExtraWhitespaces) s = s.replace(/ +/g, ' ').replace(/^ | $/g, '');
    if (s.length === 0) return '';
    if (n.addDummyPrefix) s = this.proto.treatWhitespaceAsSuffix ? `${s} ` : ` ${s}`;
    if (n.escapeWhitespaces) s = s.replace(/ /g, SPACE_SYMBOL);
    return s;
  }

  /**
   * Segments text into pieces: the Viterbi path maximizing the summed piece scores over the normalized
   * text (Kudo 2018); a character no piece covers becomes an unknown node scored `min_score − 10`;
   * consecutive unknown segments are merged (as `SentencePieceProcessor::Encode` does).
   */
  encode(text: string): SpmToken[] {
    const chars = [...this.normalize(text)];
    const n = chars.length;
    if (n === 0) return [];
    const best = new Float64Array(n + 1).fill(-Infinity);
    const from = new Int32Array(n + 1).fill(-1);
    const via = new Int32Array(n + 1).fill(-1); // piece index, or -2 for unknown
    best[0] = 0;
    for (let i = 0; i < n; i++) {
      if (best[i] === -Infinity) continue;
      let single = false;
      let sub = '';
      for (let len = 1; len <= this.maxPieceChars && i + len <= n; len++) {
        sub += chars[i + len - 1];
        const c = this.candidates.get(sub);
        if (!c) continue;
        if (len === 1) single = true;
        const score = best[i] + c[1];
        if (score > best[i + len] || from[i + len] < 0) {
          best[i + len] = score;
          from[i + len] = i;
          via[i + len] = c[0];
        }
      }
      if (!single) {
        const score = best[i] + this.unkScore;
        if (score > best[i + 1] || from[i + 1] < 0) {
          best[i + 1] = score;
          from[i + 1] = i;
          via[i + 1] = -2;
        }
      }
    }
    const rev: SpmToken[] = [];
    for (let end = n; end > 0; end = from[end]) {
      const start = from[end];
      const surface = chars.slice(start, end).join('');
      rev.push(via[end] === -2 ? { piece: surface, id: this.unkIndex, unknown: true } : { piece: this.proto.pieces[via[end]].piece, id: via[end], unknown: false });
    }
    const out: SpmToken[] = [];
    for (const t of rev.reverse()) {
      const prev = out[out.length - 1];
      if (t.unknown && prev?.unknown) out[out.length - 1] = { ...prev, piece: prev.piece + t.piece };
      else out.push(t);
    }
    return out;
  }

  /**
   * Joins pieces back into text (`DecodePieces`): control pieces vanish, byte pieces `<0xNN>` become
   * bytes, `▁` becomes a space, and the dummy-prefix space is dropped.
   */
  decodePieces(pieces: readonly string[]): string {
    const bytes: number[] = [];
    const enc = new TextEncoder();
    for (const p of pieces) {
      const idx = this.pieceToIndex.get(p);
      const type = idx === undefined ? PieceType.NORMAL : this.proto.pieces[idx].type;
      if (type === PieceType.CONTROL) continue;
      const m = type === PieceType.BYTE ? /^<0x([0-9A-Fa-f]{2})>$/.exec(p) : null;
      if (m) bytes.push(parseInt(m[1], 16));
      else for (const b of enc.encode(type === PieceType.UNKNOWN && p === this.proto.pieces[this.unkIndex].piece ? ' \u2047 ' : p)) bytes.push(b);
    }
    let s = new TextDecoder().decode(Uint8Array.from(bytes)).replace(new RegExp(SPACE_SYMBOL, 'g'), ' ');
    if (this.proto.normalizer.addDummyPrefix) s = this.proto.treatWhitespaceAsSuffix ? s.replace(/ $/, '') : s.replace(/^ /, '');
    return s;
  }
}
