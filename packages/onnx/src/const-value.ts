import { ConvrouteError, Tensor } from '@convroute/core';
import type { OnnxLimits } from './limits.ts';
import { DataType, type Int64, type TensorProto, toInt } from './onnx-proto.ts';

/** A constant known at import time: float32 data (weights) or integers (shapes, axes, indices),
 * integers held exactly as doubles (int64 beyond 2^53 is refused). */
export interface ConstValue {
  dims: number[];
  dtype: 'float32' | 'int64';
  data: Float32Array | Float64Array;
}

export function elementCount(dims: readonly number[], field: string, limits: OnnxLimits): number {
  if (dims.length > limits.maxRank)
    throw new ConvrouteError('TOO_LARGE', `${field}.dims`, dims.length, `rank is limited to ${limits.maxRank} (limits.maxRank)`);
  let n = 1;
  for (const [i, d] of dims.entries()) {
    if (!Number.isSafeInteger(d) || d < 0) throw new ConvrouteError('ONNX_FORMAT', `${field}.dims[${i}]`, d, 'must be an integer >= 0');
    n *= d;
    if (n > limits.maxTensorElements)
      throw new ConvrouteError('TOO_LARGE', `${field}.dims`, dims, `holds more than ${limits.maxTensorElements} elements (limits.maxTensorElements)`);
  }
  return n;
}

const TYPE_NAMES: Record<number, string> = { 1: 'FLOAT', 2: 'UINT8', 3: 'INT8', 5: 'INT16', 6: 'INT32', 7: 'INT64', 9: 'BOOL', 10: 'FLOAT16', 11: 'DOUBLE' };

/** Reads a TensorProto's data: float_data / int32_data / int64_data or little-endian raw_data,
 * whose length must equal what the dims declare. External data is refused. */
export function readTensorProto(t: TensorProto, field: string, limits: OnnxLimits): ConstValue {
  if (t.data_location === 1 || t.external_data.length > 0)
    throw new ConvrouteError('ONNX_FORMAT', `${field}.data_location`, 'EXTERNAL', 'external tensor data is not read (a model must hold its weights)');
  if (t.segment) throw new ConvrouteError('ONNX_FORMAT', `${field}.segment`, 'set', 'segmented tensors are not supported');
  const dims = t.dims.map((d: Int64, i) => toInt(d, `${field}.dims[${i}]`));
  const n = elementCount(dims, field, limits);
  const raw = t.raw_data.length > 0 ? t.raw_data : null;
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : null;
  const size = (bytes: number, typed: number) => {
    const got = raw ? raw.length : typed;
    const want = raw ? n * bytes : n;
    if (got !== want)
      throw new ConvrouteError(
        'ONNX_FORMAT',
        `${field}.${raw ? 'raw_data' : 'data'}`,
        got,
        `must hold ${want} ${raw ? 'bytes' : 'values'} for dims [${dims.join(', ')}]`,
      );
  };
  switch (t.data_type) {
    case DataType.FLOAT: {
      size(4, t.float_data.length);
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = view ? view.getFloat32(4 * i, true) : t.float_data[i];
      return { dims, dtype: 'float32', data };
    }
    case DataType.INT64: {
      size(8, t.int64_data.length);
      const data = new Float64Array(n);
      for (let i = 0; i < n; i++) data[i] = view ? bigToInt(view.getBigInt64(8 * i, true), field) : toInt(t.int64_data[i], `${field}.int64_data[${i}]`);
      return { dims, dtype: 'int64', data };
    }
    case DataType.INT32: {
      size(4, t.int32_data.length);
      const data = new Float64Array(n);
      for (let i = 0; i < n; i++) data[i] = view ? view.getInt32(4 * i, true) : t.int32_data[i];
      return { dims, dtype: 'int64', data };
    }
    default:
      throw new ConvrouteError(
        'ONNX_FORMAT',
        `${field}.data_type`,
        TYPE_NAMES[t.data_type] ?? t.data_type,
        'only FLOAT tensors (and INT64/INT32 for shapes and axes) are supported',
      );
  }
}

function bigToInt(v: bigint, field: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER))
    throw new ConvrouteError('TOO_LARGE', field, v.toString(), 'an int64 beyond 2^53 cannot be represented exactly');
  return Number(v);
}

/** A float32 constant as a core Tensor (an IR constant). */
export function constTensor(v: ConstValue, field: string): Tensor {
  if (v.dtype !== 'float32')
    throw new ConvrouteError('UNSUPPORTED_ATTRIBUTE', field, v.dtype, 'an integer tensor can only feed shape inputs (reshape shape, axes, pads, sizes)');
  return Tensor.fromData(v.data as Float32Array, v.dims);
}

/** Integer values of a constant (shape, axes, pads...). */
export function intValues(v: ConstValue, field: string): number[] {
  if (v.dtype !== 'int64') throw new ConvrouteError('UNSUPPORTED_ATTRIBUTE', field, v.dtype, 'must be an integer tensor');
  return Array.from(v.data);
}
