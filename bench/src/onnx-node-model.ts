/**
 * A one-node ONNX model of any op, encoded by hand in protobuf's wire format with the field
 * numbers of onnx/onnx.proto (as onnx-model.ts does for Conv): float32 inputs, int, ints, float
 * and string attributes, and constant float or int64 inputs as initializers. Enough for the
 * pooling, reduction and resize cross-checks against ONNX Runtime.
 */
type Bytes = number[];

function varint(out: Bytes, v: number | bigint): void {
  let x = BigInt.asUintN(64, BigInt(v)); // int64 as two's complement, as protobuf encodes it
  while (x >= 0x80n) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
}
const key = (out: Bytes, field: number, wire: number) => varint(out, field * 8 + wire);
function int(out: Bytes, field: number, v: number): void {
  key(out, field, 0);
  varint(out, v);
}
function bytes(out: Bytes, field: number, b: Bytes | Uint8Array): void {
  key(out, field, 2);
  varint(out, b.length);
  for (const x of b) out.push(x);
}
const str = (out: Bytes, field: number, s: string) => bytes(out, field, [...new TextEncoder().encode(s)]);
function msg(out: Bytes, field: number, build: (m: Bytes) => void): void {
  const m: Bytes = [];
  build(m);
  bytes(out, field, m);
}
function float32(out: Bytes, field: number, v: number): void {
  key(out, field, 5);
  out.push(...new Uint8Array(Float32Array.of(v).buffer));
}

export type OnnxAttribute = number | readonly number[] | string | { float: number };
export interface OnnxConstant {
  type: 'float' | 'int64';
  dims: readonly number[];
  values: readonly number[];
}
export interface OnnxNodeModel {
  opType: string;
  opset: number;
  /** float32 graph inputs, in node input order */
  inputs: { name: string; shape: readonly number[] }[];
  /** node inputs after the graph inputs: a constant, or '' for an omitted optional input */
  constants?: (OnnxConstant | '')[];
  attributes: Record<string, OnnxAttribute>;
  output: readonly number[];
}

// AttributeProto: name 1, f 2, i 3, s 4, ints 8, type 20 (FLOAT 1, INT 2, STRING 3, INTS 7)
function attribute(node: Bytes, name: string, v: OnnxAttribute): void {
  msg(node, 5, (a) => {
    str(a, 1, name);
    if (typeof v === 'string') {
      str(a, 4, v);
      int(a, 20, 3);
    } else if (typeof v === 'number') {
      int(a, 3, v);
      int(a, 20, 2);
    } else if ('float' in v) {
      float32(a, 2, v.float);
      int(a, 20, 1);
    } else {
      for (const x of v) int(a, 8, x);
      int(a, 20, 7);
    }
  });
}

// TensorProto: dims 1, data_type 2 (FLOAT 1, INT64 7), float_data 4, int64_data 7, name 8
function initializer(graph: Bytes, name: string, c: OnnxConstant): void {
  msg(graph, 5, (t) => {
    for (const d of c.dims) int(t, 1, d);
    int(t, 2, c.type === 'float' ? 1 : 7);
    for (const v of c.values) {
      if (c.type === 'float') float32(t, 4, v);
      else int(t, 7, v);
    }
    str(t, 8, name);
  });
}

function valueInfo(graph: Bytes, field: number, name: string, shape: readonly number[]): void {
  msg(graph, field, (v) => {
    str(v, 1, name);
    msg(v, 2, (t) =>
      msg(t, 1, (tt) => {
        int(tt, 1, 1);
        msg(tt, 2, (s) => {
          for (const d of shape) msg(s, 1, (dim) => int(dim, 1, d));
        });
      }),
    );
  });
}

/** ModelProto (ir_version 8) with one node: graph inputs, then constants, -> Y. */
export function encodeNodeModel(m: OnnxNodeModel): Uint8Array {
  const constants = (m.constants ?? []).map((c, i) => (c === '' ? { name: '', c } : { name: `C${i}`, c }));
  const model: Bytes = [];
  int(model, 1, 8);
  str(model, 2, 'convroute-bench');
  msg(model, 7, (graph) => {
    msg(graph, 1, (node) => {
      for (const i of m.inputs) str(node, 1, i.name);
      for (const c of constants) str(node, 1, c.name);
      str(node, 2, 'Y');
      str(node, 3, 'node');
      str(node, 4, m.opType);
      for (const [k, v] of Object.entries(m.attributes)) attribute(node, k, v);
    });
    str(graph, 2, m.opType);
    for (const c of constants) if (c.c !== '') initializer(graph, c.name, c.c);
    for (const i of m.inputs) valueInfo(graph, 11, i.name, i.shape);
    valueInfo(graph, 12, 'Y', m.output);
  });
  msg(model, 8, (o) => {
    str(o, 1, '');
    int(o, 2, m.opset);
  });
  return Uint8Array.from(model);
}
