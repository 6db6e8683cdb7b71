/** Summary of one case's timing samples (milliseconds): median and spread (min, max, quartiles). */
export interface SampleStats {
  n: number;
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
}

/** Quantile by linear interpolation between order statistics (Hyndman & Fan type 7, R's default). */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function sampleStats(samples: readonly number[]): SampleStats {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, median: quantile(s, 0.5), min: s[0] ?? Number.NaN, max: s[s.length - 1] ?? Number.NaN, q1: quantile(s, 0.25), q3: quantile(s, 0.75) };
}
