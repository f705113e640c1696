/**
 * The JSON-lines reporter (events/json-reporter.ts): node start/finish lines are written together once the
 * process is idle, every other event writes what is pending and itself at once, and close() writes what is
 * pending: the output is the same lines in the same order as one write per event.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { JsonReporter } from '../../../src/events/json-reporter.js';
import type { WeirEvent } from '../../../src/events/events.js';

function sink(): { out: Writable; writes: string[] } {
  const writes: string[] = [];
  return { writes, out: new Writable({ write(chunk, _enc, cb) { writes.push(String(chunk)); cb(); } }) };
}
const ts = '2026-12-07T00:00:00.000Z';
const start = (i: number) => ({ code: 'WEIR_NODE_START', ts, level: 'info', node_id: `model.p.m${i}`, resource_type: 'model', index: i, total: 2 }) as WeirEvent;
const finish = (i: number) => ({ code: 'WEIR_NODE_FINISH', ts, level: 'info', node_id: `model.p.m${i}`, resource_type: 'model', index: i, total: 2, status: 'success', execution_time: 0.1 }) as WeirEvent;
const end = { code: 'WEIR_WARNING', ts, level: 'warn', message: 'a warning' } as WeirEvent;
const codes = (writes: string[]) => writes.join('').split('\n').filter(Boolean).map((l) => `${JSON.parse(l).code} ${JSON.parse(l).index ?? ''}`);

describe('JsonReporter', () => {
  it('writes node lines together once idle, in order', async () => {
    const { out, writes } = sink();
    const r = new JsonReporter(out);
    r.emit(start(1));
    r.emit(finish(1));
    r.emit(start(2));
    expect(writes).toEqual([]);
    await new Promise((res) => setImmediate(res));
    expect(writes).toHaveLength(1);
    expect(codes(writes)).toEqual(['WEIR_NODE_START 1', 'WEIR_NODE_FINISH 1', 'WEIR_NODE_START 2']);
  });

  it('writes pending node lines before any other event, and on close', async () => {
    const { out, writes } = sink();
    const r = new JsonReporter(out);
    r.emit(start(1));
    r.emit(finish(1));
    r.emit(end);
    expect(codes(writes)).toEqual(['WEIR_NODE_START 1', 'WEIR_NODE_FINISH 1', 'WEIR_WARNING ']);
    r.emit(start(2));
    r.close();
    expect(codes(writes)).toEqual(['WEIR_NODE_START 1', 'WEIR_NODE_FINISH 1', 'WEIR_WARNING ', 'WEIR_NODE_START 2']);
    await new Promise((res) => setImmediate(res));
    expect(codes(writes)).toHaveLength(4); // nothing written twice
  });

  it('writes every line of a node finished after an earlier flush', async () => {
    const { out, writes } = sink();
    const r = new JsonReporter(out);
    r.emit(start(1));
    r.emit(end);
    r.emit(finish(1));
    await new Promise((res) => setImmediate(res));
    expect(codes(writes)).toEqual(['WEIR_NODE_START 1', 'WEIR_WARNING ', 'WEIR_NODE_FINISH 1']);
  });
});
