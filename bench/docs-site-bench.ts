/**
 * The docs site of a large project in a real browser (the browser tests' set-up: Debian's /usr/bin/chromium,
 * headless, driven by playwright-core, the site opened from file://). `weir docs generate` writes the site of
 * a generated layered project of about `targetNodes` nodes (models, seeds, sources and their tests); the
 * bench then measures, in fresh pages, medians of `reps`:
 * - opening the site on its lineage graph (`index.html#/graph`): navigation start to the whole-project
 *   graph drawn on the canvas (the first animation frame after the graph was set), with the site's data
 *   file loaded and parsed and the sidebar built;
 * - opening the overview page (`index.html`): navigation start to the overview rendered;
 * - interactions on the open graph page, each timed inside the page from the input event to the next frame
 *   painted (no automation round trips): the last keystroke of a model's name in the search box (results
 *   listed), a click on a box (selected, side panel filled), a wheel zoom on the whole graph (redrawn), and
 *   following a link to the model's page (rendered);
 * - the longest main-thread task after the graph was first drawn (PerformanceObserver `longtask`, tasks
 *   over 50 ms are reported by the browser): "stays interactive" means no long task while the page is used.
 * Not a test: nothing is asserted about time; the figures go to BENCHMARKS.md.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { generateLayeredProject } from './generate-project.js';
import { runWeir } from './cli.js';
import { log, median } from './util.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Results of {@link benchDocsSite}; times in ms. */
export interface DocsSiteResult {
  readonly models: number;
  /** Nodes in the site's data (every resource type) and boxes in the whole-project graph. */
  readonly siteNodes: number;
  readonly graphNodes: number;
  readonly graphEdges: number;
  readonly siteMiB: number;
  readonly generateMs: number;
  readonly reps: number;
  readonly graphOpenMs: number;
  readonly overviewOpenMs: number;
  readonly searchMs: number;
  readonly selectMs: number;
  readonly zoomMs: number;
  readonly openPageMs: number;
  readonly longestTaskMs: number;
  readonly chromium: string;
}

/** The site's graph and data sizes, read from the generated data file. */
function siteSizes(docsDir: string): { siteNodes: number; graphNodes: number; graphEdges: number; siteMiB: number; probe: string } {
  const ctx: { window: { __WEIR_DOCS__?: unknown } } = { window: {} };
  vm.runInNewContext(readFileSync(path.join(docsDir, 'weir-docs-data.js'), 'utf8'), ctx);
  const data = ctx.window.__WEIR_DOCS__ as { nodes: { depends_on: string[]; unique_id: string; name: string; resource_type: string }[]; layout: Record<string, unknown> };
  // the model searched for and opened: an intermediate model in the middle of the project
  const ints = data.nodes.filter((n) => n.resource_type === 'model' && n.name.startsWith('int_')).map((n) => n.name).sort();
  const probe = ints[Math.floor(ints.length / 2)] ?? data.nodes[0].name;
  const inGraph = new Set(Object.keys(data.layout));
  let edges = 0;
  for (const n of data.nodes) if (inGraph.has(n.unique_id)) for (const p of n.depends_on) if (inGraph.has(p)) edges++;
  let bytes = 0;
  for (const f of ['weir-docs-data.js', 'weir-docs.js', 'index.html', 'weir-docs.css']) if (existsSync(path.join(docsDir, f))) bytes += statSync(path.join(docsDir, f)).size;
  return { siteNodes: data.nodes.length, graphNodes: inGraph.size, graphEdges: edges, siteMiB: bytes / 1024 / 1024, probe };
}

/** Models of the layered generator that give about `targetNodes` site nodes (measured ratio ~2.9 nodes per model). */
export function modelsForNodes(targetNodes: number): number {
  return Math.round(targetNodes / 2.95);
}

/** In-page code: resolves after the next frame has been painted (two animation frames). */
const NEXT_PAINT = 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))';

/**
 * Runs the measurement.
 * @param bin the bench's copy of bin/weir.js
 * @param reuseSite keep a site generated earlier in `tmpDir` (for working on the site's code; generation time 0)
 * @throws Error when Chromium is missing or the site misbehaves (no graph, a page error)
 */
