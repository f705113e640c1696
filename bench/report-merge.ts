/**
 * Partial benchmark runs (`npm run bench -- --only udfs --write`): the sections measured in this run
 * replace the same sections of the existing BENCHMARKS.md, each marked with when and by which command it
 * was measured; the sections not measured keep their figures (and their own marks). A full run rewrites
 * the whole file. Sections are the `## (x) …` headings the report uses.
 */

/** Said once in the preamble of a report that has re-measured sections. */
export const PARTIAL_NOTE = 'Sections marked _Re-measured_ were measured again later, by a partial run (`--only`); the figures of the other sections come from the run described above.';

/** Splits a report into its preamble (before the first `## (x)` heading) and sections by letter. */
export function splitSections(markdown: string): { preamble: string; sections: Map<string, string> } {
  const re = /^## \(([a-z])\)/gm;
  const starts: { letter: string; index: number }[] = [];
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) starts.push({ letter: m[1], index: m.index });
  const sections = new Map<string, string>();
  starts.forEach((s, i) => sections.set(s.letter, markdown.slice(s.index, i + 1 < starts.length ? starts[i + 1].index : undefined).trimEnd() + '\n'));
  return { preamble: markdown.slice(0, starts.length ? starts[0].index : markdown.length), sections };
}

/**
 * Merges the sections of a partial run into an existing report.
 * @param existing the current BENCHMARKS.md ('' when there is none)
 * @param partial the report of this run (its preamble is ignored unless `existing` has none)
 * @param note the mark put under each replaced section's heading, e.g. "Re-measured on 2026-11-24 by …"
 * @returns the merged report: existing preamble, sections in letter order
 */
export function mergeReport(existing: string, partial: string, note: string): string {
  const old = splitSections(existing);
  const fresh = splitSections(partial);
  const merged = new Map(old.sections);
  for (const [letter, body] of fresh.sections) {
    const nl = body.indexOf('\n');
    merged.set(letter, `${body.slice(0, nl + 1)}\n_${note}_\n${body.slice(nl + 1)}`);
  }
  let preamble = old.preamble.trim() ? old.preamble : fresh.preamble;
  if (!preamble.includes(PARTIAL_NOTE)) preamble = `${preamble.trimEnd()}\n\n${PARTIAL_NOTE}\n`;
  return `${preamble.trimEnd()}\n\n${[...merged.keys()].sort().map((k) => merged.get(k)!.trimEnd()).join('\n\n')}\n`;
}
