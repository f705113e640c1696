/**
 * The terminal reporter: one line per node (index, status, relation, rows, seconds) as dbt prints,
 * a summary at the end, and a progress bar (cli-progress, on stderr) when writing to a terminal.
 */
import pc from 'picocolors';
import type cliProgress from 'cli-progress';
import { createRequire } from 'node:module';
import type { NodeFinishEvent, Reporter, WeirEvent } from './events.js';

/** Options of {@link TextReporter}. */
export interface TextReporterOptions {
  /** Colourize output (default: stream is a TTY and NO_COLOR unset). */
  readonly color?: boolean;
  /** Only warnings, errors and the summary. */
  readonly quiet?: boolean;
  /** Show a progress bar on stderr (default: stderr is a TTY). */
  readonly progress?: boolean;
  readonly err?: NodeJS.WritableStream;
}

/** cli-progress (CommonJS) is loaded when a bar is first shown: most commands never show one (start-up cost). */
const requireLazy = createRequire(import.meta.url);

const STATUS_TEXT: Record<string, string> = {
  success: 'OK', error: 'ERROR', skipped: 'SKIP', pass: 'PASS', fail: 'FAIL', warn: 'WARN', reused: 'REUSE',
};

/** Human-readable reporter. */
export class TextReporter implements Reporter {
  private readonly c: ReturnType<typeof pc.createColors>;
  private bar?: cliProgress.SingleBar;
  /** Nodes finished: the bar's value, kept as an integer here (restarting the bar from its progress ratio times the total gave 97.99999999999999/121). */
  private done = 0;
  private readonly failures: NodeFinishEvent[] = [];

  constructor(private readonly out: NodeJS.WritableStream, private readonly o: TextReporterOptions = {}) {
    const tty = (out as NodeJS.WriteStream).isTTY === true;
    this.c = pc.createColors(o.color ?? (tty && !process.env.NO_COLOR));
  }

  private line(s: string): void {
    if (this.bar) {
      this.bar.stop();
      this.out.write(`${s}\n`);
      this.bar.start(this.bar.getTotal(), this.done);
    } else this.out.write(`${s}\n`);
  }

  emit(e: WeirEvent): void {
    const c = this.c;
    const time = pc.dim(new Date(e.ts).toISOString().slice(11, 19));
    switch (e.code) {
      case 'WEIR_RUN_START': {
        if (!this.o.quiet) this.line(`${time}  Running ${e.command} on target '${e.target}' (${e.adapter_type}): ${e.node_count} node${e.node_count === 1 ? '' : 's'}, ${e.threads} thread${e.threads === 1 ? '' : 's'}`);
        const err = this.o.err ?? process.stderr;
        const showBar = this.o.progress ?? ((err as NodeJS.WriteStream).isTTY === true && !this.o.quiet);
        if (showBar && e.node_count > 0) {
          const cp = requireLazy('cli-progress') as typeof cliProgress;
          this.bar = new cp.SingleBar({ stream: err, format: ' {bar} {value}/{total} nodes', hideCursor: false, clearOnComplete: true }, cp.Presets.shades_classic);
          this.done = 0;
          this.bar.start(e.node_count, 0);
        }
        break;
      }
      case 'WEIR_NODE_START':
        break;
      case 'WEIR_NODE_FINISH': {
        if (this.bar) {
          this.done += 1;
          this.bar.update(this.done);
        }
        if (e.status === 'error' || e.status === 'fail' || e.status === 'warn') this.failures.push(e);
        if (this.o.quiet && (e.status === 'success' || e.status === 'pass' || e.status === 'skipped' || e.status === 'reused')) break;
        const colour = e.status === 'success' || e.status === 'pass' || e.status === 'reused' ? c.green : e.status === 'skipped' ? c.yellow : e.status === 'warn' ? c.yellow : c.red;
        const what = e.resource_type === 'test' ? `test ${shortName(e.node_id)}` : `${e.materialized ?? e.resource_type} ${e.relation ?? shortName(e.node_id)}`;
        let detail = '';
        if (e.status === 'skipped' || e.status === 'reused') detail = e.message ? ` (${e.message})` : '';
        else if (e.resource_type === 'test') detail = e.failures ? ` [${e.failures} failing row${e.failures === 1 ? '' : 's'} in ${e.execution_time.toFixed(2)}s]` : ` [in ${e.execution_time.toFixed(2)}s]`;
        else detail = ` [${e.rows_affected !== undefined ? `${e.rows_affected} rows, ` : ''}${e.execution_time.toFixed(2)}s]`;
        const idx = `${String(e.index).padStart(String(e.total).length)} of ${e.total}`;
        this.line(`${time}  ${idx} ${colour(STATUS_TEXT[e.status].padEnd(5))} ${what}${detail}`);
        break;
      }
      case 'WEIR_RUN_END': {
        this.bar?.stop();
        this.bar = undefined;
        if (this.failures.length) {
          this.line('');
          for (const f of this.failures) {
            const colour = f.status === 'warn' ? c.yellow : c.red;
            this.line(colour(`${STATUS_TEXT[f.status]} ${f.node_id}`));
            if (f.message) this.line(`  ${f.message.replace(/\n/g, '\n  ')}`);
          }
        }
        const k = e.counts;
        const parts = [`PASS=${k.pass + k.success}`, ...(k.reused ? [`REUSED=${k.reused}`] : []), `WARN=${k.warn}`, `ERROR=${k.error + k.fail}`, `SKIP=${k.skipped}`, `TOTAL=${Object.values(k).reduce((a, b) => a + b, 0)}`];
        this.line(`\n${time}  ${e.success ? c.green('Completed successfully') : c.red('Completed with errors')} in ${e.elapsed.toFixed(2)}s  ${parts.join(' ')}`);
        break;
      }
      case 'WEIR_WARNING':
        this.line(`${time}  ${c.yellow('WARN')} ${e.message}`);
        break;
      case 'WEIR_ERROR':
        this.line(`${time}  ${c.red('ERROR')} ${e.message}`);
        break;
      case 'WEIR_LOCK_WAIT':
        this.line(`${time}  ${c.yellow('WAIT')} run lock held by ${e.holder_pid !== undefined ? `pid ${e.holder_pid} on ${e.holder_host} (\`${e.holder_command}\`, started ${e.holder_started_at})` : 'another process'}; waiting up to ${e.timeout}s`);
        break;
      case 'WEIR_LOCK_STALE':
        this.line(`${time}  ${c.yellow('WARN')} removed a stale run lock ${e.lock_file}${e.holder_pid !== undefined ? ` of pid ${e.holder_pid} (\`${e.holder_command}\`, started ${e.holder_started_at})` : ''}: ${e.reason}`);
        break;
      case 'WEIR_READ_COPY_PUBLISHED':
        if (!this.o.quiet) this.line(`${time}  published the read copy ${e.path} (${(e.size / 1048576).toFixed(1)} MB in ${e.elapsed.toFixed(2)}s)`);
        break;
      case 'WEIR_MESSAGE':
        if (!this.o.quiet) this.line(`${time}  ${e.message}`);
        break;
    }
  }

  close(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}

const shortName = (uid: string) => uid.split('.').slice(2).join('.');
