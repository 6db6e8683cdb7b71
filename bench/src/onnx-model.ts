import { type Conv2dSpec, conv2dBiasShape, conv2dOutputShape } from '@convroute/core';

/**
 * A one-node ONNX model (Conv or ConvTranspose) encoded by hand: the protobuf wire format
 * (varints and length-delimited fields) with the field numbers of onnx/onnx.proto, so this bench
 * needs no protobuf or onnx package. Only what a single float32 conv needs is encoded.
 */

type Bytes = number[];

function varint(out: Bytes, v: number): void {
  // non-negative values below 2^53 only (shapes, attribute ints, lengths)
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}
const key = (out: Bytes, field: number, wire: number) => varint(out, field * 8 + wire);
function int(out: Bytes, field: number, v: number): void {
  if (v < 0) throw new RangeError(`negative int64 ${v} not supported by this encoder`);
  key(out, field, 0);
  varint(out, v);
}
function bytes(out: Bytes, field: number, b: Bytes | Uint8Array): void {
  key(out, field, 2);
  varint(out, b.length);
  for (const x of b) out.push(x);
}
const str = (out: Bytes, field: number, s: string) => bytes(out, field, [...new TextEncoder().encode(s)]);
const msg = (out: Bytes, field: number, build: (m: Bytes) => void) => {
  const m: Bytes = [];
  build(m);
  bytes(out, field, m);
};

// AttributeProto: name 1, i 3, ints 8, type 20 (INT = 2, INTS = 7)
function attrInt(node: Bytes, name: string, v: number): void {
  msg(node, 5, (a) => {
    str(a, 1, name);
    int(a, 3, v);
    int(a, 20, 2);
  });
}
function attrInts(node: Bytes, name: string, vs: readonly number[]): void {
  msg(node, 5, (a) => {
    str(a, 1, name);
    for (const v of vs) int(a, 8, v);
    int(a, 20, 7);
  });
}

// ValueInfoProto: name 1, type 2 -> TypeProto.tensor_type 1 -> elem_type 1 (FLOAT = 1), shape 2 -> dim 1 -> dim_value 1
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

export interface OnnxConvAttributes {
  opType: 'Conv' | 'ConvTranspose';
  input: readonly number[];
  weight: readonly number[];
  bias?: readonly number[];
  output: readonly number[];
  kernel: readonly number[];
  strides: readonly number[];
  /** ONNX order: [x1_begin, x2_begin, x1_end, x2_end] = [top, left, bottom, right] */
  pads: readonly number[];
  dilations: readonly number[];
  group: number;
  outputPadding?: readonly number[];
}

/** ModelProto (ir_version 1, graph 7, opset_import 8) with one node X, W[, B] -> Y, opset 17. */
export function encodeConvModel(a: OnnxConvAttributes): Uint8Array {
  const model: Bytes = [];
  int(model, 1, 8); // ir_version 8
  str(model, 2, 'convroute-bench'); // producer_name
  msg(model, 7, (graph) => {
    msg(graph, 1, (node) => {
      for (const i of a.bias ? ['X', 'W', 'B'] : ['X', 'W']) str(node, 1, i);
      str(node, 2, 'Y');
      str(node, 3, 'conv');
      str(node, 4, a.opType);
      attrInts(node, 'kernel_shape', a.kernel);
      attrInts(node, 'strides', a.strides);
      attrInts(node, 'pads', a.pads);
      attrInts(node, 'dilations', a.dilations);
      attrInt(node, 'group', a.group);
      if (a.outputPadding) attrInts(node, 'output_padding', a.outputPadding);
    });
    str(graph, 2, 'conv');
    valueInfo(graph, 11, 'X', a.input);
    valueInfo(graph, 11, 'W', a.weight);
    if (a.bias) valueInfo(graph, 11, 'B', a.bias);
    valueInfo(graph, 12, 'Y', a.output);
  });
  msg(model, 8, (o) => {
    str(o, 1, '');
    int(o, 2, 17);
  });
  return Uint8Array.from(model);
}

/** The one-node ONNX model (Conv or ConvTranspose) that computes `spec` without its activation. */
export function convModelFor(spec: Conv2dSpec): Uint8Array {
  return encodeConvModel({
    opType: spec.transposed ? 'ConvTranspose' : 'Conv',
    input: spec.input,
    weight: spec.weight,
    bias: spec.bias ? conv2dBiasShape(spec) : undefined,
    output: conv2dOutputShape(spec),
    kernel: [spec.weight[2], spec.weight[3]],
    strides: spec.stride,
    pads: spec.padding,
    dilations: spec.dilation,
    group: spec.groups,
    outputPadding: spec.transposed ? spec.outputPadding : undefined,
  });
}
