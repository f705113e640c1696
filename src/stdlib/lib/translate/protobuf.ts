/**
 * A minimal Protocol Buffers wire-format reader and writer (varints, 32-bit floats, length-delimited
 * fields), enough to read SentencePiece `ModelProto` files and to write tiny ONNX `ModelProto`s in tests.
 * Wire format: https://protobuf.dev/programming-guides/encoding/ .
 */

/** One decoded field: its number, wire type and raw value (varint as bigint, bytes as a view). */
export interface ProtoField {
  readonly field: number;
  /** 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
  readonly wireType: 0 | 1 | 2 | 5;
  /** Varint value (wire type 0). */
  readonly varint?: bigint;
  /** Raw bytes (wire types 1, 2 and 5). */
  readonly bytes?: Uint8Array;
}

/**
 * Decodes the top-level fields of a message.
 * @throws Error on truncated input or unsupported wire types (groups)
 */
export function decodeFields(buf: Uint8Array): ProtoField[] {
  const out: ProtoField[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error('protobuf: truncated varint');
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new Error('protobuf: varint too long');
    }
  };
  const take = (n: number): Uint8Array => {
    if (pos + n > buf.length) throw new Error('protobuf: truncated field');
    const v = buf.subarray(pos, pos + n);
    pos += n;
    return v;
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wireType = key & 7;
    if (wireType === 0) out.push({ field, wireType, varint: varint() });
    else if (wireType === 1) out.push({ field, wireType, bytes: take(8) });
    else if (wireType === 2) out.push({ field, wireType, bytes: take(Number(varint())) });
    else if (wireType === 5) out.push({ field, wireType, bytes: take(4) });
    else throw new Error(`protobuf: unsupported wire type ${wireType} (field ${field})`);
  }
  return out;
}

/** A little-endian float32 from a fixed32 field. */
export const fixed32ToFloat = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);

/** A UTF-8 string from a length-delimited field. */
export const bytesToString = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Builds a message field by field (fields are written in call order). */
export class ProtoWriter {
  private readonly parts: Uint8Array[] = [];

  private static varintBytes(v: bigint | number): Uint8Array {
    let x = BigInt(v);
    if (x < 0n) x += 1n << 64n; // negative int32/int64 are encoded as 10-byte two's complement
    const bytes: number[] = [];
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x !== 0n) b |= 0x80;
      bytes.push(b);
    } while (x !== 0n);
    return Uint8Array.from(bytes);
  }

  private key(field: number, wireType: number): void {
    this.parts.push(ProtoWriter.varintBytes((field << 3) | wireType));
  }

  /** A varint field (int32, int64, enum, bool). */
  varint(field: number, v: bigint | number | boolean): this {
    this.key(field, 0);
    this.parts.push(ProtoWriter.varintBytes(typeof v === 'boolean' ? (v ? 1 : 0) : v));
    return this;
  }

  /** A float (fixed32) field. */
  float(field: number, v: number): this {
    this.key(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.parts.push(b);
    return this;
  }

  /** A length-delimited field: bytes, a UTF-8 string, or a nested message. */
  bytes(field: number, v: Uint8Array | string | ProtoWriter): this {
    const b = typeof v === 'string' ? new TextEncoder().encode(v) : v instanceof ProtoWriter ? v.finish() : v;
    this.key(field, 2);
    this.parts.push(ProtoWriter.varintBytes(b.length), b);
    return this;
  }

  /** The encoded message. */
  finish(): Uint8Array {
    const len = this.parts.reduce((n, p) => n + p.length, 0);
    const out = new Uint8Array(len);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}
