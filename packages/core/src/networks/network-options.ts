import { ConvrouteError } from '../errors.ts';

/** How a whole network is instantiated: batch, spatial size, classes and the weights' seed. */
export interface NetworkOptions {
  /** default 1 */
  batch?: number;
  /** Input height and width: one number for a square input, or [height, width]; default 224. */
  size?: number | readonly [number, number];
  /** Classifier outputs; default 1000 (ImageNet, as torchvision's parameter counts assume). */
  classes?: number;
  /** Seed of every weight and statistic; default 0. */
  seed?: number;
}

export interface NetworkInput {
  /** The graph input `input`'s shape [N, 3, H, W]. */
  shape: [number, number, number, number];
  classes: number;
  seed: number;
}

function positiveInt(field: string, v: unknown, fallback: number, max: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) {
    throw new ConvrouteError('INVALID_ARGUMENT', field, v, `must be an integer in [1, ${max}]`);
  }
  return v;
}

/** Validates the options; a size too small for the net's downsampling fails later, naming the
 * node whose output would be empty. */
export function networkInput(o: NetworkOptions): NetworkInput {
  if (o === null || typeof o !== 'object') throw new ConvrouteError('INVALID_ARGUMENT', 'options', o, 'must be an object');
  const batch = positiveInt('batch', o.batch, 1, 65536);
  const size = o.size ?? 224;
  const hw = typeof size === 'number' ? [size, size] : size;
  if (!Array.isArray(hw) || hw.length !== 2) throw new ConvrouteError('INVALID_ARGUMENT', 'size', size, 'must be an integer or [height, width]');
  const height = positiveInt('size[0]', hw[0], 224, 16384);
  const width = positiveInt('size[1]', hw[1], 224, 16384);
  const classes = positiveInt('classes', o.classes, 1000, 1 << 20);
  if (o.seed !== undefined && (typeof o.seed !== 'number' || !Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff)) {
    throw new ConvrouteError('INVALID_ARGUMENT', 'seed', o.seed, 'must be an integer in [0, 2^32 - 1]');
  }
  return { shape: [batch, 3, height, width], classes, seed: o.seed ?? 0 };
}
