import { ConvrouteError } from '@convroute/core';
import { type ConstValue, elementCount, intValues } from './const-value.ts';
import type { OnnxLimits } from './limits.ts';
import type { NodeAttrs } from './node-attrs.ts';
import { DataType } from './onnx-proto.ts';

/** Ops folded when every input is a constant (the shape subgraphs exporters write), with the
 * attributes each takes. Float arithmetic rounds each result to float32 once, as ONNX does. */
export const FOLD_ATTRS: Record<string, readonly string[]> = {
  Constant: ['value', 'value_float', 'value_floats', 'value_int', 'value_ints'],
  ConstantOfShape: ['value'],
  Shape: ['start', 'end'],
  Gather: ['axis'],
  Slice: [],
  Cast: ['to', 'saturate', 'round_mode'],
  Add: [],
  Sub: [],
  Mul: [],
  Div: [],
  Unsqueeze: ['axes'],
  Squeeze: ['axes'],
  Concat: ['axis'],
  Reshape: ['allowzero'],
  Flatten: ['axis'],
  Identity: [],
};

export interface FoldContext {
  attrs: NodeAttrs;
  opset: number;
  limits: OnnxLimits;
  /** The node's inputs ('' for an omitted optional one). */
  inputs: (ConstValue | undefined)[];
}

const make = (dims: number[], dtype: ConstValue['dtype'], data: ArrayLike<number>): ConstValue => ({
  dims,
  dtype,
  data: dtype === 'float32' ? Float32Array.from(data) : Float64Array.from(data),
});

function need(ctx: FoldContext, i: number, what: string): ConstValue {
  const v = ctx.inputs[i];
  if (!v) throw new ConvrouteError('ONNX_FORMAT', `${ctx.attrs.field}.inputs[${i}]`, '', `${what} is required`);
  return v;
}

/** Normalizes an axis in [-rank, rank) (or [-rank-1, rank] when `extra`). */
export function axisOf(field: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank)
    throw new ConvrouteError('INVALID_ATTRIBUTE', field, axis, `axis must be in [${-rank}, ${rank - 1}]`);
  return axis < 0 ? axis + rank : axis;
}

export function foldNode(op: string, ctx: FoldContext): ConstValue {
  const f = ctx.attrs.field;
  const given = ctx.inputs.filter((v) => v !== undefined).length;
  if (op === 'Constant' ? ctx.inputs.length > 0 : given === 0)
    throw new ConvrouteError('ONNX_FORMAT', `${f}.input`, ctx.inputs.length, op === 'Constant' ? 'a Constant takes no inputs' : `${op} needs its inputs`);
  switch (op) {
    case 'Constant':
      return constantNode(ctx);
    case 'ConstantOfShape': {
      const dims = intValues(need(ctx, 0, 'shape'), `${f}.input`);
      const n = elementCount(dims, f, ctx.limits);
      const value = ctx.attrs.tensor('value') ?? make([1], 'float32', [0]);
      if (value.data.length !== 1) ctx.attrs.unsupported('value', value.dims, 'must hold one element');
      return make(dims, value.dtype, new Float64Array(n).fill(value.data[0]));
    }
    case 'Identity':
      return need(ctx, 0, 'input');
    case 'Gather':
      return gather(ctx);
    case 'Slice':
      return slice(ctx);
    case 'Cast': {
      const x = need(ctx, 0, 'input');
      const to = ctx.attrs.int('to', 0);
      if (to === DataType.FLOAT) return make(x.dims, 'float32', x.data);
      if (to === DataType.INT64 || to === DataType.INT32) return make(x.dims, 'int64', Array.from(x.data, Math.trunc));
      return ctx.attrs.unsupported('to', to, 'only casts to FLOAT, INT32 and INT64 are folded');
    }
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
      return binary(op, need(ctx, 0, 'A'), need(ctx, 1, 'B'), ctx);
    case 'Unsqueeze':
    case 'Squeeze': {
      const x = need(ctx, 0, 'data');
      if (ctx.opset >= 13 && ctx.attrs.has('axes')) ctx.attrs.unsupported('axes', ctx.attrs.ints('axes'), 'from opset 13 axes is an input, not an attribute');
      const axes = ctx.opset >= 13 ? (ctx.inputs[1] ? intValues(ctx.inputs[1], `${f}.axes`) : undefined) : ctx.attrs.ints('axes');
      return { ...x, dims: op === 'Squeeze' ? squeezeDims(f, x.dims, axes) : unsqueezeDims(f, x.dims, axes ?? []) };
    }
    case 'Concat': {
      const xs = ctx.inputs.map((v, i) => v ?? need(ctx, i, 'input'));
      if (xs.some((x) => x.dims.length !== xs[0].dims.length || x.dtype !== xs[0].dtype))
        throw new ConvrouteError(
          'SHAPE_MISMATCH',
          `${f}.inputs`,
          xs.map((x) => x.dims),
          'Concat inputs need one rank and one data type',
        );
      return concat(f, xs, ctx.attrs.int('axis', 0));
    }
    case 'Reshape': {
      const x = need(ctx, 0, 'data');
      return { ...x, dims: reshapeDims(f, x.dims, intValues(need(ctx, 1, 'shape'), `${f}.shape`), ctx.attrs.int('allowzero', 0) === 1) };
    }
    case 'Flatten': {
      const x = need(ctx, 0, 'input');
      const axis = ctx.attrs.int('axis', 1);
      const a = axis < 0 ? axis + x.dims.length : axis;
      if (a < 0 || a > x.dims.length) ctx.attrs.unsupported('axis', axis, `must be in [${-x.dims.length}, ${x.dims.length}]`);
      const lead = x.dims.slice(0, a).reduce((p, d) => p * d, 1);
      return { ...x, dims: [lead, x.data.length / Math.max(lead, 1) || 0] };
    }
  }
  throw new ConvrouteError('UNSUPPORTED_OP', f, op, 'cannot be folded');
}

