/**
 * The Weir docs app: a single page that renders the project overview, one page per node (model, seed,
 * source, snapshot, test, UDF), search, the project graph and column-lineage graphs from the data
 * embedded by `weir docs generate` (`window.__WEIR_DOCS__`). Routing uses the URL hash, so the site works
 * from `file://` and from `weir docs serve` alike. Bundled with esbuild into `dist/docs-app/weir-docs.js`.
 */
import hljs from 'highlight.js/lib/core';
import sqlLanguage from 'highlight.js/lib/languages/sql';
import type { SiteData, SiteNode } from '../site-data.js';
import { BOX_HEIGHT, GRAPH_TYPES } from '../site-data.js';
import { boxWidth, layoutDag } from '../graph-layout.js';
import { GraphCanvas, type CanvasEdge, type CanvasNode } from './graph-canvas.js';
import { SiteSelector } from './selection.js';
import { matchWeightsHtml } from './match-weights-chart.js';
import type { LineageKind } from '../../lineage/column-lineage.js';

hljs.registerLanguage('sql', sqlLanguage);

declare global {
  interface Window {
    __WEIR_DOCS__: SiteData;
    /** For tests and power users: the graph currently shown. */
    __weirGraph?: GraphCanvas;
  }
}

const data = window.__WEIR_DOCS__;
const byId = new Map(data.nodes.map((n) => [n.unique_id, n]));
const children = new Map<string, string[]>();
for (const n of data.nodes) for (const p of n.depends_on) (children.get(p) ?? children.set(p, []).get(p)!).push(n.unique_id);
// The selector's graph of every node is built when the graph's selector box is first used (on a
// 30,000-node project building it took about a second, which opening the site no longer waits for).
let siteSelector: SiteSelector | undefined;
const selector = (): SiteSelector => (siteSelector ??= new SiteSelector(data));

const COLORS: Record<string, string> = { model: '#2563eb', seed: '#059669', source: '#d97706', snapshot: '#7c3aed', test: '#6b7280', udf: '#db2777', exposure: '#0891b2' };
const KIND_COLORS: Record<LineageKind, string> = { direct: '#374151', transformed: '#2563eb', aggregated: '#7c3aed', filtered_by: '#d97706', join_key: '#059669' };
const TYPE_ORDER = ['model', 'seed', 'source', 'snapshot', 'test', 'udf', 'exposure'];

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const link = (uid: string, text?: string) => {
  const n = byId.get(uid);
  return `<a href="#/node/${encodeURIComponent(uid)}" class="node-link" data-uid="${esc(uid)}">${esc(text ?? n?.name ?? uid)}</a>`;
};
const badge = (text: string, cls = '') => `<span class="badge ${cls}">${esc(text)}</span>`;
const typeBadge = (t: string) => `<span class="badge type" style="background:${COLORS[t] ?? '#6b7280'}">${esc(t)}</span>`;
const statusBadge = (s: string) => badge(s, `status-${s}`);
const highlight = (sql: string) => hljs.highlight(sql, { language: 'sql', ignoreIllegals: true }).value;
const fmtSeconds = (s: number) => (s < 1 ? `${Math.round(s * 1000)} ms` : `${s.toFixed(2)} s`);

// ---------------------------------------------------------------- shell

const app = document.getElementById('app')!;
app.innerHTML = `
<header class="top">
  <a href="#/" class="brand">Weir docs <span>${esc(data.project_name)}</span></a>
  <div class="search-wrap">
    <input id="search" type="search" placeholder="Search models, columns, descriptions…" autocomplete="off" aria-label="Search">
    <div id="search-results" class="search-results" hidden></div>
  </div>
  <nav class="top-links"><a href="#/graph">Lineage graph</a></nav>
</header>
<div class="layout">
  <aside id="sidebar" class="sidebar">${sidebar()}</aside>
  <main id="main" class="main"></main>
</div>`;
const main = document.getElementById('main')!;

