import ndarray, { type NdArray } from 'ndarray';
import { ConvrouteError } from './errors.ts';

/** Largest element count any tensor may have: indices must fit a signed 32-bit integer
 * (WGSL i32/u32 arithmetic and JS typed-array lengths). */
export const MAX_ELEMENTS = 2 ** 31 - 1;

export type Shape = readonly number[];

/** A float32 tensor in row-major (NCHW for 4-D) order, backed by an ndarray so strided views
 * (transposes, slices) need no copy until a kernel asks for contiguous data. */
export class Tensor {
  readonly array: NdArray<Float32Array>;

  constructor(array: NdArray<Float32Array>) {
    if (!(array.data instanceof Float32Array)) {
      throw new ConvrouteError('INVALID_ARGUMENT', 'tensor.data', typeof array.data, 'must be a Float32Array');
    }
    this.array = array;
  }

  static fromData(data: Float32Array | readonly number[], shape: Shape): Tensor {
    checkShape(shape, 'shape');
    const n = shapeSize(shape);
    const buf = data instanceof Float32Array ? data : Float32Array.from(data);
    if (buf.length !== n) {
      throw new ConvrouteError('SHAPE_MISMATCH', 'data.length', buf.length, `must equal the product of shape [${shape.join(', ')}] = ${n}`);
    }
    return new Tensor(ndarray(buf, [...shape]));
  }

  static zeros(shape: Shape): Tensor {
    checkShape(shape, 'shape');
    return new Tensor(ndarray(new Float32Array(shapeSize(shape)), [...shape]));
  }

  get shape(): number[] {
    return this.array.shape;
  }

  get size(): number {
    return this.array.size;
  }

  get rank(): number {
    return this.array.dimension;
  }

  /** True when the elements are stored densely in row-major order starting at offset 0. */
  get isContiguous(): boolean {
    const { shape, stride, offset, data } = this.array;
    if (offset !== 0 || data.length !== this.size) return false;
    let expect = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (shape[d] !== 1 && stride[d] !== expect) return false;
      expect *= shape[d];
    }
    return true;
  }

  /** Row-major elements; shares storage when already contiguous, copies otherwise. */
  get data(): Float32Array {
    if (this.isContiguous) return this.array.data;
    return this.contiguous().array.data;
  }

  contiguous(): Tensor {
    if (this.isContiguous) return this;
    const out = new Float32Array(this.size);
    const { shape } = this.array;
    const idx = new Array<number>(shape.length).fill(0);
    for (let i = 0; i < out.length; i++) {
      out[i] = this.array.get(...idx);
      for (let d = shape.length - 1; d >= 0; d--) {
        if (++idx[d] < shape[d]) break;
        idx[d] = 0;
      }
    }
    return new Tensor(ndarray(out, [...shape]));
  }

  reshape(shape: Shape): Tensor {
    return Tensor.fromData(this.data, shape);
  }

  /** A transposed view (no copy): `perm[i]` is the source axis of output axis i. */
  transpose(...perm: number[]): Tensor {
    return new Tensor(this.array.transpose(...perm));
  }

  get(...index: number[]): number {
    return this.array.get(...index);
  }
}

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Throws unless every extent is a positive integer and the element count is indexable. */
export function checkShape(shape: Shape, field: string): void {
  if (!Array.isArray(shape)) throw new ConvrouteError('SHAPE_MISMATCH', field, shape, 'must be an array of extents');
  shape.forEach((d, i) => {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 1) {
      throw new ConvrouteError('SHAPE_MISMATCH', `${field}[${i}]`, d, 'must be a positive integer');
    }
  });
  const n = shapeSize(shape);
  if (n > MAX_ELEMENTS) {
    throw new ConvrouteError('TOO_LARGE', field, [...shape], `has ${n} elements; at most ${MAX_ELEMENTS} (2^31 - 1) can be indexed`);
  }
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