function constantNode(ctx: FoldContext): ConstValue {
  const a = ctx.attrs;
  const t = a.tensor('value');
  if (t) return t;
  if (a.has('value_float')) return make([], 'float32', [a.float('value_float', 0)]);
  if (a.has('value_int')) return make([], 'int64', [a.int('value_int', 0)]);
  const fs = a.floats('value_floats');
  if (fs) return make([fs.length], 'float32', fs);
  const is = a.ints('value_ints');
  if (is) return make([is.length], 'int64', is);
  throw new ConvrouteError('UNSUPPORTED_ATTRIBUTE', a.field, 'none', 'a Constant needs value, value_float(s) or value_int(s)');
}

function gather(ctx: FoldContext): ConstValue {
  const f = ctx.attrs.field;
  const data = need(ctx, 0, 'data');
  const idx = intValues(need(ctx, 1, 'indices'), `${f}.indices`);
  const indicesDims = ctx.inputs[1]!.dims;
  const axis = axisOf(`${f}.axis`, ctx.attrs.int('axis', 0), data.dims.length);
  const outer = data.dims.slice(0, axis).reduce((p, d) => p * d, 1);
  const n = data.dims[axis];
  const inner = data.dims.slice(axis + 1).reduce((p, d) => p * d, 1);
  const dims = [...data.dims.slice(0, axis), ...indicesDims, ...data.dims.slice(axis + 1)];
  const out: number[] = [];
  elementCount(dims, f, ctx.limits);
  for (let o = 0; o < outer; o++)
    for (const raw of idx) {
      const i = raw < 0 ? raw + n : raw;
      if (!(i >= 0 && i < n)) throw new ConvrouteError('INVALID_ATTRIBUTE', `${f}.indices`, raw, `must be in [${-n}, ${n - 1}]`);
      for (let k = 0; k < inner; k++) out.push(data.data[(o * n + i) * inner + k]);
    }
  return make(dims, data.dtype, out);
}

function slice(ctx: FoldContext): ConstValue {
  const f = ctx.attrs.field;
  const data = need(ctx, 0, 'data');
  const rank = data.dims.length;
  const starts = intValues(need(ctx, 1, 'starts'), `${f}.starts`);
  const ends = intValues(need(ctx, 2, 'ends'), `${f}.ends`);
  const axes = ctx.inputs[3] ? intValues(ctx.inputs[3], `${f}.axes`).map((a) => axisOf(`${f}.axes`, a, rank)) : starts.map((_, i) => i);
  const steps = ctx.inputs[4] ? intValues(ctx.inputs[4], `${f}.steps`) : starts.map(() => 1);
  if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length)
    throw new ConvrouteError(
      'SHAPE_MISMATCH',
      `${f}.inputs`,
      [starts.length, ends.length, axes.length, steps.length],
      'starts, ends, axes and steps must have one length',
    );
  const begin = data.dims.map(() => 0);
  const step = data.dims.map(() => 1);
  const count = [...data.dims];
  axes.forEach((ax, i) => {
    const d = data.dims[ax];
    const s = steps[i];
    if (s === 0) throw new ConvrouteError('INVALID_ATTRIBUTE', `${f}.steps[${i}]`, s, 'must not be 0');
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + d : v, lo), hi);
    const b = s > 0 ? clamp(starts[i], 0, d) : clamp(starts[i], -1, d - 1);
    const e = s > 0 ? clamp(ends[i], 0, d) : clamp(ends[i], -1, d - 1);
    begin[ax] = b;
    step[ax] = s;
    count[ax] = Math.max(0, Math.ceil((e - b) / s));
  });
  const strides = data.dims.map((_, i) => data.dims.slice(i + 1).reduce((p, d) => p * d, 1));
  const n = elementCount(count, f, ctx.limits);
  const out = new Array<number>(n);
  for (let j = 0; j < n; j++) {
    let rem = j;
    let src = 0;
    for (let a = rank - 1; a >= 0; a--) {
      const c = rem % count[a];
      rem = Math.floor(rem / count[a]);
      src += (begin[a] + c * step[a]) * strides[a];
    }
    out[j] = data.data[src];
  }
  return make(count, data.dtype, out);
}