function sidebar(): string {
  const groups = TYPE_ORDER.map((t) => {
    const ns = data.nodes.filter((n) => n.resource_type === t).sort((a, b) => a.path.localeCompare(b.path) || a.name.localeCompare(b.name));
    if (!ns.length) return '';
    if (t === 'model') {
      const folders = new Map<string, SiteNode[]>();
      for (const n of ns) {
        const f = n.path.split('/').slice(0, -1).join('/') || '.';
        (folders.get(f) ?? folders.set(f, []).get(f)!).push(n);
      }
      return `<details open><summary>Models <small>${ns.length}</small></summary>${[...folders].map(([f, list]) => `<details open class="folder"><summary>${esc(f)}</summary><ul>${list.map((n) => `<li>${link(n.unique_id)}</li>`).join('')}</ul></details>`).join('')}</details>`;
    }
    const label = { seed: 'Seeds', source: 'Sources', snapshot: 'Snapshots', test: 'Tests', udf: 'UDFs', exposure: 'Exposures' }[t] ?? t;
    return `<details ${t === 'test' ? '' : 'open'}><summary>${label} <small>${ns.length}</small></summary><ul>${ns.map((n) => `<li>${link(n.unique_id, t === 'source' ? `${n.source_name}.${n.name}` : n.name)}</li>`).join('')}</ul></details>`;
  });
  return groups.join('');
}

// ---------------------------------------------------------------- search

interface Hit {
  node: SiteNode;
  score: number;
  why: string;
}

/** Ranks nodes by where the query appears: name, then column names, then descriptions. */
function search(q: string): Hit[] {
  const t = q.trim().toLowerCase();
  if (!t) return [];
  const hits: Hit[] = [];
  for (const n of data.nodes) {
    const name = n.name.toLowerCase();
    let score = 0;
    let why = '';
    if (name === t) score = 100;
    else if (name.startsWith(t)) score = 60;
    else if (name.includes(t)) score = 40;
    const col = n.columns.find((c) => c.name.toLowerCase().includes(t));
    if (col && score < 20) {
      score = col.name.toLowerCase() === t ? 25 : 20;
      why = `column ${col.name}`;
    }
    const colDesc = n.columns.find((c) => c.description.toLowerCase().includes(t));
    if (!score && n.description.toLowerCase().includes(t)) {
      score = 10;
      why = 'description';
    } else if (!score && colDesc) {
      score = 8;
      why = `column ${colDesc.name} description`;
    }
    if (score) hits.push({ node: n, score: score + (n.resource_type === 'test' ? -5 : 0), why });
  }
  return hits.sort((a, b) => b.score - a.score || a.node.name.localeCompare(b.node.name));
}

const hitHtml = (h: Hit) => `<li>${typeBadge(h.node.resource_type)} ${link(h.node.unique_id)} ${h.why ? `<small class="why">${esc(h.why)}</small>` : ''}<div class="desc">${esc(h.node.description.slice(0, 140))}</div></li>`;

const searchBox = document.getElementById('search') as HTMLInputElement;
const searchResults = document.getElementById('search-results')!;
searchBox.addEventListener('input', () => {
  const hits = search(searchBox.value).slice(0, 12);
  searchResults.hidden = !searchBox.value.trim();
  searchResults.innerHTML = hits.length ? `<ul>${hits.map(hitHtml).join('')}</ul>` : '<p class="empty">No matches</p>';
});
searchBox.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    location.hash = `#/search/${encodeURIComponent(searchBox.value)}`;
    searchResults.hidden = true;
  } else if (e.key === 'Escape') searchResults.hidden = true;
});
document.addEventListener('click', (e) => {
  if (!(e.target as HTMLElement).closest('.search-wrap')) searchResults.hidden = true;
  else if ((e.target as HTMLElement).closest('a')) searchResults.hidden = true;
});

// ---------------------------------------------------------------- pages

let graph: GraphCanvas | undefined;

