import type { Dispatch, GpuArray, GpuRuntime } from '../runtime.ts';
import { flatDispatch, flatKernelOpen } from './flat.ts';

export type ResizeMode = 'nearest' | 'linear';
export type CoordinateMode = 'half_pixel' | 'pytorch_half_pixel' | 'align_corners' | 'asymmetric';
export type NearestMode = 'round_prefer_floor' | 'round_prefer_ceil' | 'floor' | 'ceil';

export interface ResizeAttrs {
  mode: ResizeMode;
  coordinateTransformationMode: CoordinateMode;
  nearestMode: NearestMode;
}

/** ONNX's source coordinate of output index `x` along an axis (float64; `scale` is the given
 * scale, or out/in when sizes were given). */
export function sourceCoordinate(x: number, inLen: number, outLen: number, scale: number, mode: CoordinateMode): number {
  switch (mode) {
    case 'half_pixel':
      return (x + 0.5) / scale - 0.5;
    case 'pytorch_half_pixel':
      return outLen > 1 ? (x + 0.5) / scale - 0.5 : 0;
    case 'align_corners':
      return outLen === 1 ? 0 : (x * (inLen - 1)) / (outLen - 1);
    case 'asymmetric':
      return x / scale;
  }
}

function nearestIndex(c: number, mode: NearestMode, inLen: number): number {
  const f = Math.floor(c);
  let i: number;
  if (mode === 'floor') i = f;
  else if (mode === 'ceil') i = Math.ceil(c);
  else if (c - f === 0.5) i = mode === 'round_prefer_floor' ? f : f + 1;
  else i = Math.round(c);
  return Math.min(Math.max(i, 0), inLen - 1);
}

/** One axis's table, 3 words per output index: source indices i0, i1 (u32 bits) and the weight
 * of i1 (nearest: i1 = i0, weight 0). Linear clamps the coordinate to [0, in - 1] as ONNX does. */
export function resizeAxisTable(inLen: number, outLen: number, scale: number, a: ResizeAttrs): { words: Uint32Array; lambda: Float64Array } {
  const words = new Uint32Array(3 * outLen);
  const f = new Float32Array(words.buffer);
  const lambda = new Float64Array(outLen);
  for (let x = 0; x < outLen; x++) {
    const c = sourceCoordinate(x, inLen, outLen, scale, a.coordinateTransformationMode);
    if (a.mode === 'nearest') {
      const i = nearestIndex(c, a.nearestMode, inLen);
      words[3 * x] = i;
      words[3 * x + 1] = i;
      f[3 * x + 2] = 0;
    } else {
      const cc = Math.min(Math.max(c, 0), inLen - 1);
      const i0 = Math.floor(cc);
      words[3 * x] = i0;
      words[3 * x + 1] = Math.min(i0 + 1, inLen - 1);
      lambda[x] = cc - i0;
      f[3 * x + 2] = cc - i0;
    }
  }
  return { words, lambda };
}

export function resizeKey(mode: ResizeMode): string {
  return `resize:${mode}`;
}

const PARAMS = ['h', 'w', 'hOut', 'wOut'] as const;

/**
 * Resize of the last two axes; the tables (H's then W's) hold the source indices and weights.
 * nearest copies one element; linear blends as (1 - ly) * ((1 - lx) * x00 + lx * x01) + ly * (...).
 */
export function resizeWgsl(mode: ResizeMode): string {
  const L = flatKernelOpen([...PARAMS], ['var<storage, read> X: array<f32>;', 'var<storage, read> T: array<u32>;', 'var<storage, read_write> Y: array<f32>;']);
  L.push(
    '  let ox = i % u.wOut; let oy = (i / u.wOut) % u.hOut; let plane = i / (u.wOut * u.hOut);',
    '  let base = plane * u.h * u.w;',
    '  let ty = 3u * oy; let tx = 3u * (u.hOut + ox);',
  );
  if (mode === 'nearest') {
    L.push('  Y[i] = X[base + T[ty] * u.w + T[tx]];', '}');
  } else {
    L.push(
      '  let r0 = base + T[ty] * u.w; let r1 = base + T[ty + 1u] * u.w;',
      '  let x0 = T[tx]; let x1 = T[tx + 1u];',
      '  let ly = bitcast<f32>(T[ty + 2u]); let lx = bitcast<f32>(T[tx + 2u]);',
      '  let top = (1.0 - lx) * X[r0 + x0] + lx * X[r0 + x1];',
      '  let bottom = (1.0 - lx) * X[r1 + x0] + lx * X[r1 + x1];',
      '  Y[i] = (1.0 - ly) * top + ly * bottom;',
      '}',
    );
  }
  return L.join('\n');
}

/** Resize of `shape`'s last two axes to hOut x wOut with the per-axis scales; returns the
 * dispatch and the table buffer to release after the run. */
export async function resizeDispatch(
  rt: GpuRuntime,
  shape: readonly number[],
  hOut: number,
  wOut: number,
  scales: readonly [number, number],
  a: ResizeAttrs,
  x: GpuArray,
  y: GpuArray,
): Promise<{ dispatch: Dispatch; table: GpuArray }> {
  const r = shape.length;
  const [h, w] = [shape[r - 2], shape[r - 1]];
  const planes = shape.slice(0, r - 2).reduce((p, q) => p * q, 1);
  const ty = resizeAxisTable(h, hOut, scales[0], a).words;
  const tx = resizeAxisTable(w, wOut, scales[1], a).words;
  const words = new Uint32Array(ty.length + tx.length);
  words.set(ty);
  words.set(tx, ty.length);
  const pipeline = await rt.pipeline(resizeKey(a.mode), () => resizeWgsl(a.mode));
  const table = rt.upload(new Float32Array(words.buffer));
  return { dispatch: flatDispatch(pipeline, planes * hOut * wOut, [x, table, y], [...PARAMS], { h, w, hOut, wOut }, 8), table };
}
