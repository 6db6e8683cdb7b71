import { ConvrouteError } from '@convroute/core';
import protobuf from 'protobufjs/light.js';
import { ONNX_DESCRIPTOR } from './onnx-descriptor.ts';

// The message types of the official onnx.proto (proto/), built once from its JSON descriptor.
const root = protobuf.Root.fromJSON(ONNX_DESCRIPTOR as protobuf.INamespace);
export const ModelProtoType = root.lookupType('onnx.ModelProto');

/** protobufjs gives int64 fields as `Long` objects (or numbers when they fit); see `toInt`. */
export type Int64 = number | { low: number; high: number; unsigned: boolean; toString(): string };

/** The parts of onnx.proto the importer reads; field names as in the .proto. */
export interface TensorProto {
  dims: Int64[];
  data_type: number;
  segment?: unknown;
  float_data: number[];
  int32_data: number[];
  string_data: Uint8Array[];
  int64_data: Int64[];
  name: string;
  raw_data: Uint8Array;
  double_data: number[];
  uint64_data: Int64[];
  external_data: unknown[];
  data_location: number;
}

export interface AttributeProto {
  name: string;
  ref_attr_name: string;
  type: number;
  f: number;
  i: Int64;
  s: Uint8Array;
  t?: TensorProto | null;
  g?: GraphProto | null;
  sparse_tensor?: unknown;
  tp?: unknown;
  floats: number[];
  ints: Int64[];
  strings: Uint8Array[];
  tensors: TensorProto[];
  graphs: GraphProto[];
  sparse_tensors: unknown[];
  type_protos: unknown[];
}

export interface NodeProto {
  input: string[];
  output: string[];
  name: string;
  op_type: string;
  domain: string;
  attribute: AttributeProto[];
}

export interface ValueInfoProto {
  name: string;
  type?: {
    tensor_type?: { elem_type: number; shape?: { dim: { dim_value?: Int64; dim_param?: string }[] } | null } | null;
  } | null;
}

export interface GraphProto {
  node: NodeProto[];
  name: string;
  initializer: TensorProto[];
  sparse_initializer: unknown[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  value_info: ValueInfoProto[];
}

export interface ModelProto {
  ir_version: Int64;
  opset_import: { domain: string; version: Int64 }[];
  graph?: GraphProto | null;
  functions: unknown[];
}

/** ONNX TensorProto.DataType values the importer handles. */
export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10, DOUBLE: 11 } as const;
/** AttributeProto.AttributeType values. */
export const AttrType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8, TENSORS: 9, GRAPHS: 10 } as const;

/** Decodes a ModelProto. Malformed bytes (truncated, wrong wire types, too deeply nested) are an
 * ONNX_FORMAT error, never protobufjs' own exception. */
export function decodeModelProto(bytes: Uint8Array): ModelProto {
  try {
    return ModelProtoType.decode(bytes) as unknown as ModelProto;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new ConvrouteError('ONNX_FORMAT', 'model', `${bytes.length} bytes`, `is not a valid ONNX ModelProto: ${message.slice(0, 200)}`);
  }
}

/** An int64 as a number; refuses values outside the safe integer range (never rounds one). */
export function toInt(v: Int64, field: string): number {
  if (typeof v === 'number') return v;
  const value = (v.unsigned ? v.high >>> 0 : v.high) * 2 ** 32 + (v.low >>> 0);
  if (!Number.isSafeInteger(value)) throw new ConvrouteError('TOO_LARGE', field, v.toString(), 'an int64 beyond 2^53 cannot be represented exactly');
  return value;
}

/** A ValueInfo's dims: numbers, or the symbolic name (dim_param) when not fixed. */
export function readTensorDims(dims: { dim_value?: Int64; dim_param?: string }[], field: string): (number | string)[] {
  return dims.map((d, k) => {
    if (d.dim_param) return d.dim_param;
    const v = d.dim_value === undefined ? 0 : toInt(d.dim_value, `${field}[${k}]`);
    return v > 0 ? v : `?${k}`;
  });
}
