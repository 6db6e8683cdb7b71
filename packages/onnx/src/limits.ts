import { ConvrouteError } from '@convroute/core';

/** Bounds on an untrusted model, checked before the work they bound. */
export interface OnnxLimits {
  /** The model file's size in bytes (default 1 GiB). */
  maxBytes: number;
  /** Nodes in the graph (default 100,000). */
  maxNodes: number;
  /** Elements of one tensor: initializer, Constant or folded value (default 2^28). */
  maxTensorElements: number;
  /** Elements of all constants together (default 2^29). */
  maxTotalElements: number;
  /** UTF-8 bytes of a name, op type or string attribute (default 4096). */
  maxStringLength: number;
  /** Dimensions of a tensor (default 8). */
  maxRank: number;
}

export const DEFAULT_ONNX_LIMITS: Readonly<OnnxLimits> = Object.freeze({
  maxBytes: 2 ** 30,
  maxNodes: 100_000,
  maxTensorElements: 2 ** 28,
  maxTotalElements: 2 ** 29,
  maxStringLength: 4096,
  maxRank: 8,
});

export function checkLimits(given: Partial<OnnxLimits> | undefined): OnnxLimits {
  const limits = { ...DEFAULT_ONNX_LIMITS };
  for (const [key, v] of Object.entries(given ?? {})) {
    if (!(key in limits)) throw new ConvrouteError('INVALID_ARGUMENT', `limits.${key}`, v, `unknown limit; known: ${Object.keys(limits).join(', ')}`);
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1)
      throw new ConvrouteError('INVALID_ARGUMENT', `limits.${key}`, v, 'must be a positive integer');
    limits[key as keyof OnnxLimits] = v;
  }
  return limits;
}

export function checkString(field: string, s: string, limits: OnnxLimits): string {
  // A JS string's UTF-8 size is at most 3 bytes per UTF-16 unit; the length is the cheap bound.
  if (s.length * 3 > limits.maxStringLength && new TextEncoder().encode(s).length > limits.maxStringLength)
    throw new ConvrouteError('TOO_LARGE', field, `${s.slice(0, 40)}...`, `strings are limited to ${limits.maxStringLength} bytes (limits.maxStringLength)`);
  return s;
}