function route(): void {
  graph?.destroy();
  graph = undefined;
  searchResults.hidden = true;
  window.__weirGraph = undefined;
  const raw = location.hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = decodeURIComponent(q < 0 ? raw : raw.slice(0, q));
  const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  const [head, ...rest] = path.split('/');
  const arg = rest.join('/');
  document.body.dataset.view = head || 'overview';
  if (head === 'node' && byId.has(arg)) nodePage(byId.get(arg)!);
  else if (head === 'search') searchPage(arg);
  else if (path === 'graph') graphPage(params);
  else if (head === 'columns') columnGraphPage(arg, params);
  else overview();
  main.scrollTop = 0;
}
window.addEventListener('hashchange', route);

function overview(): void {
  const counts = TYPE_ORDER.map((t) => [t, data.nodes.filter((n) => n.resource_type === t).length] as const).filter(([, c]) => c);
  const run = data.last_run;
  const failed = data.nodes.filter((n) => n.run && ['error', 'fail'].includes(n.run.status));
  main.innerHTML = `
  <h1>${esc(data.project_name)}</h1>
  <p class="muted">Target <b>${esc(data.target_name)}</b> (${esc(data.adapter_type)}) · generated ${esc(data.generated_at)} · Weir ${esc(data.weir_version)}</p>
  <div class="cards">${counts.map(([t, c]) => `<div class="card"><div class="num">${c}</div>${typeBadge(t)}</div>`).join('')}</div>
  <h2>Last run</h2>
  ${run ? `<p>${statusBadge(run.success ? 'success' : 'error')} <code>weir ${esc(run.command)}</code> at ${esc(run.generated_at)} in ${fmtSeconds(run.elapsed_time)}</p>
    ${failed.length ? `<ul>${failed.map((n) => `<li>${statusBadge(n.run!.status)} ${link(n.unique_id)} <small>${esc(n.run!.message ?? '')}</small></li>`).join('')}</ul>` : ''}`
    : '<p class="muted">No run_results.json yet: run <code>weir build</code>, then <code>weir docs generate</code>.</p>'}
  <h2>Catalog</h2>
  ${data.catalog_errors.length ? `<p>${data.catalog_errors.length} relations are not built or could not be read:</p><ul class="catalog-errors">${data.catalog_errors.map((e) => `<li>${link(e.unique_id)}: ${esc(e.message)}</li>`).join('')}</ul>` : '<p>Every relation is built; column types come from the warehouse.</p>'}
  <h2>Graph</h2><p><a href="#/graph">Open the lineage graph</a> of ${Object.keys(data.layout).length} models, seeds, sources and snapshots.</p>`;
}

function searchPage(q: string): void {
  const hits = search(q);
  searchBox.value = q;
  main.innerHTML = `<h1>Search: “${esc(q)}”</h1><p class="muted">${hits.length} results</p><ul class="search-page">${hits.map(hitHtml).join('')}</ul>`;
}

