// An independent, slow oracle: exact sums as BigInt scaled to a common exponent, rounded to the
// nearest float32 (ties to even) by hand. Finite float32 inputs only. Shares no code with src/.

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** A finite float64 as [m, e] with value m * 2^e exactly (m a signed BigInt). */
export function decompose(v: number): [bigint, number] {
  if (!Number.isFinite(v)) throw new Error(`oracle: non-finite ${v}`);
  if (v === 0) return [0n, 0];
  f64[0] = v;
  const bits = u64[0];
  const sign = bits >> 63n ? -1n : 1n;
  const be = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  return be === 0 ? [sign * frac, -1074] : [sign * (frac | (1n << 52n)), be - 1075];
}

/** The exact sum of terms given as m * 2^e. */
export function exactSum(terms: [bigint, number][]): [bigint, number] {
  const nz = terms.filter(([m]) => m !== 0n);
  if (nz.length === 0) return [0n, 0];
  const e0 = Math.min(...nz.map(([, e]) => e));
  let s = 0n;
  for (const [m, e] of nz) s += m << BigInt(e - e0);
  return [s, e0];
}

/** Product of two float32 (or any float64) values, exactly. */
export function exactProduct(a: number, b: number): [bigint, number] {
  const [ma, ea] = decompose(a);
  const [mb, eb] = decompose(b);
  return [ma * mb, ea + eb];
}

/** m * 2^e rounded to the nearest float32, ties to even; zero as +0; overflow to infinity. */
export function roundToFloat32([m, e]: [bigint, number]): number {
  if (m === 0n) return 0;
  const neg = m < 0n;
  let a = neg ? -m : m;
  const lead = e + a.toString(2).length - 1;
  const qe = Math.max(lead - 23, -149);
  const shift = qe - e;
  let q: bigint;
  if (shift <= 0) q = a << BigInt(-shift);
  else {
    const sh = BigInt(shift);
    q = a >> sh;
    const r = a - (q << sh);
    const half = 1n << (sh - 1n);
    if (r > half || (r === half && (q & 1n) === 1n)) q += 1n;
  }
  a = q;
  const v = Number(a) * 2 ** qe;
  const mag = v >= 2 ** 128 ? Number.POSITIVE_INFINITY : v;
  if (mag === 0) return 0;
  return neg ? -mag : mag;
}

export interface OracleConv {
  input: number[];
  weight: number[];
  stride: [number, number];
  padding: [number, number, number, number];
  dilation: [number, number];
  groups: number;
  transposed: boolean;
  outputPadding: [number, number];
}

/** Exact conv by the definition (docs/semantics.md), each output rounded once; no activation. */
export function oracleConv(s: OracleConv, x: Float32Array, w: Float32Array, bias?: Float32Array): { shape: number[]; data: Float32Array } {
  const [N, C, H, W] = s.input;
  const [w0, w1, kH, kW] = s.weight;
  const [sH, sW] = s.stride;
  const [top, left, bottom, right] = s.padding;
  const [dH, dW] = s.dilation;
  const G = s.groups;
  const cOut = s.transposed ? w1 * G : w0;
  const Ho = s.transposed ? (H - 1) * sH - top - bottom + dH * (kH - 1) + s.outputPadding[0] + 1 : Math.floor((H + top + bottom - dH * (kH - 1) - 1) / sH) + 1;
  const Wo = s.transposed ? (W - 1) * sW - left - right + dW * (kW - 1) + s.outputPadding[1] + 1 : Math.floor((W + left + right - dW * (kW - 1) - 1) / sW) + 1;
  const out = new Float32Array(N * cOut * Ho * Wo);
  const xAt = (n: number, c: number, i: number, j: number) => x[((n * C + c) * H + i) * W + j];
  let idx = 0;
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < cOut; o++) {
      const g = Math.floor(o / (cOut / G));
      for (let i = 0; i < Ho; i++) {
        for (let j = 0; j < Wo; j++) {
          const terms: [bigint, number][] = bias ? [decompose(bias[o])] : [];
          for (let cc = 0; cc < C / G; cc++) {
            const c = g * (C / G) + cc;
            for (let p = 0; p < kH; p++) {
              for (let q = 0; q < kW; q++) {
                if (!s.transposed) {
                  const ih = i * sH - top + p * dH;
                  const iw = j * sW - left + q * dW;
                  if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                  terms.push(exactProduct(w[((o * (C / G) + cc) * kH + p) * kW + q], xAt(n, c, ih, iw)));
                } else {
                  // a*sH - top + p*dH == i, likewise b for the width
                  const ra = i + top - p * dH;
                  const rb = j + left - q * dW;
                  if (ra < 0 || rb < 0 || ra % sH !== 0 || rb % sW !== 0 || ra / sH >= H || rb / sW >= W) continue;
                  const oo = o - g * (cOut / G);
                  terms.push(exactProduct(xAt(n, c, ra / sH, rb / sW), w[((c * w1 + oo) * kH + p) * kW + q]));
                }
              }
            }
          }
          out[idx++] = roundToFloat32(exactSum(terms));
        }
      }
    }
  }
  return { shape: [N, cOut, Ho, Wo], data: out };
}
