import type { Dispatch, GpuArray, GpuRuntime } from '../runtime.ts';
import { flatDispatch, flatKernelOpen, IS_NAN_FN } from './flat.ts';

/** A 2-D pooling window over NCHW: padding [top, left, bottom, right] as conv's. */
export interface PoolGeometry {
  n: number;
  c: number;
  h: number;
  w: number;
  hOut: number;
  wOut: number;
  kernel: readonly [number, number];
  stride: readonly [number, number];
  padding: readonly [number, number, number, number];
  dilation: readonly [number, number];
}

export type PoolKind = 'max' | 'average';

const PARAMS = ['h', 'w', 'hOut', 'wOut', 'kH', 'kW', 'sH', 'sW', 'top', 'left', 'dH', 'dW', 'loH', 'hiH', 'loW', 'hiW'] as const;

export function poolKey(kind: PoolKind): string {
  return `pool:${kind}`;
}

/**
 * One invocation per output: the window's taps inside the input. max starts at -inf and lets a
 * NaN through (an exact copy of the largest tap); average sums the taps in float32 and multiplies
 * by the correctly rounded reciprocal of the count (WGSL's `/` may err by 2.5 ulp), the count being the taps inside [lo, hi) per axis, which is the input ([0, H)) or, with
 * count_include_pad, the explicitly padded extent ([-top, H + bottom)); a ceil-mode window's
 * overhang past that extent never counts. Geometry is uniform: one pipeline per kind.
 */
export function poolWgsl(kind: PoolKind): string {
  const bindings = ['var<storage, read> X: array<f32>;', 'var<storage, read_write> Y: array<f32>;'];
  // average: R[d] is the correctly rounded float32 reciprocal of the count d (host table).
  if (kind === 'average') bindings.push('var<storage, read> R: array<f32>;');
  const L = [IS_NAN_FN, ...flatKernelOpen([...PARAMS], bindings)];
  L.push(
    '  let ox = i % u.wOut; let oy = (i / u.wOut) % u.hOut; let plane = i / (u.wOut * u.hOut);',
    '  let y0 = i32(oy * u.sH) - bitcast<i32>(u.top); let x0 = i32(ox * u.sW) - bitcast<i32>(u.left);',
    '  let base = plane * u.h * u.w;',
    kind === 'max' ? '  var ninf = 0xff800000u; var acc = bitcast<f32>(ninf);' : '  var acc = 0.0; var count = 0u;',
    '  for (var p = 0u; p < u.kH; p++) {',
    '    let y = y0 + i32(p * u.dH);',
    '    for (var q = 0u; q < u.kW; q++) {',
    '      let x = x0 + i32(q * u.dW);',
    '      let inside = y >= 0 && y < i32(u.h) && x >= 0 && x < i32(u.w);',
    '      let v = X[select(0u, base + u32(y) * u.w + u32(x), inside)];',
  );
  if (kind === 'max') {
    L.push('      if (inside && (v > acc || isNan(v))) { acc = v; }', '    }', '  }', '  Y[i] = acc;', '}');
  } else {
    L.push(
      '      if (inside) { acc = acc + v; }',
      '      let counted = y >= bitcast<i32>(u.loH) && y < bitcast<i32>(u.hiH) && x >= bitcast<i32>(u.loW) && x < bitcast<i32>(u.hiW);',
      '      count = count + select(0u, 1u, counted);',
      '    }',
      '  }',
      '  Y[i] = acc * R[count];',
      '}',
    );
  }
  return L.join('\n');
}

/** The dispatch, and for average pooling the reciprocal table to release with the plan. */
export async function poolDispatch(
  rt: GpuRuntime,
  kind: PoolKind,
  g: PoolGeometry,
  countIncludePad: boolean,
  x: GpuArray,
  y: GpuArray,
): Promise<{ dispatch: Dispatch; recips?: GpuArray }> {
  const pipeline = await rt.pipeline(poolKey(kind), () => poolWgsl(kind));
  const [top, left, bottom, right] = g.padding;
  const inc = countIncludePad;
  const v = {
    h: g.h,
    w: g.w,
    hOut: g.hOut,
    wOut: g.wOut,
    kH: g.kernel[0],
    kW: g.kernel[1],
    sH: g.stride[0],
    sW: g.stride[1],
    top: top >>> 0,
    left: left >>> 0,
    dH: g.dilation[0],
    dW: g.dilation[1],
    loH: (inc ? -top : 0) >>> 0,
    hiH: inc ? g.h + bottom : g.h,
    loW: (inc ? -left : 0) >>> 0,
    hiW: inc ? g.w + right : g.w,
  };
  const total = g.n * g.c * g.hOut * g.wOut;
  const taps = g.kernel[0] * g.kernel[1];
  if (kind === 'max') return { dispatch: flatDispatch(pipeline, total, [x, y], [...PARAMS], v, taps) };
  // 1 / d in float64 rounded to float32 is the correctly rounded reciprocal (innocuous double rounding).
  const recips = rt.upload(Float32Array.from({ length: taps + 1 }, (_, d) => (d === 0 ? 0 : 1 / d)));
  return { dispatch: flatDispatch(pipeline, total, [x, y, recips], [...PARAMS], v, taps), recips };
}
