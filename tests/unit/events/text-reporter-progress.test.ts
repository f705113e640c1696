/**
 * The terminal progress bar counts whole nodes: log lines printed while it runs stop and restart it, which
 * used to restart it from progress ratio × total (97.99999999999999/121).
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TextReporter } from '../../../src/events/text-reporter.js';
import type { WeirEvent } from '../../../src/events/events.js';

/** A stream that says it is a terminal (cli-progress draws only on one) and keeps what is written. */
class FakeTty extends Writable {
  text = '';
  isTTY = true;
  columns = 120;
  override _write(chunk: Buffer | string, _e: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
  cursorTo(): boolean { return true; }
  moveCursor(): boolean { return true; }
  clearLine(): boolean { return true; }
  clearScreenDown(): boolean { return true; }
}

describe('progress bar', () => {
  it('shows whole numbers of nodes after log lines restart it', () => {
    const out = new FakeTty();
    const err = new FakeTty();
    const r = new TextReporter(out, { err, progress: true, color: false });
    const ts = new Date().toISOString();
    const total = 121;
    r.emit({ code: 'WEIR_RUN_START', ts, level: 'info', command: 'build', target: 'dev', adapter_type: 'duckdb', node_count: total, threads: 4 } as WeirEvent);
    for (let i = 1; i <= total; i++) {
      r.emit({ code: 'WEIR_NODE_FINISH', ts, level: 'info', node_id: `model.p.m${i}`, resource_type: 'model', materialized: 'view', status: 'success', index: i, total, execution_time: 0.01 } as WeirEvent);
    }
    r.close();
    const values = [...err.text.matchAll(/(\S+)\/121 nodes/g)].map((m) => m[1]);
    expect(values.length).toBeGreaterThan(50);
    for (const v of values) expect(v).toMatch(/^\d+$/);
    expect(values).toContain('98');
  });
});
