/**
 * Parsing templates on a second thread. A cold load of a large project spends about as long parsing its
 * SQL templates (Handlebars' parser) as parsing its schema YAML; the two are independent, so once the loader
 * has found every file (its `filesFound` hook, see index.ts) the templates go to a worker thread
 * (preparse-worker.ts) while the loader parses the YAML, and the parse phase then takes each template's
 * results from the worker instead of parsing it again.
 *
 * The worker computes exactly what a partial-parse cache entry holds (see parse-cache.ts): the template
 * facts and the render plan, by the same functions the main thread uses (`parseTemplate`, `collectFacts`,
 * `encodeTemplatePlan`). It returns results only for templates that parse without any problem; the main
 * thread parses every other template itself, so syntax errors, dynamic refs and the like are reported
 * exactly as without the worker, in the same order. Anything going wrong with the worker (it can't start,
 * it fails, it doesn't answer in time) leaves every template to the main thread.
 *
 * The parse phase is synchronous, so the main thread waits for the worker's answer with `Atomics.wait` on a
 * shared flag and reads it with `receiveMessageOnPort`
 * (https://nodejs.org/docs/latest-v20.x/api/worker_threads.html#workerreceivemessageonportport).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { CachedTemplate } from './parse-cache.js';

/**
 * Templates to parse below which no worker is started (`auto` mode): starting one (a V8 isolate, then
 * Handlebars and the compiler modules) costs about as much as parsing a couple of thousand templates.
 */
export const PREPARSE_MIN_TEMPLATES = 2000;

/** How long the parse phase waits for the worker before parsing everything itself (ms). */
const ANSWER_TIMEOUT_MS = 60_000;

/** One template to parse: its project-relative path (named by messages) and text. */
export interface TemplateSource {
  readonly file: string;
  readonly raw: string;
}

/** What the worker is given (`workerData`). */
export interface PreparseRequest {
  readonly templates: readonly (readonly [file: string, raw: string])[];
  readonly port: MessagePort;
  /** Int32Array over a SharedArrayBuffer; the worker sets element 0 to 1 once it has posted its answer. */
  readonly done: Int32Array;
}

/** The worker's answer: per template (in request order) its cache entry, or null when the main thread must parse it. */
export type PreparseAnswer = { readonly results: readonly (CachedTemplate | null)[] } | { readonly error: string };

/**
 * The compiled worker module, preparse-worker.js next to this one (absent when running from TypeScript
 * sources, e.g. under vitest). The worker runs the compiler's template parse functions; this module only
 * starts it and reads its answers.
 */
function workerFile(): string | undefined {
  const self = fileURLToPath(import.meta.url);
  if (!self.endsWith('.js')) return undefined;
  const file = fileURLToPath(new URL('./preparse-worker.js', import.meta.url));
  return existsSync(file) ? file : undefined;
}

/**
 * Template parse results computed on a worker thread, taken by the parse phase (see the module comment).
 * Never throws: every failure means "not preparsed", and the caller parses the template itself.
 */
export class TemplatePreparse {
  private results: Map<string, { raw: string; value: CachedTemplate }> | undefined;
  private answered = false;
  /** Templates sent to the worker. */
  readonly sent: number;
  /** Templates whose results were taken from the worker (for tests and diagnostics). */
  taken = 0;
  /** Why the worker's results could not be used, if so (`timeout`, or the worker's error message). */
  failure?: string;

  private constructor(private readonly worker: Worker, private readonly port: MessagePort, private readonly done: Int32Array, private readonly templates: readonly TemplateSource[]) {
    this.sent = templates.length;
  }

  /**
   * Starts parsing `templates` on a worker thread.
   * @returns undefined when there is nothing to parse or no worker can be started (the compiled worker module
   *   is missing, or the runtime refuses a thread)
   */
  static start(templates: readonly TemplateSource[]): TemplatePreparse | undefined {
    const file = workerFile();
    if (!file || templates.length === 0) return undefined;
    try {
      const { port1, port2 } = new MessageChannel();
      const done = new Int32Array(new SharedArrayBuffer(4));
      const request: PreparseRequest = { templates: templates.map((t) => [t.file, t.raw] as const), port: port2, done };
      const worker = new Worker(file, { workerData: request, transferList: [port2] });
      worker.unref();
      worker.on('error', () => { /* reported through the answer (or its absence) */ });
      return new TemplatePreparse(worker, port1, done, templates);
    } catch {
      return undefined;
    }
  }

  /**
   * The worker's results for `file` (facts, and the render plan when the template has one), or undefined
   * when the caller must parse it itself. The first call waits for the worker's answer.
   */
  take(file: string, raw: string): CachedTemplate | undefined {
    if (!this.answered) this.receive();
    const r = this.results?.get(file);
    if (!r || r.raw !== raw) return undefined;
    this.taken++;
    return r.value;
  }

  /** Stops the worker (its results are not needed, e.g. the load failed). */
  cancel(): void {
    if (this.answered) return;
    this.answered = true;
    this.port.close();
    void this.worker.terminate();
  }

  private receive(): void {
    this.answered = true;
    if (Atomics.wait(this.done, 0, 0, ANSWER_TIMEOUT_MS) === 'timed-out') {
      this.failure = 'timeout';
      this.port.close();
      void this.worker.terminate();
      return;
    }
    const msg = receiveMessageOnPort(this.port)?.message as PreparseAnswer | undefined;
    this.port.close();
    if (!msg || !('results' in msg) || msg.results.length !== this.templates.length) {
      this.failure = msg && 'error' in msg ? msg.error : 'no answer';
      return;
    }
    this.results = new Map();
    for (let i = 0; i < this.templates.length; i++) {
      const value = msg.results[i];
      if (value) this.results.set(this.templates[i].file, { raw: this.templates[i].raw, value });
    }
  }
}
