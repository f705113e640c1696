/**
 * MarianMT tokenization as transformers' `MarianTokenizer` does it: the source text is segmented by
 * `source.spm`, pieces are mapped to ids through the joint `vocab.json` (missing pieces → `<unk>`), and
 * `</s>` is appended (no BOS); generated ids are mapped back to pieces, special tokens are skipped, and
 * the pieces are detokenized with `target.spm`'s conventions.
 */
import { readFileSync } from 'node:fs';
import { SentencePieceUnigram } from './sentencepiece.js';

/** Source/target SentencePiece models plus the joint vocabulary. */
export class MarianTokenizer {
  readonly vocab: ReadonlyMap<string, number>;
  private readonly idToPiece: string[] = [];
  readonly eosId: number;
  readonly unkId: number;
  readonly padId: number;
  private readonly special: ReadonlySet<number>;

  /**
   * @param vocab piece → id (vocab.json)
   * @throws Error when the vocabulary lacks `</s>` or `<unk>`
   */
  /**
   * @param cleanUpTokenizationSpaces apply transformers' `clean_up_tokenization` after decoding (default
   *   true, as transformers 4.x does unless tokenizer_config.json says otherwise)
   */
  constructor(readonly source: SentencePieceUnigram, readonly target: SentencePieceUnigram, vocab: Record<string, number>, padId?: number, readonly cleanUpTokenizationSpaces = true) {
    const m = new Map<string, number>();
    for (const [k, v] of Object.entries(vocab)) {
      m.set(k, v);
      this.idToPiece[v] = k;
    }
    this.vocab = m;
    const need = (p: string): number => {
      const id = m.get(p);
      if (id === undefined) throw new Error(`vocab.json has no ${p}`);
      return id;
    };
    this.eosId = need('</s>');
    this.unkId = need('<unk>');
    this.padId = padId ?? m.get('<pad>') ?? -1;
    this.special = new Set([this.eosId, this.unkId, this.padId]);
  }

  /**
   * Loads `source.spm`, `target.spm` and `vocab.json`.
   * @throws Error for unreadable or invalid files (naming the file)
   */
  static fromFiles(sourceSpm: string, targetSpm: string, vocabJson: string, padId?: number, cleanUpTokenizationSpaces = true): MarianTokenizer {
    const spm = (f: string) => {
      try {
        return SentencePieceUnigram.fromBytes(readFileSync(f));
      } catch (e) {
        throw new Error(`${f}: ${(e as Error).message}`);
      }
    };
    let vocab: Record<string, number>;
    try {
      vocab = JSON.parse(readFileSync(vocabJson, 'utf8')) as Record<string, number>;
    } catch (e) {
      throw new Error(`${vocabJson}: ${(e as Error).message}`);
    }
    return new MarianTokenizer(spm(sourceSpm), spm(targetSpm), vocab, padId, cleanUpTokenizationSpaces);
  }

  /** Source pieces of a text (SentencePiece surface strings for unknown segments). */
  tokenize(text: string): string[] {
    return this.source.encode(text).map((t) => t.piece);
  }

  /**
   * Token ids of a text: pieces via vocab.json (missing → `<unk>`), then `</s>`.
   * @returns ids, always ending with the eos id
   */
  encode(text: string): number[] {
    return [...this.tokenize(text).map((p) => this.vocab.get(p) ?? this.unkId), this.eosId];
  }

  /**
   * Text of generated ids: special ids (`</s>`, `<unk>`, `<pad>`) skipped, target.spm detokenization,
   * trimmed, then (unless disabled) transformers' `clean_up_tokenization` (" ." → ".", " n't" → "n't", …).
   */
  decode(ids: readonly number[]): string {
    const pieces: string[] = [];
    for (const id of ids) {
      if (this.special.has(id)) continue;
      const p = this.idToPiece[id];
      if (p !== undefined) pieces.push(p);
    }
    const text = this.target.decodePieces(pieces).trim();
    return this.cleanUpTokenizationSpaces ? cleanUpTokenization(text) : text;
  }
}

/** transformers' `PreTrainedTokenizerBase.clean_up_tokenization`: removes spaces before punctuation and English contractions. */
export function cleanUpTokenization(s: string): string {
  return s
    .replaceAll(' .', '.').replaceAll(' ?', '?').replaceAll(' !', '!').replaceAll(' ,', ',')
    .replaceAll(" ' ", "'").replaceAll(" n't", "n't").replaceAll(" 'm", "'m").replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve").replaceAll(" 're", "'re");
}
