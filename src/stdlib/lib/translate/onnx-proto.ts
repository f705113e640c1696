/**
 * Writing small ONNX models (`ModelProto`) with the protobuf writer: the tiny test model and the
 * log-sum-exp graph beam search runs. Field numbers from onnx.proto3
 * (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto3); the models declare IR version 8 and the
 * default-domain opset 17.
 */
import { ProtoWriter } from './protobuf.js';

/** `TensorProto.DataType` values. */
export const FLOAT = 1;
export const INT64 = 7;
export const BOOL = 9;
export const DOUBLE = 11;

/** A dimension: a fixed size or a symbolic name. */
export type Dim = number | string;

const tensorType = (elem: number, dims?: readonly Dim[]) => {
  const t = new ProtoWriter().varint(1, elem);
  if (dims) {
    const shape = new ProtoWriter();
    for (const d of dims) shape.bytes(1, typeof d === 'number' ? new ProtoWriter().varint(1, d) : new ProtoWriter().bytes(2, d));
    t.bytes(2, shape);
  }
  return new ProtoWriter().bytes(1, t);
};

/** A `ValueInfoProto` (graph input or output) of a tensor with element type `elem` and shape `dims` (unknown when omitted). */
export const valueInfo = (name: string, elem: number, dims?: readonly Dim[]): ProtoWriter => new ProtoWriter().bytes(1, name).bytes(2, tensorType(elem, dims));

/** A `TensorProto` initializer with raw little-endian data. */
export const tensor = (name: string, elem: number, dims: readonly number[], data: Float32Array | BigInt64Array): ProtoWriter => {
  const t = new ProtoWriter();
  for (const d of dims) t.varint(1, d);
  t.varint(2, elem).bytes(8, name).bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return t;
};

/** A node attribute: an int, a list of ints or a subgraph. */
export type Attr = { name: string; i?: number; ints?: number[]; g?: ProtoWriter };

/** A `NodeProto` named after its first output. */
export const node = (op: string, inputs: string[], outputs: string[], attrs: Attr[] = []): ProtoWriter => {
  const n = new ProtoWriter();
  for (const i of inputs) n.bytes(1, i);
  for (const o of outputs) n.bytes(2, o);
  n.bytes(3, `${op}_${outputs[0]}`).bytes(4, op);
  for (const a of attrs) {
    const w = new ProtoWriter().bytes(1, a.name);
    if (a.i !== undefined) w.varint(20, 2).varint(3, a.i);
    else if (a.ints) {
      w.varint(20, 7);
      for (const x of a.ints) w.varint(8, x);
    } else if (a.g) w.varint(20, 5).bytes(6, a.g);
    n.bytes(5, w);
  }
  return n;
};

/** A `GraphProto`. */
export const graph = (name: string, nodes: ProtoWriter[], inputs: ProtoWriter[], outputs: ProtoWriter[], inits: ProtoWriter[] = []): ProtoWriter => {
  const g = new ProtoWriter();
  for (const n of nodes) g.bytes(1, n);
  g.bytes(2, name);
  for (const t of inits) g.bytes(5, t);
  for (const i of inputs) g.bytes(11, i);
  for (const o of outputs) g.bytes(12, o);
  return g;
};

/** The encoded `ModelProto` of a graph (IR version 8, opset 17). */
export const modelProto = (producer: string, g: ProtoWriter): Uint8Array =>
  new ProtoWriter().varint(1, 8).bytes(2, producer).bytes(7, g).bytes(8, new ProtoWriter().bytes(1, '').varint(2, 17)).finish();
