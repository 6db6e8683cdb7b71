/**
 * Shape ops: exact copies in every mode (docs/semantics.md, "Pooling, reductions, shape ops and
 * resize"). reshape, flatten, squeeze and unsqueeze keep the row-major data as is and only change
 * the shape, so their kernel is a copy (copyData); concat, transpose and pad move elements.
 */

function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d];
  }
  return s;
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** reshape, flatten, squeeze, unsqueeze: the same elements in the same order (a copy, so the
 * output never aliases the input). */
export function copyData(x: Float32Array): Float32Array {
  return x.slice();
}

/** concat along `axis` (normalized): inputs equal in every other dimension. */
export function concat(shapes: readonly (readonly number[])[], xs: readonly Float32Array[], axis: number): { shape: number[]; data: Float32Array } {
  const shape = [...shapes[0]];
  shape[axis] = shapes.reduce((a, s) => a + s[axis], 0);
  const out = new Float32Array(sizeOf(shape));
  // outer: product of the dims before axis; each input contributes a contiguous block per outer
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const rowOut = shape[axis] * inner;
  let offset = 0;
  shapes.forEach((s, k) => {
    const block = s[axis] * inner;
    const x = xs[k];
    for (let o = 0; o < outer; o++) out.set(x.subarray(o * block, (o + 1) * block), o * rowOut + offset);
    offset += block;
  });
  return { shape, data: out };
}

/** transpose: output dim d is input dim perm[d]. */
export function transpose(inShape: readonly number[], x: Float32Array, perm: readonly number[]): { shape: number[]; data: Float32Array } {
  const rank = inShape.length;
  const shape = perm.map((p) => inShape[p]);
  const inStrides = stridesOf(inShape);
  const src = perm.map((p) => inStrides[p]); // input stride of each output dim
  const out = new Float32Array(x.length);
  if (out.length === 0) return { shape, data: out };
  const idx = new Array<number>(rank).fill(0);
  let off = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = x[off];
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      off += src[d];
      if (idx[d] < shape[d]) break;
      off -= idx[d] * src[d];
      idx[d] = 0;
    }
  }
  return { shape, data: out };
}

/** pad, constant mode: pads in ONNX order (every begin, then every end), all >= 0; the border
 * holds `value` rounded to float32. */
export function padConstant(inShape: readonly number[], x: Float32Array, pads: readonly number[], value: number): { shape: number[]; data: Float32Array } {
  const rank = inShape.length;
  const shape = inShape.map((d, i) => d + pads[i] + pads[rank + i]);
  const out = new Float32Array(sizeOf(shape));
  out.fill(Math.fround(value));
  if (x.length === 0 || rank === 0) {
    if (rank === 0) out.set(x);
    return { shape, data: out };
  }
  const outStrides = stridesOf(shape);
  const last = inShape[rank - 1];
  const rows = x.length / last;
  const idx = new Array<number>(rank - 1).fill(0);
  for (let r = 0; r < rows; r++) {
    let o = pads[rank - 1];
    for (let d = 0; d < rank - 1; d++) o += (idx[d] + pads[d]) * outStrides[d];
    out.set(x.subarray(r * last, (r + 1) * last), o);
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]++;
      if (idx[d] < inShape[d]) break;
      idx[d] = 0;
    }
  }
  return { shape, data: out };
}
