/**
 * Korean → English translation with a MarianMT model exported to ONNX (e.g. Xenova/opus-mt-ko-en), run
 * by onnxruntime-node, with SentencePiece tokenization implemented in TypeScript.
 */
export { createTranslator, type Translator, type TranslatorOptions, type TranslatorStats } from './translator.js';
export { EXPECTED_LAYOUT, ModelDirError, locateModelFiles, modelFingerprint, readMarianConfig, type MarianConfig, type MarianModelFiles } from './model-dir.js';
export { MarianTokenizer, cleanUpTokenization } from './tokenizer.js';
export { SentencePieceUnigram, PrecompiledCharsmap, parseSpmModel, nmtNfkc, PieceType, SPACE_SYMBOL, type SpmModelProto, type SpmPiece, type SpmToken } from './sentencepiece.js';
export { MarianOnnx, type GenerateOptions } from './generate.js';
export { Hypotheses, logSoftmax } from './beam.js';
export { hasHangul, splitSentences, joinChunks, type Chunk } from './chunk.js';
