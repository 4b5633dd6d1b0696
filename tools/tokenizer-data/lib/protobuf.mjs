// A tiny protobuf (proto2 wire format) writer and reader: just what a SentencePiece ModelProto needs.
// Wire types: 0 = varint, 2 = length-delimited, 5 = 32-bit (float).

/** Accumulates the bytes of one message. Write fields in ascending field-number order. */
export class ProtoWriter {
  constructor() { this.chunks = []; }

  #varint(value) {
    // int32 values that are negative are written as 64-bit two's complement (10 bytes), as protobuf does.
    let v = BigInt.asUintN(64, BigInt(value));
    const bytes = [];
    do {
      let b = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) b |= 0x80;
      bytes.push(b);
    } while (v !== 0n);
    this.chunks.push(Buffer.from(bytes));
  }

  #tag(field, wireType) { this.#varint((field << 3) | wireType); }

  int(field, value) { this.#tag(field, 0); this.#varint(value); return this; }
  bool(field, value) { return this.int(field, value ? 1 : 0); }
  float(field, value) {
    this.#tag(field, 5);
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    this.chunks.push(b);
    return this;
  }
  bytes(field, buffer) { this.#tag(field, 2); this.#varint(buffer.length); this.chunks.push(buffer); return this; }
  string(field, text) { return this.bytes(field, Buffer.from(text, 'utf8')); }
  message(field, writer) { return this.bytes(field, writer.finish()); }
  finish() { return Buffer.concat(this.chunks); }
}

/**
 * Reads the fields of one message: returns a Map field -> array of values
 * (numbers for varints as BigInt, Buffers for length-delimited, numbers for 32-bit floats).
 */
export function readMessage(buf) {
  const fields = new Map();
  let pos = 0;
  const varint = () => {
    let result = 0n, shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const tag = Number(varint());
    const field = tag >>> 3, wire = tag & 7;
    let value;
    if (wire === 0) value = varint();
    else if (wire === 2) { const n = Number(varint()); value = buf.subarray(pos, pos + n); pos += n; }
    else if (wire === 5) { value = buf.readFloatLE(pos); pos += 4; }
    else if (wire === 1) { value = buf.readBigUInt64LE(pos); pos += 8; }
    else throw new Error(`unsupported wire type ${wire}`);
    if (!fields.has(field)) fields.set(field, []);
    fields.get(field).push(value);
  }
  if (pos !== buf.length) throw new Error('message overran its buffer');
  return fields;
}

/** Reads a varint field as a signed int32 (as protobuf does for int32). */
export const asInt32 = (v) => Number(BigInt.asIntN(32, v));
