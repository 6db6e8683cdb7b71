import {
  averagepoolSpec,
  concatSpec,
  flattenSpec,
  globalaveragepoolSpec,
  maxpoolSpec,
  type OpSpec,
  padSpec,
  reducemeanSpec,
  reshapeSpec,
  resizeSpec,
  type Shape,
  squeezeSpec,
  type Tensor,
  transposeSpec,
  unsqueezeSpec,
} from '@convroute/core';
import * as fc from 'fast-check';
import { type DataKind, dataSeedArb, tensorData } from './tensor-data.ts';

/** One op of the pooling, reduction, shape and resize family with its inputs. */
export interface PoolShapeResizeCase {
  op: OpSpec;
  inputs: Tensor[];
  kind: DataKind;
}

const dim = (max: number) => fc.integer({ min: 1, max });
const shapeArb = (minRank: number, maxRank: number, maxDim = 4) => fc.array(dim(maxDim), { minLength: minRank, maxLength: maxRank });
const nchw = fc.tuple(dim(2), dim(3), dim(7), dim(7)).map((s) => [...s]);

/** Builds a spec, or nothing when the constructor refuses the drawn attributes. */
function built<T>(make: () => T): T[] {
  try {
    return [make()];
  } catch {
    return [];
  }
}

const poolArb: fc.Arbitrary<OpSpec[]> = fc
  .record({
    input: nchw,
    kernel: fc.tuple(dim(3), dim(3)),
    stride: fc.tuple(dim(3), dim(3)),
    padding: fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)),
    dilation: fc.tuple(dim(2), dim(2)),
    ceilMode: fc.boolean(),
    countIncludePad: fc.boolean(),
    max: fc.boolean(),
  })
  .map((r) => built<OpSpec>(() => (r.max ? { op: 'maxpool', spec: maxpoolSpec(r) } : { op: 'averagepool', spec: averagepoolSpec(r) })));

const reduceArb: fc.Arbitrary<OpSpec[]> = fc.oneof(
  shapeArb(3, 4, 7).map((input) => built<OpSpec>(() => ({ op: 'globalaveragepool', spec: globalaveragepoolSpec({ input }) }))),
  shapeArb(1, 4)
    .chain((input) =>
      fc.record({
        input: fc.constant(input),
        axes: fc.subarray(
          input.map((_, i) => i),
          { minLength: 1 },
        ),
        keepdims: fc.boolean(),
      }),
    )
    .map((r) => built<OpSpec>(() => ({ op: 'reducemean', spec: reducemeanSpec(r) }))),
);

const shapeOpArb: fc.Arbitrary<OpSpec[]> = shapeArb(1, 4).chain((input) => {
  const rank = input.length;
  const axis = fc.integer({ min: 0, max: rank - 1 });
  return fc.oneof(
    fc
      .tuple(axis, fc.array(dim(3), { minLength: 1, maxLength: 2 }))
      .map(([a, extents]) =>
        built<OpSpec>(() => ({ op: 'concat', spec: concatSpec({ inputs: [input, ...extents.map((e) => input.map((d, i) => (i === a ? e : d)))], axis: a }) })),
      ),
    fc.constant(built<OpSpec>(() => ({ op: 'reshape', spec: reshapeSpec({ input, shape: [-1] }) }))),
    fc.integer({ min: 0, max: rank }).map((a) => built<OpSpec>(() => ({ op: 'flatten', spec: flattenSpec({ input, axis: a }) }))),
    fc
      .shuffledSubarray(
        input.map((_, i) => i),
        { minLength: rank, maxLength: rank },
      )
      .map((perm) => built<OpSpec>(() => ({ op: 'transpose', spec: transposeSpec({ input, perm }) }))),
    fc.constant(built<OpSpec>(() => ({ op: 'squeeze', spec: squeezeSpec({ input }) }))),
    fc.constant(built<OpSpec>(() => ({ op: 'unsqueeze', spec: unsqueezeSpec({ input, axes: [0, rank] }) }))),
    fc
      .tuple(fc.array(fc.nat(2), { minLength: 2 * rank, maxLength: 2 * rank }), fc.constantFrom(0, -1.5, 0.1))
      .map(([pads, value]) => built<OpSpec>(() => ({ op: 'pad', spec: padSpec({ input, pads, value }) }))),
  );
});

const scaleArb = fc.constantFrom(0.5, 0.6, 0.75, 1, 1.5, 2, 2.5, 3);
const resizeArb: fc.Arbitrary<OpSpec[]> = fc
  .record({
    input: nchw,
    mode: fc.constantFrom('nearest' as const, 'linear' as const),
    coordinateTransformationMode: fc.constantFrom('half_pixel' as const, 'pytorch_half_pixel' as const, 'align_corners' as const, 'asymmetric' as const),
    nearestMode: fc.constantFrom('round_prefer_floor' as const, 'round_prefer_ceil' as const, 'floor' as const, 'ceil' as const),
    bySizes: fc.boolean(),
    scales: fc.tuple(scaleArb, scaleArb),
    sizes: fc.tuple(dim(9), dim(9)),
  })
  .map((r) =>
    built<OpSpec>(() => {
      const [n, c] = r.input;
      const given = r.bySizes ? { sizes: [n, c, ...r.sizes] } : { scales: [1, 1, ...r.scales] };
      return {
        op: 'resize',
        spec: resizeSpec({ input: r.input, mode: r.mode, coordinateTransformationMode: r.coordinateTransformationMode, nearestMode: r.nearestMode, ...given }),
      };
    }),
  );

function inputShapes(op: OpSpec): Shape[] {
  return op.op === 'concat' ? op.spec.inputs.map((s) => [...s]) : [[...(op.spec as { input: readonly number[] }).input]];
}

/** Random cases of maxpool, averagepool, globalaveragepool, reducemean, the shape ops and resize,
 * with float, small-integer or special-value data. */
export const poolShapeResizeCaseArb: fc.Arbitrary<PoolShapeResizeCase> = fc
  .oneof(poolArb, reduceArb, shapeOpArb, resizeArb)
  .filter((ops) => ops.length === 1)
  .chain((ops) =>
    fc.record({ op: fc.constant(ops[0]), kind: fc.constantFrom<DataKind>('float', 'small-int', 'specials'), seed: dataSeedArb }).map(({ op, kind, seed }) => ({
      op,
      kind,
      inputs: inputShapes(op).map((s, i) => tensorData(s, kind, seed + i)),
    })),
  );
