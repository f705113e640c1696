/**
 * `--log-format json`: one JSON object per line, fields as in {@link WeirEvent}, plus dbt's envelope
 * (`info`, `data`: see dbt-envelope.ts) so dbt's log parsers read the same lines.
 *
 * The lines of node starts and finishes are written together once the process has nothing left to do but
 * wait (`setImmediate`: while the engine runs the next node's statement), not one write each between two
 * statements: a run of 500 views spent ~30 ms of its main thread writing them one by one to a pipe. Every
 * other event writes what is pending and itself at once, and so do {@link JsonReporter.close} and the
 * process's `exit`: the output holds the same lines in the same order.
 */
import { dbtEnvelope } from './dbt-envelope.js';
import type { Reporter, WeirEvent } from './events.js';

/** Reporters holding node lines not yet written (written on `exit` if still pending). */
const pending = new Set<JsonReporter>();
let exitHooked = false;

/** Writes events as JSON lines. */
export class JsonReporter implements Reporter {
  private lines = '';
  private scheduled = false;
  constructor(private readonly out: NodeJS.WritableStream) {}
  emit(event: WeirEvent): void {
    const line = `${JSON.stringify({ ...event, ...dbtEnvelope(event) })}\n`;
    if (event.code !== 'WEIR_NODE_START' && event.code !== 'WEIR_NODE_FINISH') {
      const all = this.lines + line;
      this.lines = '';
      pending.delete(this);
      this.out.write(all);
      return;
    }
    this.lines += line;
    pending.add(this);
    if (this.scheduled) return;
    this.scheduled = true;
    if (!exitHooked) {
      exitHooked = true;
      process.once('exit', () => { for (const r of [...pending]) r.flush(); });
    }
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** Writes the node lines not yet written. */
  flush(): void {
    pending.delete(this);
    if (!this.lines) return;
    const all = this.lines;
    this.lines = '';
    this.out.write(all);
  }

  close(): void {
    this.flush();
  }
}
