/**
 * Winograd's minimal filtering F(m, 3) (Lavin & Gray, arXiv:1509.09308): an m x m output tile of
 * a 3x3 stride-1 correlation from an alpha x alpha input tile (alpha = m + 2) as
 *   Y = A^T [ sum_c (G g_c G^T) . (B^T d_c B) ] A      (. elementwise)
 * The matrices here are the one definition the CPU and WebGPU kernels generate their transforms
 * from and conformance bounds them by (docs/winograd-bound.md). Points: F(2,3) 0, +-1, inf;
 * F(4,3) 0, +-1, +-2, inf, the choice of cuDNN, TFLite and ncnn; the bound says why (small
 * points keep the transforms' absolute sums small).
 */
export interface WinogradTransform {
  /** output tile side m */
  readonly m: number;
  /** input tile side alpha = m + 2 */
  readonly alpha: number;
  /** B^T: alpha x alpha, applied to the input tile d as B^T d B */
  readonly bt: readonly (readonly number[])[];
  /** G: alpha x 3, applied to the filter g as G g G^T (entries the exact rationals, e.g. 1/6) */
  readonly g: readonly (readonly number[])[];
  /** A^T: m x alpha, applied to the product tile M as A^T M A */
  readonly at: readonly (readonly number[])[];
}

const F2X3: WinogradTransform = {
  m: 2,
  alpha: 4,
  bt: [
    [1, 0, -1, 0],
    [0, 1, 1, 0],
    [0, -1, 1, 0],
    [0, 1, 0, -1],
  ],
  g: [
    [1, 0, 0],
    [1 / 2, 1 / 2, 1 / 2],
    [1 / 2, -1 / 2, 1 / 2],
    [0, 0, 1],
  ],
  at: [
    [1, 1, 1, 0],
    [0, 1, -1, -1],
  ],
};

const F4X3: WinogradTransform = {
  m: 4,
  alpha: 6,
  bt: [
    [4, 0, -5, 0, 1, 0],
    [0, -4, -4, 1, 1, 0],
    [0, 4, -4, -1, 1, 0],
    [0, -2, -1, 2, 1, 0],
    [0, 2, -1, -2, 1, 0],
    [0, 4, 0, -5, 0, 1],
  ],
  g: [
    [1 / 4, 0, 0],
    [-1 / 6, -1 / 6, -1 / 6],
    [-1 / 6, 1 / 6, -1 / 6],
    [1 / 24, 1 / 12, 1 / 6],
    [1 / 24, -1 / 12, 1 / 6],
    [0, 0, 1],
  ],
  at: [
    [1, 1, 1, 1, 1, 0],
    [0, 1, -1, 2, -2, 0],
    [0, 1, 1, 4, 4, 0],
    [0, 1, -1, 8, -8, 1],
  ],
};

export type WinogradMethod = 'winograd-2x3' | 'winograd-4x3';
export const WINOGRAD_METHODS: readonly WinogradMethod[] = ['winograd-2x3', 'winograd-4x3'];

export function isWinogradMethod(m: unknown): m is WinogradMethod {
  return m === 'winograd-2x3' || m === 'winograd-4x3';
}

export function winogradTransform(method: WinogradMethod): WinogradTransform {
  return method === 'winograd-2x3' ? F2X3 : F4X3;
}

/** Tiles per output axis: tiles start at output (0, 0) and step by m; the last may be partial
 * (its outputs past the edge are computed from zero-padded reads and dropped). */
export function winogradTiles(method: WinogradMethod, hOut: number, wOut: number): { tilesH: number; tilesW: number } {
  const { m } = winogradTransform(method);
  return { tilesH: Math.ceil(hOut / m), tilesW: Math.ceil(wOut / m) };
}

/** One matrix row's nonzero entries, coefficients rounded to float32 (as the kernels use them:
 * 1/6 is fl32(1/6), a rounding the bound counts). */
export interface TransformRow {
  readonly index: readonly number[];
  readonly coef: readonly number[];
}

export function transformRows(matrix: readonly (readonly number[])[]): TransformRow[] {
  return matrix.map((row) => {
    const index: number[] = [];
    const coef: number[] = [];
    row.forEach((v, k) => {
      if (v !== 0) {
        index.push(k);
        coef.push(Math.fround(v));
      }
    });
    return { index, coef };
  });
}

/**
 * out = L X L^T for a k x k tile X (row-major, `src` at `srcOff` with row stride `srcRs`) and an
 * r x k matrix L given by its rows: first T = L X, then out = T L^T, each entry a sum of
 * coefficient * value products rounded to float32 once per stage (the float64 sum of at most six
 * exact products is rounded once). `tmp` holds r * k values; out gets r * r, row-major.
 */
export function transformTile(
  rows: readonly TransformRow[],
  k: number,
  src: ArrayLike<number>,
  srcOff: number,
  srcRs: number,
  tmp: Float32Array,
  out: Float32Array,
  outOff: number,
): void {
  const r = rows.length;
  for (let i = 0; i < r; i++) {
    const { index, coef } = rows[i];
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < index.length; t++) s += coef[t] * src[srcOff + index[t] * srcRs + j];
      tmp[i * k + j] = s;
    }
  }
  for (let i = 0; i < r; i++) {
    for (let l = 0; l < r; l++) {
      const { index, coef } = rows[l];
      let s = 0;
      for (let t = 0; t < index.length; t++) s += coef[t] * tmp[i * k + index[t]];
      out[outOff + i * r + l] = s;
    }
  }
}

/**
 * The filter transform U = G g G^T of every filter, laid out [groups][alpha^2][C_out/g][C_in/g]:
 * per group and tile point, the A operand of the channel GEMM. Done once per weight (the CPU per
 * call, WebGPU per weight upload).
 */
export function winogradFilterTransform(method: WinogradMethod, w: Float32Array, cOut: number, cInG: number, groups: number): Float32Array {
  const { alpha, g } = winogradTransform(method);
  const rows = transformRows(g);
  const a2 = alpha * alpha;
  const cOutG = cOut / groups;
  const out = new Float32Array(a2 * cOut * cInG);
  const tmp = new Float32Array(alpha * 3);
  const u = new Float32Array(a2);
  for (let o = 0; o < cOut; o++) {
    const grp = Math.floor(o / cOutG);
    const oG = o - grp * cOutG;
    for (let c = 0; c < cInG; c++) {
      transformTile(rows, 3, w, (o * cInG + c) * 9, 3, tmp, u, 0);
      for (let xi = 0; xi < a2; xi++) out[((grp * a2 + xi) * cOutG + oG) * cInG + c] = u[xi];
    }
  }
  return out;
}
