/**
 * Worker thread of {@link BackgroundWriter} (background-writer.ts): writes the files it is sent, in order,
 * with writeFileIfChanged, stopping at the first failure; on the end message answers how many files it got,
 * where it stopped and the files' stamps, then raises the shared `done` flag.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import type { WriterAnswer, WriterRequest } from './background-writer.js';
import { writeFileIfChanged } from './write-file.js';

const { port, done } = workerData as { port: MessagePort; done: Int32Array };
let received = 0;
let failedAt: number | undefined;
/** Size, mtime and ctime (ms) of each file written, NaN where unknown. */
let stamps = new Float64Array(4096).fill(NaN);

port.on('message', (m: WriterRequest) => {
  if ('files' in m) {
    for (const [file, text] of m.files) {
      if (failedAt === undefined) {
        try {
          if (stamps.length < 3 * (received + 1)) {
            const grown = new Float64Array(stamps.length * 2).fill(NaN);
            grown.set(stamps);
            stamps = grown;
          }
          const at = 3 * received;
          writeFileIfChanged(file, text, undefined, (st) => {
            stamps[at] = st.size;
            stamps[at + 1] = st.mtimeMs;
            stamps[at + 2] = st.ctimeMs;
          });
        } catch {
          failedAt = received; // the main thread writes it again and reports the error
        }
      }
      received++;
    }
    return;
  }
  try {
    const used = stamps.slice(0, 3 * received);
    port.postMessage({ received, failedAt, stamps: used } satisfies WriterAnswer, [used.buffer]);
  } finally {
    port.unref(); // nothing more will come: let the thread end
    Atomics.store(done, 0, 1);
    Atomics.notify(done, 0);
  }
});