function binary(op: string, a: ConstValue, b: ConstValue, ctx: FoldContext): ConstValue {
  const f = ctx.attrs.field;
  if (a.dtype !== b.dtype) throw new ConvrouteError('ONNX_FORMAT', `${f}.inputs`, [a.dtype, b.dtype], 'both inputs must have one data type');
  const rank = Math.max(a.dims.length, b.dims.length);
  const pa = [...Array(rank - a.dims.length).fill(1), ...a.dims];
  const pb = [...Array(rank - b.dims.length).fill(1), ...b.dims];
  const dims = pa.map((d, i) => {
    if (d !== pb[i] && d !== 1 && pb[i] !== 1) throw new ConvrouteError('SHAPE_MISMATCH', `${f}.inputs`, [a.dims, b.dims], 'shapes do not broadcast');
    return d === 1 ? pb[i] : d;
  });
  const n = elementCount(dims, f, ctx.limits);
  const index = (p: number[], j: number) => {
    let rem = j;
    let k = 0;
    let stride = 1;
    for (let ax = rank - 1; ax >= 0; ax--) {
      const c = rem % dims[ax];
      rem = Math.floor(rem / dims[ax]);
      if (p[ax] !== 1) k += c * stride;
      stride *= p[ax];
    }
    return k;
  };
  const int = a.dtype === 'int64';
  const out = new Array<number>(n);
  for (let j = 0; j < n; j++) {
    const x = a.data[index(pa, j)];
    const y = b.data[index(pb, j)];
    let r = op === 'Add' ? x + y : op === 'Sub' ? x - y : op === 'Mul' ? x * y : x / y;
    if (int) {
      if (op === 'Div' && y === 0) throw new ConvrouteError('INVALID_ATTRIBUTE', `${f}.B`, 0, 'integer division by zero');
      r = Math.trunc(r);
      if (!Number.isSafeInteger(r)) throw new ConvrouteError('TOO_LARGE', f, r, 'an int64 result beyond 2^53 cannot be represented exactly');
    }
    out[j] = r;
  }
  return make(dims, a.dtype, out);
}

export function squeezeDims(f: string, dims: readonly number[], axes: number[] | undefined): number[] {
  if (!axes || axes.length === 0) return dims.filter((d) => d !== 1);
  const drop = new Set(axes.map((a) => axisOf(`${f}.axes`, a, dims.length)));
  for (const a of drop) if (dims[a] !== 1) throw new ConvrouteError('SHAPE_MISMATCH', `${f}.axes`, a, `dimension ${a} is ${dims[a]}, not 1`);
  return dims.filter((_, i) => !drop.has(i));
}

export function unsqueezeDims(f: string, dims: readonly number[], axes: number[]): number[] {
  const rank = dims.length + axes.length;
  const add = new Set(axes.map((a) => axisOf(`${f}.axes`, a, rank)));
  if (add.size !== axes.length) throw new ConvrouteError('INVALID_ATTRIBUTE', `${f}.axes`, axes, 'axes must not repeat');
  const out: number[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) out.push(add.has(i) ? 1 : dims[k++]);
  return out;
}

function concat(f: string, xs: ConstValue[], axis: number): ConstValue {
  const rank = xs[0].dims.length;
  const a = axisOf(`${f}.axis`, axis, rank);
  for (const x of xs)
    if (x.dims.some((d, i) => i !== a && d !== xs[0].dims[i]))
      throw new ConvrouteError(
        'SHAPE_MISMATCH',
        `${f}.inputs`,
        xs.map((v) => v.dims),
        `Concat inputs must agree on every axis but ${a}`,
      );
  const outer = xs[0].dims.slice(0, a).reduce((p, d) => p * d, 1);
  const out: number[] = [];
  for (let o = 0; o < outer; o++)
    for (const x of xs) {
      const chunk = x.dims.slice(a).reduce((p, d) => p * d, 1);
      for (let k = 0; k < chunk; k++) out.push(x.data[o * chunk + k]);
    }
  const dims = [...xs[0].dims];
  dims[a] = xs.reduce((s, x) => s + x.dims[a], 0);
  return make(dims, xs[0].dtype, out);
}

/** ONNX Reshape's rules: 0 copies the input's dimension (unless allowzero), one -1 is inferred. */
export function reshapeDims(f: string, dims: readonly number[], shape: number[], allowzero: boolean): number[] {
  const total = dims.reduce((p, d) => p * d, 1);
  const out = shape.map((s, i) => (s === 0 && !allowzero ? dims[i] : s));
  const unknown = out.filter((s) => s === -1).length;
  if (unknown > 1 || out.some((s) => s < -1 || s === undefined))
    throw new ConvrouteError('INVALID_ATTRIBUTE', `${f}.shape`, shape, 'at most one -1 and no other negative');
  const known = out.reduce((p, s) => (s === -1 ? p : p * s), 1);
  if (unknown) {
    if (known === 0 || total % known !== 0) throw new ConvrouteError('SHAPE_MISMATCH', `${f}.shape`, shape, `cannot reshape ${total} elements`);
    out[out.indexOf(-1)] = total / known;
  } else if (known !== total) throw new ConvrouteError('SHAPE_MISMATCH', `${f}.shape`, shape, `cannot reshape ${total} elements`);
  return out;
}
