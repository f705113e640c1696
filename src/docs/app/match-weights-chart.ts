/**
 * The match-weights chart of a model holding an er_fellegi_sunter parameter table, drawn as SVG in the manner
 * of Splink's match_weights_chart (https://moj-analytical-services.github.io/splink/charts/match_weights_chart.html):
 * one horizontal bar per comparison level, from 0 to its match weight log2(m/u) in bits (green: evidence for a
 * match, red: against), the prior log2(λ/(1−λ)) first, comparisons in the table's order, their highest level
 * (exact agreement) first. Each bar's tooltip gives m, u and the Bayes factor. No chart library: a few rects.
 */
import type { MatchWeights } from '../match-weights.js';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fmt = (x: number) => (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5) ? x.toExponential(2) : String(Number(x.toPrecision(3))));

/** Layout in pixels. */
const LABEL_W = 250;
/** Room between the labels and the plot for the value of a short bar that points left. */
const PAD = 44;
const PLOT_W = 460;
const ROW_H = 20;
const GAP = 10;
const AXIS_H = 28;

/** One drawn bar. */
interface Bar { readonly group: string; readonly label: string; readonly weight: number; readonly title: string; readonly kind: 'prior' | 'level'; readonly level?: number }

/** A bar's value: right of a bar that points right; inside (white) a long bar that points left, else left of it. */
function valueText(weight: number, end: number, width: number, y: number): string {
  const text = esc(fmt(weight));
  if (weight >= 0) return `<text class="mw-value" x="${(end + 4).toFixed(1)}" y="${y + 14}" font-size="11">${text}</text>`;
  if (width >= 40) return `<text class="mw-value" x="${(end + 4).toFixed(1)}" y="${y + 14}" font-size="11" fill="#fff">${text}</text>`;
  return `<text class="mw-value" x="${(end - 4).toFixed(1)}" y="${y + 14}" text-anchor="end" font-size="11">${text}</text>`;
}

/** The chart section (heading, SVG, notes) for a model page. */
export function matchWeightsHtml(mw: MatchWeights): string {
  const bars: Bar[] = [];
  if (mw.prior) {
    bars.push({ group: 'prior', label: 'prior (λ)', weight: mw.prior.match_weight, kind: 'prior',
      title: `λ = ${fmt(mw.prior.lambda)}${mw.prior.source ? ` (${mw.prior.source})` : ''}: prior match weight ${fmt(mw.prior.match_weight)} bits` });
  }
  for (const c of mw.comparisons) {
    for (const l of c.levels) {
      bars.push({ group: c.name, label: `level ${l.level}`, weight: l.match_weight, kind: 'level', level: l.level,
        title: `${c.name} level ${l.level}: m = ${fmt(l.m)}, u = ${fmt(l.u)}, Bayes factor ${fmt(l.bayes_factor)}, match weight ${fmt(l.match_weight)} bits` });
    }
  }
  const lo = Math.min(0, ...bars.map((b) => b.weight));
  const hi = Math.max(0, ...bars.map((b) => b.weight));
  const span = hi - lo || 1;
  const x = (w: number) => LABEL_W + PAD + ((w - lo) / span) * PLOT_W;
  let y = 4;
  let group = '';
  const parts: string[] = [];
  for (const b of bars) {
    if (b.group !== group) {
      if (group) y += GAP;
      group = b.group;
      parts.push(`<text class="mw-group" x="4" y="${y + 14}" font-weight="600">${esc(b.kind === 'prior' ? 'Prior' : b.group)}</text>`);
    }
    const x0 = x(0), x1 = x(b.weight);
    const fill = b.kind === 'prior' ? '#6b7280' : b.weight >= 0 ? '#059669' : '#dc2626';
    const left = Math.min(x0, x1), width = Math.max(1, Math.abs(x1 - x0));
    parts.push(`<g class="mw-row" data-group="${esc(b.group)}"${b.level !== undefined ? ` data-level="${b.level}"` : ''} data-weight="${b.weight}">`
      + `<text x="${LABEL_W - 8}" y="${y + 14}" text-anchor="end">${esc(b.label)}</text>`
      + `<rect class="mw-bar" x="${left.toFixed(1)}" y="${y + 3}" width="${width.toFixed(1)}" height="${ROW_H - 6}" fill="${fill}"><title>${esc(b.title)}</title></rect>`
      + valueText(b.weight, x1, width, y) + '</g>');
    y += ROW_H;
  }
  const top = 0, bottom = y + 4;
  const ticks: string[] = [];
  const step = span > 40 ? 10 : span > 16 ? 5 : span > 6 ? 2 : 1;
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) {
    ticks.push(`<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${top}" y2="${bottom}" stroke="${t === 0 ? '#374151' : '#e5e7eb'}"${t === 0 ? ' class="mw-zero"' : ''}/>`
      + `<text x="${x(t).toFixed(1)}" y="${bottom + 14}" text-anchor="middle" font-size="11">${t}</text>`);
  }
  const height = bottom + AXIS_H;
  const width = LABEL_W + PAD + PLOT_W + 60;
  const svg = `<svg class="match-weights" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="match weights of ${bars.length} bars" font-family="system-ui, sans-serif" font-size="12">
    ${ticks.join('')}${parts.join('')}
    <text x="${LABEL_W + PAD + PLOT_W / 2}" y="${height - 2}" text-anchor="middle" font-size="11" fill="#4b5563">match weight = log2(Bayes factor), bits</text></svg>`;
  const facts = [
    mw.prior ? `λ = ${esc(fmt(mw.prior.lambda))}${mw.prior.source ? ` (${esc(mw.prior.source)})` : ''}` : '',
    mw.lambda_em !== undefined ? `EM's λ ${esc(fmt(mw.lambda_em))}` : '',
    mw.lambda_deterministic !== undefined ? `deterministic λ ${esc(fmt(mw.lambda_deterministic))}` : '',
    mw.converged !== undefined ? (mw.converged ? `EM converged${mw.iterations !== undefined ? ` within ${mw.iterations} iterations` : ''}` : 'EM did not converge') : '',
  ].filter(Boolean).join(' · ');
  return `<section class="match-weights-section">
    <h2>Match weights <small>Fellegi–Sunter parameters: each bar is a comparison level's log2(m/u); a pair's weight is the prior plus its levels' bars</small></h2>
    ${mw.warning ? `<p class="mw-warning">⚠ ${esc(mw.warning)}</p>` : ''}
    ${facts ? `<p class="muted mw-facts">${facts}</p>` : ''}
    ${svg}</section>`;
}
