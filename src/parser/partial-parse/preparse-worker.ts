/**
 * Worker thread of {@link TemplatePreparse} (preparse.ts): parses the templates it is given with the same
 * functions as the main thread and answers, per template, the partial-parse cache entry (facts and render
 * plan) — or null for a template with any problem, which the main thread then parses itself so that it
 * reports the problem. Posts exactly one answer, then raises the shared `done` flag.
 */
import { workerData } from 'node:worker_threads';
import type { WeirError } from '../../errors/weir-error.js';
import { collectFacts, parseTemplate } from '../../compiler/template.js';
import { encodeTemplatePlan } from '../../compiler/template-plan.js';
import type { CachedTemplate } from './parse-cache.js';
import type { PreparseAnswer, PreparseRequest } from './preparse.js';

const { templates, port, done } = workerData as PreparseRequest;

function parseOne(file: string, raw: string): CachedTemplate | null {
  try {
    const ast = parseTemplate(raw, file);
    const problems: WeirError[] = [];
    const facts = collectFacts(ast, file, problems);
    if (problems.length > 0) return null;
    return { facts, plan: encodeTemplatePlan(ast, raw) };
  } catch {
    return null;
  }
}

let answer: PreparseAnswer;
try {
  answer = { results: templates.map(([file, raw]) => parseOne(file, raw)) };
} catch (e) {
  answer = { error: e instanceof Error ? e.message : String(e) };
}
try {
  port.postMessage(answer);
} catch (e) {
  port.postMessage({ error: `answer not sent: ${e instanceof Error ? e.message : String(e)}` } satisfies PreparseAnswer);
} finally {
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
}
