/**
 * `--log-format json`: one JSON object per line, fields as in {@link WeirEvent}.
 */
import type { Reporter, WeirEvent } from './events.js';

/** Writes events as JSON lines. */
export class JsonReporter implements Reporter {
  constructor(private readonly out: NodeJS.WritableStream) {}
  emit(event: WeirEvent): void {
    this.out.write(`${JSON.stringify(event)}\n`);
  }
}
