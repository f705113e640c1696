/**
 * A streaming ONNX `ModelProto` writer for the bench's random-weight Marian model (bench/marian-model.ts).
 *
 * The protobuf wire format (https://protobuf.dev/programming-guides/encoding/) is written by hand, as
 * src/stdlib/lib/translate/protobuf.ts's `ProtoWriter` does for the tiny test model, but a message here
 * keeps references to its parts instead of concatenating them: a 133 MB embedding initializer nested in
 * a TensorProto → GraphProto → ModelProto is never copied, and the file is written part by part.
 * Field numbers are those of onnx.proto3 (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto).
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/** ONNX `TensorProto.DataType` values used here. */
export const DT = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9 } as const;

const varintBytes = (v: number | bigint): Uint8Array => {
  let x = BigInt(v);
  if (x < 0n) x += 1n << 64n; // negative int64: 10-byte two's complement
  const out: number[] = [];
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x !== 0n) b |= 0x80;
    out.push(b);
  } while (x !== 0n);
  return Uint8Array.from(out);
};

/** A protobuf message built field by field; nested messages and byte fields are kept by reference. */
export class Msg {
  readonly parts: Uint8Array[] = [];
  length = 0;

  private push(b: Uint8Array): void {
    this.parts.push(b);
    this.length += b.length;
  }

  /** A varint field (int32, int64, enum, bool). */
  varint(field: number, v: number | bigint | boolean): this {
    this.push(varintBytes((field << 3) | 0));
    this.push(varintBytes(typeof v === 'boolean' ? (v ? 1 : 0) : v));
    return this;
  }

  /** A float (fixed32) field. */
  float(field: number, v: number): this {
    this.push(varintBytes((field << 3) | 5));
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.push(b);
    return this;
  }

  /** A length-delimited field: a string, raw bytes (not copied) or a nested message (not copied). */
  bytes(field: number, v: string | Uint8Array | Msg): this {
    const b = typeof v === 'string' ? new TextEncoder().encode(v) : v;
    this.push(varintBytes((field << 3) | 2));
    this.push(varintBytes(b.length));
    if (b instanceof Msg) for (const p of b.parts) this.push(p);
    else this.push(b);
    return this;
  }

  /** Writes the message to a file, part by part. */
  writeFile(file: string): void {
    const fd = openSync(file, 'w');
    try {
      for (const p of this.parts) writeSync(fd, p);
    } finally {
      closeSync(fd);
    }
  }

  /** The message as one buffer (small messages only). */
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

/** A dimension: a fixed size or a named dynamic axis. */
export type Dim = number | string;
/** Raw data of an initializer. */
export type TensorData = Float32Array | Int8Array | Uint8Array | BigInt64Array | Int32Array;

/** `ValueInfoProto` of a tensor (shape omitted when `dims` is undefined). */
export function valueInfo(name: string, elem: number, dims?: readonly Dim[]): Msg {
  const t = new Msg().varint(1, elem);
  if (dims) {
    const shape = new Msg();
    for (const d of dims) shape.bytes(1, typeof d === 'number' ? new Msg().varint(1, d) : new Msg().bytes(2, d));
    t.bytes(2, shape);
  }
  return new Msg().bytes(1, name).bytes(2, new Msg().bytes(1, t));
}

/** `TensorProto` with `raw_data` (little-endian, as typed arrays are on the platforms Node supports). */
export function tensorProto(name: string, elem: number, dims: readonly number[], data: TensorData): Msg {
  const t = new Msg();
  for (const d of dims) t.varint(1, d);
  return t.varint(2, elem).bytes(8, name).bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

/** A node attribute: int, ints, float or subgraph. */
export type Attr = { readonly i?: number; readonly ints?: readonly number[]; readonly f?: number; readonly g?: Msg };

/**
 * A graph under construction: nodes, initializers, inputs and outputs; value names are made unique with
 * a counter so builders can call `op` freely.
 */
export class GraphBuilder {
  readonly nodes: Msg[] = [];
  readonly inits: Msg[] = [];
  readonly inputs: Msg[] = [];
  readonly outputs: Msg[] = [];
  private n = 0;

  constructor(readonly name: string, private readonly prefix = '') {}

  /** A fresh value name. */
  fresh(hint: string): string {
    return `${this.prefix}${hint}_${this.n++}`;
  }

  /**
   * Adds a node.
   * @param outputs output names, or a count of fresh names to make
   * @returns the output names
   */
  op(type: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, outputs: readonly string[] | number = 1): string[] {
    const outs = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.fresh(type)) : [...outputs];
    const n = new Msg();
    for (const i of inputs) n.bytes(1, i);
    for (const o of outs) n.bytes(2, o);
    n.bytes(3, `${type}_${outs[0]}`).bytes(4, type);
    for (const [name, a] of Object.entries(attrs)) {
      const w = new Msg().bytes(1, name);
      if (a.i !== undefined) w.varint(20, 2).varint(3, a.i);
      else if (a.f !== undefined) w.varint(20, 1).float(2, a.f);
      else if (a.ints) {
        w.varint(20, 7);
        for (const x of a.ints) w.varint(8, x);
      } else if (a.g) w.varint(20, 5).bytes(6, a.g);
      n.bytes(5, w);
    }
    this.nodes.push(n);
    return outs;
  }

  /** One-output shorthand of {@link op}. */
  op1(type: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, output?: string): string {
    return this.op(type, inputs, attrs, output ? [output] : 1)[0];
  }

  /** Adds an initializer and returns its name. */
  init(name: string, elem: number, dims: readonly number[], data: TensorData): string {
    this.inits.push(tensorProto(name, elem, dims, data));
    return name;
  }

  /** `GraphProto` (fields: 1 node, 2 name, 5 initializer, 11 input, 12 output). */
  build(): Msg {
    const g = new Msg();
    for (const n of this.nodes) g.bytes(1, n);
    g.bytes(2, this.name);
    for (const t of this.inits) g.bytes(5, t);
    for (const i of this.inputs) g.bytes(11, i);
    for (const o of this.outputs) g.bytes(12, o);
    return g;
  }
}

/** `ModelProto` (IR version 8, default-domain opset `opset`) around a graph. */
export function modelProto(graph: Msg, producer: string, opset = 17): Msg {
  return new Msg().varint(1, 8).bytes(2, producer).bytes(7, graph).bytes(8, new Msg().bytes(1, '').varint(2, opset));
}
