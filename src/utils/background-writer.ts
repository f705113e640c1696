/**
 * Writing many output files on a worker thread (background-writer-worker.ts) while this thread goes on:
 * `compile` writes one file of compiled SQL per node (30,000 on a large project), and the main thread can
 * meanwhile build and serialize manifest.json. Files are written with {@link writeFileIfChanged}, in the
 * order queued, exactly as the main thread would write them.
 *
 * Failures behave as if the main thread had written the files itself: the worker stops at the first file it
 * can't write and reports its position; {@link BackgroundWriter.finish} then writes from that file on here,
 * so the file system's own error is thrown for the same file, and no later file has been written. If the
 * worker does not answer (it died, or hangs longer than a minute), every queued file is written here
 * (unchanged files are left alone, so repeating a write is harmless).
 *
 * `finish` is synchronous (compile is): it waits with `Atomics.wait` on a shared flag and reads the answer
 * with `receiveMessageOnPort` (https://nodejs.org/docs/latest-v20.x/api/worker_threads.html).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { writeFileIfChanged } from './write-file.js';

/** Compiled files from which `compile` writes them on a worker thread (fewer are not worth starting one). */
export const BACKGROUND_WRITES_MIN = 2000;

/** Files per message to the worker. */
const BATCH = 500;
/** How long {@link BackgroundWriter.finish} waits for the worker (ms). */
const ANSWER_TIMEOUT_MS = 60_000;

/** A message to the worker: files to write, or the end of the queue. */
export type WriterRequest = { readonly files: readonly (readonly [file: string, text: string])[] } | { readonly end: true };
/** The worker's one answer: how many files it was given, and the position of the first it could not write. */
export interface WriterAnswer {
  readonly received: number;
  readonly failedAt?: number;
  /** Size, mtime and ctime (ms) of each file once written, 3 numbers per file in queue order; NaN where unknown. */
  readonly stamps?: Float64Array;
}

/** A written file's size, mtime and ctime (ms), as {@link BackgroundWriter.finish} returns them. */
export type FileStamp = readonly [size: number, mtimeMs: number, ctimeMs: number];

/** The compiled worker module next to this one (absent when running from TypeScript sources). */
function workerFile(): string | undefined {
  const self = fileURLToPath(import.meta.url);
  if (!self.endsWith('.js')) return undefined;
  const file = self.replace(/background-writer\.js$/, 'background-writer-worker.js');
  return existsSync(file) ? file : undefined;
}

/** Files written on a worker thread (see the module comment). */
export class BackgroundWriter {
  private readonly queued: (readonly [string, string])[] = [];
  private batch: (readonly [string, string])[] = [];
  private finished = false;

  private constructor(private readonly worker: Worker, private readonly port: MessagePort, private readonly done: Int32Array) {}

  /**
   * Starts the worker.
   * @returns undefined when no worker can be started (then write the files yourself)
   */
  static start(): BackgroundWriter | undefined {
    const file = workerFile();
    if (!file) return undefined;
    try {
      const { port1, port2 } = new MessageChannel();
      const done = new Int32Array(new SharedArrayBuffer(4));
      const worker = new Worker(file, { workerData: { port: port2, done }, transferList: [port2] });
      worker.unref();
      worker.on('error', () => { /* seen by finish() as a missing answer */ });
      return new BackgroundWriter(worker, port1, done);
    } catch {
      return undefined;
    }
  }

  /** Queues `text` to be written to `file` (see {@link writeFileIfChanged}). */
  write(file: string, text: string): void {
    if (this.finished) throw new Error('BackgroundWriter: write after finish');
    const entry = [file, text] as const;
    this.queued.push(entry);
    this.batch.push(entry);
    if (this.batch.length >= BATCH) this.flush();
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    this.port.postMessage({ files: this.batch } satisfies WriterRequest);
    this.batch = [];
  }

  /** Stops the worker without waiting (nothing more will be written; a no-op after {@link finish}). */
  cancel(): void {
    if (this.finished) return;
    this.finished = true;
    this.port.close();
    void this.worker.terminate();
  }

  /**
   * Waits until every queued file is written.
   * @returns each queued file's stamp once written, in queue order (undefined where it could not be read;
   *   every entry undefined after a second call)
   * @throws the file system's error for the first file that can't be written (as {@link writeFileIfChanged})
   */
  finish(): (FileStamp | undefined)[] {
    const out: (FileStamp | undefined)[] = new Array<FileStamp | undefined>(this.queued.length);
    if (this.finished) return out;
    this.finished = true;
    this.flush();
    this.port.postMessage({ end: true } satisfies WriterRequest);
    let from = 0;
    if (Atomics.wait(this.done, 0, 0, ANSWER_TIMEOUT_MS) === 'timed-out') {
      void this.worker.terminate();
    } else {
      const answer = receiveMessageOnPort(this.port)?.message as WriterAnswer | undefined;
      if (answer && answer.received === this.queued.length) {
        from = answer.failedAt ?? this.queued.length;
        const st = answer.stamps;
        if (st && st.length === 3 * this.queued.length) for (let i = 0; i < from; i++) if (!Number.isNaN(st[3 * i])) out[i] = [st[3 * i], st[3 * i + 1], st[3 * i + 2]];
      }
    }
    this.port.close();
    for (let i = from; i < this.queued.length; i++) writeFileIfChanged(this.queued[i][0], this.queued[i][1], undefined, (s) => (out[i] = [s.size, s.mtimeMs, s.ctimeMs]));
    return out;
  }
}
