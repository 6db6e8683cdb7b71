import type { Dispatch, GpuArray, GpuRuntime } from '../runtime.ts';
import { axisNames, contiguousStrides, decompose, flatDispatch, flatKernelOpen, shapeCount } from './flat.ts';

export type ResizeMode = 'nearest' | 'linear';
export type CoordinateMode = 'half_pixel' | 'pytorch_half_pixel' | 'align_corners' | 'asymmetric';
export type NearestMode = 'round_prefer_floor' | 'round_prefer_ceil' | 'floor' | 'ceil';

export interface ResizeAttrs {
  mode: ResizeMode;
  coordinateTransformationMode: CoordinateMode;
  nearestMode: NearestMode;
}

/** ONNX's source coordinate of output index `x` along an axis (float64; `scale` is the given
 * scale, or out/in when sizes were given; `resized` is ONNX's length_resized, which
 * pytorch_half_pixel and align_corners read: docs/semantics.md). */
export function sourceCoordinate(x: number, inLen: number, resized: number, scale: number, mode: CoordinateMode): number {
  switch (mode) {
    case 'half_pixel':
      return (x + 0.5) / scale - 0.5;
    case 'pytorch_half_pixel':
      return resized > 1 ? (x + 0.5) / scale - 0.5 : 0;
    case 'align_corners':
      return resized === 1 ? 0 : (x * (inLen - 1)) / (resized - 1);
    case 'asymmetric':
      return x / scale;
  }
}

/** ONNX's length_resized, in * scale, as the CPU backend takes it: the output length where in *
 * scale is that length to float32 precision (sizes reach the spec as float32 scales). */
export function resizedLength(inLen: number, scale: number, outLen: number): number {
  const l = inLen * scale;
  return Math.abs(l - outLen) <= l * 2 ** -23 ? outLen : l;
}

function nearestIndex(c: number, mode: NearestMode, inLen: number): number {
  const f = Math.floor(c);
  const frac = c - f;
  let i = f;
  if (frac !== 0) {
    if (mode === 'ceil') i = f + 1;
    else if (mode === 'round_prefer_floor') i = frac <= 0.5 ? f : f + 1;
    else if (mode === 'round_prefer_ceil') i = frac < 0.5 ? f : f + 1;
  }
  return Math.min(Math.max(i, 0), inLen - 1);
}

/** Words per output index in an axis's table: source indices i0, i1 (u32) and the float32
 * weights of i0 and i1. */
const TABLE_WORDS = 4;

/**
 * One axis's table. nearest: i1 = i0, weights 1 and 0. linear clamps the coordinate to
 * [0, in - 1] as ONNX does; the weights 1 - lambda and lambda are computed in float64 and each
 * rounded once (rounding lambda and then subtracting would lose 1 - lambda's relative accuracy
 * when lambda is near 1).
 */
export function resizeAxisTable(inLen: number, outLen: number, scale: number, a: ResizeAttrs): Uint32Array {
  const words = new Uint32Array(TABLE_WORDS * outLen);
  const f = new Float32Array(words.buffer);
  for (let x = 0; x < outLen; x++) {
    const c = sourceCoordinate(x, inLen, resizedLength(inLen, scale, outLen), scale, a.coordinateTransformationMode);
    const at = TABLE_WORDS * x;
    if (a.mode === 'nearest') {
      const i = nearestIndex(c, a.nearestMode, inLen);
      words[at] = i;
      words[at + 1] = i;
      f[at + 2] = 1;
      f[at + 3] = 0;
    } else {
      const cc = Math.min(Math.max(c, 0), inLen - 1);
      const i0 = Math.floor(cc);
      const lambda = cc - i0;
      words[at] = i0;
      words[at + 1] = Math.min(i0 + 1, inLen - 1);
      f[at + 2] = 1 - lambda;
      f[at + 3] = lambda;
    }
  }
  return words;
}

/** What the kernel needs of a resize spec (core's ResizeSpec has these fields). */
export interface ResizeShape extends ResizeAttrs {
  input: readonly number[];
  output: readonly number[];
  scales: readonly number[];
}

/** nearest gathers over any rank up to 6; linear blends the last two axes, the others unchanged. */
export function resizeRunnable(s: ResizeShape): boolean {
  const r = s.input.length;
  if (s.mode === 'nearest') return r <= 6;
  return r >= 2 && s.input.slice(0, r - 2).every((d, k) => s.output[k] === d);
}

export function resizeKey(mode: ResizeMode, rank: number): string {
  return mode === 'nearest' ? `resize:nearest:r${rank}` : 'resize:linear';
}

const LINEAR_PARAMS = ['h', 'w', 'hOut', 'wOut'] as const;
const nearestParams = (r: number) => [...axisNames('d', r), ...axisNames('s', r), ...axisNames('t', r)];

