import { HALF_ULP_AT_MAX, isEven32, MAX_FLOAT32, nextDown32, nextUp32 } from './float32-bits.ts';

/**
 * An exact sum of float64 terms as a nonoverlapping floating-point expansion (Shewchuk, "Adaptive
 * Precision Floating-Point Arithmetic and Fast Robust Geometric Predicates", 1997: Grow-Expansion
 * with zero elimination, and Compress), rounded once to the nearest float32, ties to even.
 *
 * Products of two float32 values are exact in float64 (48 significant bits), so `addProduct` of
 * float32 operands is exact; other operands are split exactly with Dekker's TwoProduct. IEEE
 * special values follow docs/semantics.md: a NaN term or +inf and -inf give NaN, infinities of one sign
 * give that infinity; overflow on rounding gives an infinity. Zero results are returned as +0.
 */
export class ExactAccumulator {
  /** components in increasing magnitude, none zero */
  private e = new Float64Array(32);
  private len = 0;
  private scratch = new Float64Array(32);
  private nan = false;
  private posInf = false;
  private negInf = false;

  reset(): this {
    this.len = 0;
    this.nan = this.posInf = this.negInf = false;
    return this;
  }

  /** Adds one float64 term exactly. */
  add(b: number): this {
    if (b === 0) return this;
    if (b - b !== 0) {
      // NaN or an infinity
      if (Number.isNaN(b)) this.nan = true;
      else if (b > 0) this.posInf = true;
      else this.negInf = true;
      return this;
    }
    this.len = grow(this.e, this.len, b, this.e);
    if (this.len === this.e.length) {
      const bigger = new Float64Array(this.e.length * 2);
      bigger.set(this.e);
      this.e = bigger;
    }
    if (this.len > 24) this.len = compress(this.e, this.len);
    return this;
  }

  /** Adds a * b exactly. */
  addProduct(a: number, b: number): this {
    const p = a * b;
    if (p - p !== 0 || (Math.fround(a) === a && Math.fround(b) === b)) return this.add(p);
    return this.add(p).add(twoProductError(a, b, p));
  }

  /** The exact sum rounded to the nearest float32 (ties to even), as a number. */
  round(): number {
    if (this.nan || (this.posInf && this.negInf)) return Number.NaN;
    if (this.posInf) return Number.POSITIVE_INFINITY;
    if (this.negInf) return Number.NEGATIVE_INFINITY;
    if (this.len === 0) return 0;
    this.len = compress(this.e, this.len);
    // After Compress the largest component is within a relative 2^-52 of the sum; the loop below
    // only trusts exact comparisons against float32 midpoints, so it is right whatever the start.
    let c = Math.fround(this.e[this.len - 1]);
    if (c === Number.POSITIVE_INFINITY) c = MAX_FLOAT32;
    if (c === Number.NEGATIVE_INFINITY) c = -MAX_FLOAT32;
    for (;;) {
      const up = nextUp32(c);
      const mUp = up === Number.POSITIVE_INFINITY ? c + HALF_ULP_AT_MAX : (c + up) / 2;
      const sUp = this.signMinus(mUp);
      if (sUp > 0) {
        if (up === Number.POSITIVE_INFINITY) return up;
        c = up;
        continue;
      }
      if (sUp === 0) return (isEven32(c) ? c : up) + 0;
      const dn = nextDown32(c);
      const mDn = dn === Number.NEGATIVE_INFINITY ? c - HALF_ULP_AT_MAX : (c + dn) / 2;
      const sDn = this.signMinus(mDn);
      if (sDn < 0) {
        if (dn === Number.NEGATIVE_INFINITY) return dn;
        c = dn;
        continue;
      }
      if (sDn === 0) return (isEven32(c) ? c : dn) + 0;
      return c + 0;
    }
  }

  /** Approximate value (float64) of the exact sum, for diagnostics. */
  approx(): number {
    if (this.nan || (this.posInf && this.negInf)) return Number.NaN;
    if (this.posInf || this.negInf) return this.posInf ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    let s = 0;
    for (let i = 0; i < this.len; i++) s += this.e[i];
    return s;
  }

  /** Sign of (sum - d * m), exactly (d * m must not overflow float64); for exact quotients. */
  signMinusProduct(d: number, m: number): number {
    const p = d * m;
    if (this.scratch.length < this.len + 3) this.scratch = new Float64Array(this.len * 2 + 3);
    let n = grow(this.e, this.len, -p, this.scratch);
    n = grow(this.scratch, n, -twoProductError(d, m, p), this.scratch);
    return n === 0 ? 0 : Math.sign(this.scratch[n - 1]);
  }

  /** Whether the sum holds a NaN or an infinity (round() and approx() then return it). */
  hasSpecial(): boolean {
    return this.nan || this.posInf || this.negInf;
  }

  /** Sign of (sum - m), exactly. */
  private signMinus(m: number): number {
    if (this.scratch.length < this.len + 2) this.scratch = new Float64Array(this.len * 2 + 2);
    const n = grow(this.e, this.len, -m, this.scratch);
    return n === 0 ? 0 : Math.sign(this.scratch[n - 1]);
  }
}

/** Shewchuk's Grow-Expansion with zero elimination: out = e + b (out may alias e). */
function grow(e: Float64Array, len: number, b: number, out: Float64Array): number {
  let q = b;
  let n = 0;
  for (let i = 0; i < len; i++) {
    const ei = e[i];
    // Knuth's TwoSum: s + err == q + ei exactly.
    const s = q + ei;
    const bv = s - q;
    const av = s - bv;
    const err = q - av + (ei - bv);
    q = s;
    if (err !== 0) out[n++] = err;
  }
  if (q !== 0) out[n++] = q;
  return n;
}

/** Shewchuk's Compress: an equal-valued nonoverlapping expansion whose largest component
 * approximates the sum to within a relative 2^-52. */
function compress(e: Float64Array, len: number): number {
  if (len <= 1) return len;
  const g = e;
  let bottom = len - 1;
  let q = e[len - 1];
  for (let i = len - 2; i >= 0; i--) {
    const enow = e[i];
    const qn = q + enow; // FastTwoSum(q, enow), |q| >= |enow| holds by nonoverlap
    const small = enow - (qn - q);
    if (small !== 0) {
      g[bottom--] = qn;
      q = small;
    } else {
      q = qn;
    }
  }
  g[bottom] = q;
  let top = 0;
  for (let i = bottom + 1; i < len; i++) {
    const gnow = g[i];
    const qn = gnow + q; // FastTwoSum(gnow, q)
    const small = q - (qn - gnow);
    if (small !== 0) e[top++] = small;
    q = qn;
  }
  e[top++] = q;
  return top;
}

/** Dekker's TwoProduct error term: a*b - p exactly (no overflow or underflow assumed). */
function twoProductError(a: number, b: number, p: number): number {
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return al * bl - (p - ah * bh - al * bh - ah * bl);
}

function split(a: number): [number, number] {
  const c = 134217729 * a; // 2^27 + 1 (Veltkamp)
  const hi = c - (c - a);
  return [hi, a - hi];
}
