/**
 * `--log-format json`: one JSON object per line, fields as in {@link WeirEvent}, plus dbt's envelope
 * (`info`, `data`: see dbt-envelope.ts) so dbt's log parsers read the same lines.
 */
import { dbtEnvelope } from './dbt-envelope.js';
import type { Reporter, WeirEvent } from './events.js';

/** Writes events as JSON lines. */
export class JsonReporter implements Reporter {
  constructor(private readonly out: NodeJS.WritableStream) {}
  emit(event: WeirEvent): void {
    this.out.write(`${JSON.stringify({ ...event, ...dbtEnvelope(event) })}\n`);
  }
}