/**
 * nearest: output axis d's coordinate c indexes its table (from word t_d) for the source index;
 * the element is copied. linear, on the last two axes: the tables (H's then W's, TABLE_WORDS
 * per output index) hold i0, i1 and their weights; the blend is
 * wy0 * (wx0 * x00 + wx1 * x01) + wy1 * (wx0 * x10 + wx1 * x11).
 */
export function resizeWgsl(mode: ResizeMode, rank: number): string {
  const bindings = ['var<storage, read> X: array<f32>;', 'var<storage, read> T: array<u32>;', 'var<storage, read_write> Y: array<f32>;'];
  if (mode === 'nearest') {
    const L = flatKernelOpen(nearestParams(rank), bindings);
    L.push(...decompose('i', axisNames('u.d', rank)).map((x) => `  ${x}`));
    L.push(
      `  Y[i] = X[${axisNames('c', rank)
        .map((c, d) => `T[u.t${d} + ${c}] * u.s${d}`)
        .join(' + ')}];`,
      '}',
    );
    return L.join('\n');
  }
  // The weight is tested by its bits: WGSL may assume no infinities in float arithmetic.
  const L = ['fn tap(v: f32, w: f32) -> f32 { return select(v, 0.0, bitcast<u32>(w) == 0u); }', ...flatKernelOpen([...LINEAR_PARAMS], bindings)];
  L.push(
    '  let ox = i % u.wOut; let oy = (i / u.wOut) % u.hOut; let plane = i / (u.wOut * u.hOut);',
    '  let base = plane * u.h * u.w;',
    `  let ty = ${TABLE_WORDS}u * oy; let tx = ${TABLE_WORDS}u * (u.hOut + ox);`,
    '  let r0 = base + T[ty] * u.w; let r1 = base + T[ty + 1u] * u.w;',
    '  let x0 = T[tx]; let x1 = T[tx + 1u];',
    '  let wy0 = bitcast<f32>(T[ty + 2u]); let wy1 = bitcast<f32>(T[ty + 3u]);',
    '  let wx0 = bitcast<f32>(T[tx + 2u]); let wx1 = bitcast<f32>(T[tx + 3u]);',
    // A tap of weight 0 is left out (as the CPU does), so an infinity there is not 0 * inf = NaN.
    '  let top = wx0 * X[r0 + x0] + wx1 * tap(X[r0 + x1], wx1);',
    '  let bottom = wx0 * X[r1 + x0] + wx1 * tap(X[r1 + x1], wx1);',
    '  Y[i] = wy0 * top + wy1 * tap(bottom, wy1);',
    '}',
  );
  return L.join('\n');
}

/** The dispatch and its table buffer (released with the plan's temps). */
export async function resizeDispatch(rt: GpuRuntime, s: ResizeShape, x: GpuArray, y: GpuArray): Promise<{ dispatch: Dispatch; table: GpuArray }> {
  const r = s.input.length;
  const total = shapeCount(s.output);
  if (s.mode === 'nearest') {
    const tables = s.input.map((n, d) => resizeAxisTable(n, s.output[d], s.scales[d], s).filter((_, k) => k % TABLE_WORDS === 0));
    const words = new Uint32Array(tables.reduce((t, w) => t + w.length, 0));
    const v: Record<string, number> = {};
    const strides = contiguousStrides(s.input);
    let at = 0;
    tables.forEach((w, d) => {
      words.set(w, at);
      v[`d${d}`] = s.output[d];
      v[`s${d}`] = strides[d];
      v[`t${d}`] = at;
      at += w.length;
    });
    const pipeline = await rt.pipeline(resizeKey('nearest', r), () => resizeWgsl('nearest', r));
    const table = rt.upload(new Float32Array(words.buffer));
    return { dispatch: flatDispatch(pipeline, total, [x, table, y], nearestParams(r), v, 1), table };
  }
  const [h, w] = [s.input[r - 2], s.input[r - 1]];
  const [hOut, wOut] = [s.output[r - 2], s.output[r - 1]];
  const ty = resizeAxisTable(h, hOut, s.scales[r - 2], s);
  const tx = resizeAxisTable(w, wOut, s.scales[r - 1], s);
  const words = new Uint32Array(ty.length + tx.length);
  words.set(ty);
  words.set(tx, ty.length);
  const pipeline = await rt.pipeline(resizeKey('linear', r), () => resizeWgsl('linear', r));
  const table = rt.upload(new Float32Array(words.buffer));
  return { dispatch: flatDispatch(pipeline, total, [x, table, y], [...LINEAR_PARAMS], { h, w, hOut, wOut }, 8), table };
}
