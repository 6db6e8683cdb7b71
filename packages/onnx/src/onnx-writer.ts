import { ModelProtoType } from './onnx-proto.ts';

/** An attribute value as the writer takes it: numbers are ints when `Number.isInteger` unless
 * wrapped with `{ float }`; arrays of them likewise; strings; tensors. */
export type OnnxAttrValue = number | { float: number } | { floats: number[] } | number[] | string | OnnxTensorInit;

export interface OnnxTensorInit {
  dims: number[];
  /** float32 data (FLOAT) or integers (INT64). */
  data: Float32Array | number[];
  dtype?: 'float32' | 'int64';
  /** Write the data as raw_data (little endian, as most exporters do) instead of float_data/int64_data. */
  raw?: boolean;
}

export interface OnnxNodeInit {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  domain?: string;
  attrs?: Record<string, OnnxAttrValue>;
}

export interface OnnxModelInit {
  opset: number;
  inputs: { name: string; dims: (number | string)[] }[];
  outputs: { name: string; dims?: (number | string)[] }[];
  initializers?: (OnnxTensorInit & { name: string })[];
  nodes: OnnxNodeInit[];
  /** Also list the initializers as graph inputs (as older exporters do). */
  initializersAsInputs?: boolean;
  irVersion?: number;
}

function isTensor(v: unknown): v is OnnxTensorInit {
  return typeof v === 'object' && v !== null && 'dims' in v && 'data' in v;
}

function tensorProto(t: OnnxTensorInit, name = ''): Record<string, unknown> {
  const int = t.dtype === 'int64' || (t.dtype === undefined && !(t.data instanceof Float32Array));
  const base = { name, dims: t.dims, data_type: int ? 7 : 1 };
  if (t.raw) {
    const bytes = new Uint8Array(t.data.length * (int ? 8 : 4));
    const view = new DataView(bytes.buffer);
    for (const [i, v] of Array.from(t.data).entries()) {
      if (int) view.setBigInt64(8 * i, BigInt(v), true);
      else view.setFloat32(4 * i, v, true);
    }
    return { ...base, raw_data: bytes };
  }
  return int ? { ...base, int64_data: Array.from(t.data) } : { ...base, float_data: Array.from(t.data) };
}

function attributeProto(name: string, v: OnnxAttrValue): Record<string, unknown> {
  if (typeof v === 'number') return Number.isInteger(v) ? { name, type: 2, i: v } : { name, type: 1, f: v };
  if (typeof v === 'string') return { name, type: 3, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: 7, ints: v };
  if ('float' in v) return { name, type: 1, f: v.float };
  if ('floats' in v) return { name, type: 6, floats: v.floats };
  if (isTensor(v)) return { name, type: 4, t: tensorProto(v) };
  throw new Error(`attribute ${name}: unsupported value`);
}

const valueInfo = (name: string, dims?: (number | string)[]) => ({
  name,
  type: { tensor_type: { elem_type: 1, shape: dims ? { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) } : undefined } },
});

/** Encodes an ONNX model with the official onnx.proto's types (tests and the bench build their
 * models with it; the importer's decoder reads them back). */
export function encodeOnnx(m: OnnxModelInit): Uint8Array {
  const inits = m.initializers ?? [];
  const model = {
    ir_version: m.irVersion ?? 8,
    producer_name: 'convroute',
    opset_import: [{ domain: '', version: m.opset }],
    graph: {
      name: 'main',
      node: m.nodes.map((n, i) => ({
        name: n.name ?? `${n.op}_${i}`,
        op_type: n.op,
        domain: n.domain ?? '',
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attributeProto(k, v)),
      })),
      initializer: inits.map((t) => tensorProto(t, t.name)),
      input: [...m.inputs.map((i) => valueInfo(i.name, i.dims)), ...(m.initializersAsInputs ? inits.map((t) => valueInfo(t.name, t.dims)) : [])],
      output: m.outputs.map((o) => valueInfo(o.name, o.dims)),
    },
  };
  return ModelProtoType.encode(ModelProtoType.fromObject(model)).finish();
}