function nodePage(n: SiteNode): void {
  const lineage = data.lineage[n.unique_id];
  const rows: [string, string][] = [
    ['Type', typeBadge(n.resource_type)],
    ['Path', `<code>${esc(n.path)}</code>`],
  ];
  if (n.relation_name) rows.push(['Relation', `<code>${esc(n.relation_name)}</code>`]);
  if (n.materialized) rows.push(['Materialization', badge(n.materialized)]);
  if (n.tags.length) rows.push(['Tags', n.tags.map((t) => badge(t, 'tag')).join(' ')]);
  if (n.owners.length) rows.push(['Owners', n.owners.map((o) => esc(o)).join(', ')]);
  if (n.resource_type === 'source') rows.push(['Source', esc(n.source_name)]);
  if (n.test_metadata) rows.push(['Test', `${esc(n.test_metadata.name)}${n.test_metadata.column_name ? ` on column <code>${esc(n.test_metadata.column_name)}</code>` : ''}${n.test_metadata.attached_node ? ` of ${link(n.test_metadata.attached_node)}` : ''}`]);
  if (n.test_type) rows.push(['Test type', esc(n.test_type)]);
  if (n.config.severity) rows.push(['Severity', esc(n.config.severity)]);
  if (n.exposure) {
    rows.push(['Exposure type', esc(n.exposure.type)]);
    if (n.exposure.maturity) rows.push(['Maturity', esc(n.exposure.maturity)]);
    if (n.exposure.url && /^https?:\/\//.test(n.exposure.url)) rows.push(['URL', `<a href="${esc(n.exposure.url)}" rel="noopener">${esc(n.exposure.url)}</a>`]);
  }
  if (n.udf) rows.push(['Signature', `<code>${esc(n.udf.signature)}</code>`], ['Kind', esc(n.udf.kind)], ['Returns', `<code>${esc(n.udf.returns)}</code>`], ['Portable', n.udf.portable ? 'yes' : 'no']);
  if (n.run) {
    rows.push(['Last run', `<span class="last-run">${statusBadge(n.run.status)} ${fmtSeconds(n.run.execution_time)}${n.run.completed_at ? ` · finished ${esc(n.run.completed_at)}` : ''}${n.run.rows_affected !== undefined ? ` · ${n.run.rows_affected} rows` : ''}${n.run.failures ? ` · ${n.run.failures} failures` : ''}</span>${n.run.message ? `<div class="muted">${esc(n.run.message)}</div>` : ''}`]);
  } else if (GRAPH_TYPES.has(n.resource_type) || n.resource_type === 'test') rows.push(['Last run', '<span class="muted">not in the last run_results.json</span>']);
  const columns = n.columns.length ? `
    <h2>${n.udf ? 'Arguments' : 'Columns'}</h2>
    <table class="columns"><thead><tr><th>Name</th><th>Type</th><th>Description</th><th>Tests</th></tr></thead><tbody>
    ${n.columns.map((c) => `<tr data-column="${esc(c.name)}"><td><code>${esc(c.name)}</code>${c.in_catalog || n.udf ? '' : ' <small class="muted" title="not in the catalog: the relation is not built, or lacks this column">not built</small>'}</td><td><code>${esc(c.type ?? '')}</code></td><td>${esc(c.description)}</td><td>${c.tests.map((t) => link(t, byId.get(t)?.test_metadata?.name ?? byId.get(t)?.name)).join(', ')}</td></tr>`).join('')}
    </tbody></table>` : '';
  const lineageHtml = lineage ? `
    <h2>Column lineage <small><a href="#/columns/${encodeURIComponent(n.unique_id)}">column graph</a></small></h2>
    ${lineage.unresolved.length ? `<ul class="unresolved">${lineage.unresolved.map((u) => `<li>${esc(u)}</li>`).join('')}</ul>` : ''}
    <table class="lineage"><thead><tr><th>Column</th><th>Derived from</th><th>Rows filtered / joined by</th></tr></thead><tbody>
    ${Object.entries(lineage.columns).map(([col, l]) => {
      const value = l.upstream.filter((u) => u.kind !== 'filtered_by' && u.kind !== 'join_key');
      const rows = l.upstream.filter((u) => u.kind === 'filtered_by' || u.kind === 'join_key');
      const ups = (us: typeof l.upstream) => us.map((u) => `<span class="up">${link(u.node)}.<code>${esc(u.column)}</code> <span class="kind kind-${u.kind}">${u.kind.replace('_', ' ')}</span></span>`).join(' ');
      return `<tr data-column="${esc(col)}"><td><code>${esc(col)}</code></td><td class="value-deps">${ups(value) || (l.unresolved.length || l.derived_by ? '' : '<span class="muted">none (constants only)</span>')}${l.derived_by ? `<div class="derived muted">${esc(l.derived_by)}</div>` : ''}${l.unresolved.map((x) => `<div class="unresolved">${esc(x)}</div>`).join('')}</td><td class="row-deps">${ups(rows)}</td></tr>`;
    }).join('')}
    </tbody></table>` : '';
  const deps = n.depends_on.length ? `<h3>Depends on</h3><ul class="deps">${n.depends_on.map((d) => `<li>${typeBadge(byId.get(d)?.resource_type ?? '')} ${link(d)}</li>`).join('')}</ul>` : '';
  const used = (children.get(n.unique_id) ?? []).filter((c) => byId.get(c)?.resource_type !== 'test');
  const usedBy = used.length ? `<h3>Referenced by</h3><ul class="deps">${used.map((d) => `<li>${typeBadge(byId.get(d)?.resource_type ?? '')} ${link(d)}</li>`).join('')}</ul>` : '';
  const tests = n.tests.length ? `<h3>Tests</h3><ul class="deps">${n.tests.map((t) => `<li>${byId.get(t)?.run ? statusBadge(byId.get(t)!.run!.status) : ''} ${link(t)}</li>`).join('')}</ul>` : '';
  const sql = [n.raw_code !== undefined ? ['Source', n.raw_code] : undefined, n.compiled_code !== undefined ? ['Compiled', n.compiled_code] : undefined].filter(Boolean) as [string, string][];
  const sqlHtml = sql.length ? `<h2>SQL</h2><div class="tabs">${sql.map(([t], i) => `<button class="tab${i === sql.length - 1 ? ' active' : ''}" data-tab="${i}">${t}</button>`).join('')}</div>${sql.map(([t, code], i) => `<pre class="sql" data-pane="${i}" data-kind="${t.toLowerCase()}" ${i === sql.length - 1 ? '' : 'hidden'}><code class="hljs language-sql">${highlight(code)}</code></pre>`).join('')}` : '';
  const readByColumns = !lineage && Object.values(data.lineage).some((l) => Object.values(l.columns).some((c) => c.upstream.some((u) => u.node === n.unique_id)));
  const graphLink = (GRAPH_TYPES.has(n.resource_type) ? `<a class="button" href="#/graph?focus=${encodeURIComponent(n.unique_id)}&up=2&down=2">View in lineage graph</a>` : '')
    + (readByColumns ? ` <a class="button" href="#/columns/${encodeURIComponent(n.unique_id)}">Column graph</a>` : '');
  main.innerHTML = `
  <div class="node-head"><h1>${esc(n.resource_type === 'source' ? `${n.source_name}.${n.name}` : n.name)}</h1> ${graphLink}</div>
  <p class="description">${n.description ? esc(n.description) : '<span class="muted">No description.</span>'}</p>
  <table class="details"><tbody>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</tbody></table>
  ${historyHtml(n)}${data.match_weights?.[n.unique_id] ? matchWeightsHtml(data.match_weights[n.unique_id]) : ''}${columns}${lineageHtml}<div class="relations">${deps}${usedBy}${tests}</div>${sqlHtml}`;
  for (const b of main.querySelectorAll<HTMLButtonElement>('.tab')) {
    b.addEventListener('click', () => {
      for (const x of main.querySelectorAll('.tab')) x.classList.toggle('active', x === b);
      for (const p of main.querySelectorAll<HTMLElement>('pre.sql')) p.hidden = p.dataset.pane !== b.dataset.tab;
    });
  }
}

// ---------------------------------------------------------------- test history

const STATUS_COLORS: Record<string, string> = { pass: '#059669', warn: '#d97706', fail: '#dc2626', error: '#dc2626', skipped: '#9ca3af' };

/** An SVG bar chart, one bar per run (oldest left): height from `value`, colour from `status`. */
function trendSvg(points: readonly { at: string; value: number; status: string; title: string }[]): string {
  const w = 14;
  const h = 60;
  const max = Math.max(1, ...points.map((p) => p.value));
  const bars = points.map((p, i) => {
    const bh = p.value > 0 ? Math.max(4, Math.round((p.value / max) * (h - 4))) : 3;
    return `<rect class="bar" data-status="${esc(p.status)}" data-value="${p.value}" x="${i * w + 2}" y="${h - bh}" width="${w - 4}" height="${bh}" fill="${STATUS_COLORS[p.status] ?? '#6b7280'}"><title>${esc(p.title)}</title></rect>`;
  }).join('');
  return `<svg class="trend" width="${points.length * w + 4}" height="${h}" role="img" aria-label="trend over ${points.length} runs">${bars}</svg>`;
}

/** The trend section of a test page (its runs) or of a model/seed/source/snapshot page (its tests per run). */
function historyHtml(n: SiteNode): string {
  const fmtPct = (v: number | null) => (v === null ? '' : `${v < 0.01 && v > 0 ? v.toExponential(1) : v.toFixed(2)} %`);
  if (n.resource_type === 'test') {
    const pts = data.test_history?.[n.unique_id] ?? [];
    if (!pts.length) return '';
    const chart = trendSvg(pts.map((p) => ({ at: p.at, status: p.status, value: p.failures ?? 0, title: `${p.at}: ${p.status}, ${p.failures ?? '–'} failing rows${p.failure_pct !== null ? ` (${fmtPct(p.failure_pct)} of ${p.tested_rows})` : ''}` })));
    const rows = [...pts].reverse().map((p) => `<tr><td>${esc(p.at)}</td><td>${statusBadge(p.status)}</td><td>${p.failures ?? ''}</td><td>${p.tested_rows ?? ''}</td><td>${fmtPct(p.failure_pct)}</td></tr>`).join('');
    return `<section class="history" data-history="test"><h2>History <small>${pts.length} run${pts.length === 1 ? '' : 's'} in weir_test_history</small></h2>${chart}
      <table class="history-table"><thead><tr><th>Run</th><th>Status</th><th>Failing rows</th><th>Tested rows</th><th>Failing</th></tr></thead><tbody>${rows}</tbody></table></section>`;
  }
  const pts = data.model_history?.[n.unique_id] ?? [];
  if (!pts.length) return '';
  const chart = trendSvg(pts.map((p) => ({ at: p.at, status: p.failing ? 'fail' : p.warning ? 'warn' : 'pass', value: p.failures, title: `${p.at}: ${p.tests} tests, ${p.failing} failing, ${p.warning} warning, ${p.failures} failing rows` })));
  const rows = [...pts].reverse().map((p) => `<tr><td>${esc(p.at)}</td><td>${p.tests}</td><td>${p.failing ? statusBadge(`${p.failing} fail`) : '0'}</td><td>${p.warning}</td><td>${p.failures}</td></tr>`).join('');
  return `<section class="history" data-history="model"><h2>Test history <small>${pts.length} run${pts.length === 1 ? '' : 's'}</small></h2>${chart}
    <table class="history-table"><thead><tr><th>Run</th><th>Tests</th><th>Failing</th><th>Warning</th><th>Failing rows</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

// ---------------------------------------------------------------- graphs

function graphShell(toolbar: string): { area: HTMLElement; panel: HTMLElement } {
  main.innerHTML = `<div class="graph-view"><div class="toolbar">${toolbar}</div><div class="graph-body"><div class="graph-area" id="graph-area"></div><aside class="graph-panel" id="graph-panel"><p class="muted">Click a box to see it here; double-click to focus on it. Drag to pan, wheel to zoom.</p></aside></div></div>`;
  return { area: document.getElementById('graph-area')!, panel: document.getElementById('graph-panel')! };
}

function graphPage(params: URLSearchParams): void {
  const focus = params.get('focus') ?? '';
  const up = params.get('up') ?? '2';
  const down = params.get('down') ?? '2';
  const focusName = focus ? byId.get(focus)?.name ?? '' : '';
  const depth = (d: string) => (d === 'all' ? '' : d);
  const sel = params.get('select') ?? (focusName ? `${depth(up)}+${focusName}+${depth(down)}` : '');
  const depthOptions = (v: string) => ['0', '1', '2', '3', '5', 'all'].map((o) => `<option ${o === v ? 'selected' : ''}>${o}</option>`).join('');
  const { area, panel } = graphShell(`
    <label>Select <input id="selector" value="${esc(sel)}" placeholder="e.g. +customer_rfm, tag:marts, path:models/staging" size="40"></label>
    <button id="apply">Apply</button>
    ${focus ? `<label>Upstream <select id="up">${depthOptions(up)}</select></label><label>Downstream <select id="down">${depthOptions(down)}</select></label>` : ''}
    <button id="fit">Fit</button> <a href="#/graph">Whole project</a>
    <span id="graph-status" class="muted"></span><div id="selector-error" class="error" hidden></div>`);
  const status = document.getElementById('graph-status')!;
  const errBox = document.getElementById('selector-error')!;
  const input = document.getElementById('selector') as HTMLInputElement;
  const g = new GraphCanvas(area, {
    onSelect: (id) => {
      const n = id ? byId.get(id) : undefined;
      panel.innerHTML = n ? `<h3>${typeBadge(n.resource_type)} ${esc(n.name)}</h3><p>${esc(n.description) || '<span class="muted">No description.</span>'}</p>
        <p>${link(n.unique_id, 'Open page')} · <a href="#/graph?focus=${encodeURIComponent(n.unique_id)}&up=2&down=2">Focus</a></p>
        <p class="muted">${n.columns.length} columns · ${n.depends_on.length} parents · ${(children.get(n.unique_id) ?? []).filter((c) => GRAPH_TYPES.has(byId.get(c)?.resource_type ?? '')).length} children</p>` : '';
    },
    onOpen: (id) => (location.hash = `#/graph?focus=${encodeURIComponent(id)}&up=${up}&down=${down}`),
  });
  graph = g;
  window.__weirGraph = g;
  const show = () => {
    const text = input.value.trim();
    let ids: Set<string>;
    if (text) {
      const r = selector().select(text);
      if ('error' in r) {
        errBox.hidden = false;
        errBox.textContent = r.error;
        return;
      }
      ids = r.ids;
    } else ids = new Set(Object.keys(data.layout));
    errBox.hidden = true;
    const shown = [...ids].filter((id) => GRAPH_TYPES.has(byId.get(id)?.resource_type ?? ''));
    const whole = shown.length === Object.keys(data.layout).length;
    const edges = shown.flatMap((id) => byId.get(id)!.depends_on.filter((p) => ids.has(p)).map((p) => [p, id] as [string, string]));
    const pos = whole ? data.layout : layoutDag(shown.map((id) => ({ id, width: boxWidth(byId.get(id)!.name), height: BOX_HEIGHT })), edges);
    const nodes: CanvasNode[] = shown.map((id) => {
      const n = byId.get(id)!;
      return { id, label: n.name, x: pos[id].x, y: pos[id].y, width: boxWidth(n.name), height: BOX_HEIGHT, fill: COLORS[n.resource_type] ?? '#6b7280', emphasis: id === focus };
    });
    g.setGraph(nodes, edges.map(([from, to]) => ({ from, to })));
    status.textContent = `${nodes.length} nodes, ${edges.length} edges`;
    if (focus && ids.has(focus)) g.select(focus);
  };
  document.getElementById('apply')!.addEventListener('click', show);
  input.addEventListener('keydown', (e) => e.key === 'Enter' && show());
  document.getElementById('fit')!.addEventListener('click', () => g.fit());
  for (const id of ['up', 'down']) {
    document.getElementById(id)?.addEventListener('change', () => {
      const u = (document.getElementById('up') as HTMLSelectElement).value, d = (document.getElementById('down') as HTMLSelectElement).value;
      location.hash = `#/graph?focus=${encodeURIComponent(focus)}&up=${u}&down=${d}`;
    });
  }
  show();
}

