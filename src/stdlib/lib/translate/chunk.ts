/**
 * Splitting long texts into sentence-sized chunks for translation, and detecting whether a text needs
 * translating at all (Korean → English: only text containing Hangul is sent to the model).
 */

/** Hangul syllables, jamo, compatibility jamo and the extended jamo blocks. */
const HANGUL = /[\u1100-\u11FF\u3130-\u318F\uA960-\uA97F\uAC00-\uD7A3\uD7B0-\uD7FF]/;

/** Whether a text contains Hangul (otherwise a ko→en translation returns it unchanged). */
export function hasHangul(text: string): boolean {
  return HANGUL.test(text);
}

/** A piece of a text and the whitespace that followed it in the original. */
export interface Chunk {
  readonly text: string;
  /** Whitespace after the chunk ('' for the last one). */
  readonly sep: string;
}

/**
 * Sentence ends: `.`, `!`, `?`, `…`, the full-width `。！？`, optionally followed by closing quotes or
 * brackets, then whitespace (Korean uses the same punctuation: "…했다. 그리고 …"); line breaks always end
 * a chunk.
 */
const SENTENCE_END = /([.!?…。！？]+["'”’)\]」』〉》]*)(\s+)|(\n[\s]*)/g;

/**
 * Splits a text into sentences (and sentences longer than `maxChars` further at `,;:、` and then at
 * spaces), keeping the separating whitespace so that {@link joinChunks} can rebuild the layout.
 * @param maxChars longest chunk in characters (default 400; Marian accepts 512 tokens)
 */
export function splitSentences(text: string, maxChars = 400): Chunk[] {
  const out: Chunk[] = [];
  let last = 0;
  for (const m of text.matchAll(SENTENCE_END)) {
    const end = m.index! + (m[1]?.length ?? 0);
    const sep = m[2] ?? m[3];
    out.push({ text: text.slice(last, end), sep });
    last = m.index! + m[0].length;
  }
  if (last < text.length || out.length === 0) out.push({ text: text.slice(last), sep: '' });
  const lead = /^\s*/.exec(out[0].text)![0];
  const chunks = out.flatMap((c) => splitLong(c, maxChars)).filter((c, i, a) => c.text.length > 0 || i === a.length - 1);
  if (lead && chunks.length) chunks[0] = { ...chunks[0], text: chunks[0].text.slice(lead.length) };
  return chunks;
}

function splitLong(c: Chunk, maxChars: number): Chunk[] {
  if ([...c.text].length <= maxChars) return [c];
  const parts: Chunk[] = [];
  let rest = c.text;
  while ([...rest].length > maxChars) {
    const head = [...rest].slice(0, maxChars).join('');
    let cut = Math.max(head.lastIndexOf(', '), head.lastIndexOf('; '), head.lastIndexOf(': '), head.lastIndexOf('、'));
    if (cut > maxChars / 4) cut += 1;
    else cut = head.lastIndexOf(' ');
    if (cut <= 0) cut = head.length;
    parts.push({ text: rest.slice(0, cut).trimEnd(), sep: ' ' });
    rest = rest.slice(cut).trimStart();
  }
  parts.push({ text: rest, sep: c.sep });
  return parts;
}

/**
 * Rebuilds a text from translated chunks: chunks separated by line breaks keep their line breaks,
 * other separators become one space.
 */
export function joinChunks(chunks: readonly Chunk[], translated: readonly string[]): string {
  let s = '';
  chunks.forEach((c, i) => {
    s += translated[i];
    if (i < chunks.length - 1) s += c.sep.includes('\n') ? c.sep.replace(/[^\n]/g, '') : ' ';
  });
  return s;
}
