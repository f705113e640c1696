import { describe, expect, it } from 'vitest';
import { PARTIAL_NOTE, mergeReport, splitSections } from '../../bench/report-merge.js';

const OLD = `# Weir benchmarks

Measured by \`npm run bench\` on 2026-11-20.

## (a) Compile

old a

## (c) UDFs

old c

## (e) ER

old e
`;

describe('bench report merge (partial runs)', () => {
  it('splits a report into its preamble and lettered sections', () => {
    const { preamble, sections } = splitSections(OLD);
    expect(preamble).toContain('Measured by');
    expect([...sections.keys()]).toEqual(['a', 'c', 'e']);
    expect(sections.get('c')).toBe('## (c) UDFs\n\nold c\n');
  });

  it('replaces only the measured sections, marks them, keeps the others and the preamble', () => {
    const partial = '# Weir benchmarks\n\nMeasured today.\n\n## (c) UDFs\n\nnew c\n\n## (f) Matching\n\nnew f\n';
    const merged = mergeReport(OLD, partial, 'Re-measured on 2026-11-24 by X');
    expect(merged).toContain('Measured by `npm run bench` on 2026-11-20.');
    expect(merged).not.toContain('Measured today.');
    expect(merged).toContain('## (a) Compile\n\nold a');
    expect(merged).toContain('## (c) UDFs\n\n_Re-measured on 2026-11-24 by X_\n\nnew c');
    expect(merged).not.toContain('old c');
    expect(merged).toContain('## (e) ER\n\nold e');
    expect(merged.indexOf('## (e)')).toBeLessThan(merged.indexOf('## (f)'));
    expect(merged).toContain('## (f) Matching\n\n_Re-measured on 2026-11-24 by X_\n\nnew f');
    // the preamble says that some sections were measured later, once
    expect(merged.split(PARTIAL_NOTE).length).toBe(2);
    expect(mergeReport(merged, partial, 'again').split(PARTIAL_NOTE).length).toBe(2);
  });

  it('uses the partial report whole when there is no existing report', () => {
    const merged = mergeReport('', '# T\n\nhead\n\n## (b) B\n\nb\n', 'N');
    expect(merged).toBe(`# T\n\nhead\n\n${PARTIAL_NOTE}\n\n## (b) B\n\n_N_\n\nb\n`);
  });
});