/** Column-to-column graph around a model: its columns, their upstream columns (transitively) and direct consumers. */
function columnGraphPage(uid: string, params: URLSearchParams): void {
  const n = byId.get(uid);
  const rowKinds = params.get('rows') === '1';
  const { area, panel } = graphShell(`<b>Column lineage of ${n ? link(uid) : esc(uid)}</b>
    <label><input type="checkbox" id="rows" ${rowKinds ? 'checked' : ''}> include filters and join keys</label>
    <button id="fit">Fit</button>
    <span class="legend">${(Object.keys(KIND_COLORS) as LineageKind[]).map((k) => `<span class="kind kind-${k}">${k.replace('_', ' ')}</span>`).join(' ')}</span>
    <span id="graph-status" class="muted"></span>`);
  const key = (node: string, col: string) => `${node}::${col.toLowerCase()}`;
  const labels = new Map<string, string>();
  const edges: CanvasEdge[] = [];
  const seenEdge = new Set<string>();
  const addCol = (node: string, col: string) => {
    const k = key(node, col);
    if (!labels.has(k)) labels.set(k, `${byId.get(node)?.name ?? node}.${col}`);
    return k;
  };
  const want = (k: LineageKind) => rowKinds || (k !== 'filtered_by' && k !== 'join_key');
  // Upstream, transitively.
  const queue: [string, string][] = Object.keys(data.lineage[uid]?.columns ?? {}).map((c) => [uid, c]);
  const visited = new Set<string>();
  while (queue.length) {
    const [node, col] = queue.shift()!;
    const k = addCol(node, col);
    if (visited.has(k)) continue;
    visited.add(k);
    const l = data.lineage[node]?.columns;
    const entry = l && Object.entries(l).find(([c]) => c.toLowerCase() === col.toLowerCase())?.[1];
    for (const u of entry?.upstream ?? []) {
      if (!want(u.kind)) continue;
      const from = addCol(u.node, u.column);
      const ek = `${from}>${k}>${u.kind}`;
      if (!seenEdge.has(ek)) {
        seenEdge.add(ek);
        edges.push({ from, to: k, color: KIND_COLORS[u.kind], dashed: u.kind === 'filtered_by' || u.kind === 'join_key' });
      }
      queue.push([u.node, u.column]);
    }
  }
  // Direct consumers of this model's columns.
  for (const [other, l] of Object.entries(data.lineage)) {
    for (const [col, entry] of Object.entries(l.columns)) {
      for (const u of entry.upstream) {
        if (u.node !== uid || !want(u.kind)) continue;
        const from = addCol(uid, u.column), to = addCol(other, col);
        edges.push({ from, to, color: KIND_COLORS[u.kind], dashed: u.kind === 'filtered_by' || u.kind === 'join_key' });
      }
    }
  }
  const ids = [...labels.keys()];
  const pos = layoutDag(ids.map((id) => ({ id, width: boxWidth(labels.get(id)!), height: BOX_HEIGHT })), edges.map((e) => [e.from, e.to] as [string, string]));
  const g = new GraphCanvas(area, {
    onSelect: (id) => {
      if (!id) return void (panel.innerHTML = '');
      const [node, col] = id.split('::');
      const l = data.lineage[node]?.columns;
      const entry = l && Object.entries(l).find(([c]) => c.toLowerCase() === col)?.[1];
      panel.innerHTML = `<h3>${esc(labels.get(id))}</h3><p>${link(node, 'Open page')} · <a href="#/columns/${encodeURIComponent(node)}">its column graph</a></p>${entry ? `<ul>${entry.upstream.map((u) => `<li>${esc(byId.get(u.node)?.name ?? u.node)}.${esc(u.column)} <span class="kind kind-${u.kind}">${u.kind}</span></li>`).join('')}</ul>${entry.derived_by ? `<p class="derived muted">${esc(entry.derived_by)}</p>` : ''}${entry.unresolved.map((x) => `<p class="unresolved">${esc(x)}</p>`).join('')}` : ''}`;
    },
    onOpen: (id) => (location.hash = `#/columns/${encodeURIComponent(id.split('::')[0])}`),
  });
  graph = g;
  window.__weirGraph = g;
  g.setGraph(ids.map((id) => {
    const node = id.split('::')[0];
    return { id, label: labels.get(id)!, x: pos[id].x, y: pos[id].y, width: boxWidth(labels.get(id)!), height: BOX_HEIGHT, fill: COLORS[byId.get(node)?.resource_type ?? ''] ?? '#6b7280', emphasis: node === uid };
  }), edges);
  document.getElementById('graph-status')!.textContent = `${ids.length} columns, ${edges.length} edges`;
  document.getElementById('fit')!.addEventListener('click', () => g.fit());
  document.getElementById('rows')!.addEventListener('change', (e) => {
    location.hash = `#/columns/${encodeURIComponent(uid)}${(e.target as HTMLInputElement).checked ? '?rows=1' : ''}`;
  });
}

route();