export async function benchDocsSite(tmpDir: string, bin: string, targetNodes: number, reps: number, reuseSite = false): Promise<DocsSiteResult> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y --no-install-recommends chromium), as .ci/run does`);
  const { chromium } = await import('playwright-core');
  const models = modelsForNodes(targetNodes);
  const root = path.join(tmpDir, `docs-site-${models}`);
  const reuse = reuseSite && existsSync(path.join(root, 'target', 'docs', 'weir-docs-data.js'));
  if (!reuse) {
    rmSync(root, { recursive: true, force: true });
    generateLayeredProject(root, models);
    log(`docs-site: ${models} models: weir docs generate`);
  }
  const gen = reuse ? { wallMs: 0 } : runWeir(bin, ['docs', 'generate', '-q'], root);
  const docsDir = path.join(root, 'target', 'docs');
  const sizes = siteSizes(docsDir);
  log(`docs-site: generated in ${Math.round(gen.wallMs)} ms: ${sizes.siteNodes} nodes, ${sizes.graphNodes} in the graph, ${sizes.siteMiB.toFixed(1)} MiB`);
  const url = pathToFileURL(path.join(docsDir, 'index.html')).href;
  const profile = mkdtempSync(path.join(os.tmpdir(), 'weir-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const errors: string[] = [];
  await context.route(/^(?!file:)/, (route) => {
    errors.push(`network request to ${route.request().url()}`);
    return route.abort();
  });
  const m = { graph: [] as number[], overview: [] as number[], search: [] as number[], select: [] as number[], zoom: [] as number[], page: [] as number[], longest: [] as number[] };
  try {
    for (let i = 0; i < reps; i++) {
      // Overview first (a fresh page each time: nothing cached but what the browser caches of files).
      const p0 = await context.newPage();
      p0.on('pageerror', (e) => errors.push(String(e)));
      await p0.goto(url, { waitUntil: 'commit' });
      await p0.waitForSelector('#main h1, #main h2', { state: 'attached', timeout: 120_000 });
      // performance.now() counts from the start of the navigation (the document's time origin)
      m.overview.push((await p0.evaluate(NEXT_PAINT)) as number);
      await p0.close();

      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(String(e)));
      // Long tasks (> 50 ms on the main thread), as the browser reports them.
      await page.addInitScript({ content: 'window.__longTasks = []; new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: "longtask", buffered: true });' });
      await page.goto(`${url}#/graph`, { waitUntil: 'commit' });
      await page.waitForFunction('window.__weirGraph && window.__weirGraph.nodeIds().length > 0', undefined, { timeout: 120_000, polling: 20 });
      m.graph.push((await page.evaluate(NEXT_PAINT)) as number);
      const shown = (await page.evaluate('window.__weirGraph.nodeIds().length')) as number;
      if (shown !== sizes.graphNodes) throw new Error(`docs-site: the graph shows ${shown} boxes, the data has ${sizes.graphNodes}`);
      await page.evaluate('window.__longTasks.length = 0');

      // Interactions, each timed in the page from the event to the next paint (no automation round trips):
      // the last keystroke of a model's name in the search box (results listed) ...
      const target = sizes.probe;
      m.search.push((await page.evaluate(`(async () => {
        const box = document.getElementById('search');
        box.value = ${JSON.stringify(target.slice(0, -1))};
        box.dispatchEvent(new Event('input', { bubbles: true }));
        await ${NEXT_PAINT};
        const t = performance.now();
        box.value = ${JSON.stringify(target)};
        box.dispatchEvent(new Event('input', { bubbles: true }));
        if (!document.querySelector('#search-results li a[data-uid]')) throw new Error('no search result for ${target}');
        return (await ${NEXT_PAINT}) - t;
      })()`)) as number);
      await page.keyboard.press('Escape');

      // ... a click on a box (selected, side panel filled) ...
      const uid = (await page.evaluate(`window.__weirGraph.nodeIds().find((id) => id.endsWith(${JSON.stringify(`.${target}`)}))`)) as string;
      await page.evaluate(`window.__weirGraph.centerOn(${JSON.stringify(uid)})`);
      await page.evaluate(NEXT_PAINT);
      m.select.push((await page.evaluate(`(async () => {
        const g = window.__weirGraph, c = g.canvas, p = g.clientPosition(${JSON.stringify(uid)});
        const t = performance.now();
        const o = { clientX: p.x, clientY: p.y, bubbles: true, pointerId: 1, isPrimary: true };
        c.dispatchEvent(new PointerEvent('pointerdown', o));
        c.dispatchEvent(new PointerEvent('pointerup', o));
        if (g.selection() !== ${JSON.stringify(uid)} || !document.querySelector('#graph-panel h3')) throw new Error('the click did not select ${uid}');
        return (await ${NEXT_PAINT}) - t;
      })()`)) as number);

      // ... a wheel zoom on the whole graph (every box and edge in view drawn again) ...
      await page.evaluate('window.__weirGraph.fit()');
      await page.evaluate(NEXT_PAINT);
      m.zoom.push((await page.evaluate(`(async () => {
        const c = window.__weirGraph.canvas, r = c.getBoundingClientRect();
        const t = performance.now();
        c.dispatchEvent(new WheelEvent('wheel', { clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, deltaY: -120, bubbles: true, cancelable: true }));
        return (await ${NEXT_PAINT}) - t;
      })()`)) as number);

      // ... and opening the model's page (a link followed: the hash route renders it).
      m.page.push((await page.evaluate(`(async () => {
        const t = performance.now();
        location.hash = '#/node/' + encodeURIComponent(${JSON.stringify(uid)});
        await new Promise((r) => addEventListener('hashchange', r, { once: true }));
        if (!document.querySelector('#main .node-head h1')) throw new Error('the page of ${uid} was not rendered');
        return (await ${NEXT_PAINT}) - t;
      })()`)) as number);
      m.longest.push(Math.max(0, ...((await page.evaluate('window.__longTasks')) as number[])));
      await page.close();
      log(`docs-site rep ${i + 1}/${reps}: graph ${Math.round(m.graph[i])} ms, overview ${Math.round(m.overview[i])} ms, search ${Math.round(m.search[i])} ms, select ${Math.round(m.select[i])} ms, zoom ${Math.round(m.zoom[i])} ms, page ${Math.round(m.page[i])} ms, longest task after load ${Math.round(m.longest[i])} ms`);
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  if (errors.length) throw new Error(`docs-site: the page reported errors: ${errors.slice(0, 5).join('; ')}`);
  const version = (await import('node:child_process')).execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim();
  const { probe: _probe, ...shown } = sizes;
  return {
    models, ...shown, generateMs: gen.wallMs, reps, chromium: version,
    graphOpenMs: median(m.graph), overviewOpenMs: median(m.overview), searchMs: median(m.search), selectMs: median(m.select), zoomMs: median(m.zoom), openPageMs: median(m.page), longestTaskMs: median(m.longest),
  };
}
