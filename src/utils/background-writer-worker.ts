/**
 * Worker thread of {@link BackgroundWriter} (background-writer.ts): writes the files it is sent, in order,
 * with writeFileIfChanged, stopping at the first failure; on the end message answers how many files it got
 * and where it stopped, then raises the shared `done` flag.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import type { WriterAnswer, WriterRequest } from './background-writer.js';
import { writeFileIfChanged } from './write-file.js';

const { port, done } = workerData as { port: MessagePort; done: Int32Array };
let received = 0;
let failedAt: number | undefined;

port.on('message', (m: WriterRequest) => {
  if ('files' in m) {
    for (const [file, text] of m.files) {
      if (failedAt === undefined) {
        try {
          writeFileIfChanged(file, text);
        } catch {
          failedAt = received; // the main thread writes it again and reports the error
        }
      }
      received++;
    }
    return;
  }
  try {
    port.postMessage({ received, failedAt } satisfies WriterAnswer);
  } finally {
    port.unref(); // nothing more will come: let the thread end
    Atomics.store(done, 0, 1);
    Atomics.notify(done, 0);
  }
});
