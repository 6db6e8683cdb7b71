import { describe, expectTypeOf, it } from 'vitest';
import {
  type AveragepoolAttrs,
  type AveragepoolSpec,
  type AveragepoolSpecInit,
  averagepoolSpec,
  type BatchnormalizationAttrs,
  type BatchnormalizationSpec,
  type BatchnormalizationSpecInit,
  type BinarySpec,
  type BinarySpecInit,
  batchnormalizationSpec,
  type ClipAttrs,
  type ClipSpec,
  type ClipSpecInit,
  type ConcatAttrs,
  type ConcatSpec,
  type ConcatSpecInit,
  clipSpec,
  concatSpec,
  divSpec,
  type FlattenAttrs,
  type FlattenSpec,
  flattenSpec,
  type GlobalaveragepoolSpec,
  GraphBuilder,
  globalaveragepoolSpec,
  type HardsigmoidAttrs,
  type HardsigmoidSpec,
  type HardsigmoidSpecInit,
  hardsigmoidSpec,
  type LeakyreluAttrs,
  type LeakyreluSpec,
  type LeakyreluSpecInit,
  leakyreluSpec,
  type MatmulSpec,
  type MatmulSpecInit,
  type MaxpoolAttrs,
  type MaxpoolSpec,
  matmulSpec,
  maxpoolSpec,
  type OpSpec,
  type PadAttrs,
  type PadSpec,
  type PadSpecInit,
  type PoolSpecInit,
  padSpec,
  type ReducemeanAttrs,
  type ReducemeanSpec,
  type ReducemeanSpecInit,
  type ReshapeAttrs,
  type ReshapeSpec,
  type ReshapeSpecInit,
  type ResizeAttrs,
  type ResizeCoordinateMode,
  type ResizeMode,
  type ResizeNearestMode,
  type ResizeSpec,
  type ResizeSpecInit,
  reducemeanSpec,
  reluSpec,
  reshapeSpec,
  resizeSpec,
  type SoftmaxAttrs,
  type SoftmaxSpec,
  type SoftmaxSpecInit,
  type SqueezeAttrs,
  type SqueezeSpec,
  softmaxSpec,
  squeezeSpec,
  type TransposeAttrs,
  type TransposeSpec,
  transposeSpec,
  type UnarySpec,
  type UnarySpecInit,
  type UnsqueezeAttrs,
  type UnsqueezeSpec,
  unsqueezeSpec,
} from '../src/index.ts';

// The contract other packages code to: each constructor takes its Init and returns its Spec, each
// OpSpec variant carries that spec, and GraphBuilder takes the node attrs (the Init less shapes).
describe('op spec types (issue 13 contract)', () => {
  it('constructors map Init to Spec', () => {
    expectTypeOf(divSpec).toEqualTypeOf<(init: BinarySpecInit) => BinarySpec>();
    expectTypeOf(reluSpec).toEqualTypeOf<(init: UnarySpecInit) => UnarySpec>();
    expectTypeOf(hardsigmoidSpec).toEqualTypeOf<(init: HardsigmoidSpecInit) => HardsigmoidSpec>();
    expectTypeOf(leakyreluSpec).toEqualTypeOf<(init: LeakyreluSpecInit) => LeakyreluSpec>();
    expectTypeOf(clipSpec).toEqualTypeOf<(init: ClipSpecInit) => ClipSpec>();
    expectTypeOf(batchnormalizationSpec).toEqualTypeOf<(init: BatchnormalizationSpecInit) => BatchnormalizationSpec>();
    expectTypeOf(softmaxSpec).toEqualTypeOf<(init: SoftmaxSpecInit) => SoftmaxSpec>();
    expectTypeOf(matmulSpec).toEqualTypeOf<(init: MatmulSpecInit) => MatmulSpec>();
    expectTypeOf(maxpoolSpec).toEqualTypeOf<(init: PoolSpecInit) => MaxpoolSpec>();
    expectTypeOf(averagepoolSpec).toEqualTypeOf<(init: AveragepoolSpecInit) => AveragepoolSpec>();
    expectTypeOf(globalaveragepoolSpec).returns.toEqualTypeOf<GlobalaveragepoolSpec>();
    expectTypeOf(reducemeanSpec).toEqualTypeOf<(init: ReducemeanSpecInit) => ReducemeanSpec>();
    expectTypeOf(concatSpec).toEqualTypeOf<(init: ConcatSpecInit) => ConcatSpec>();
    expectTypeOf(reshapeSpec).toEqualTypeOf<(init: ReshapeSpecInit) => ReshapeSpec>();
    expectTypeOf(flattenSpec).returns.toEqualTypeOf<FlattenSpec>();
    expectTypeOf(transposeSpec).returns.toEqualTypeOf<TransposeSpec>();
    expectTypeOf(squeezeSpec).returns.toEqualTypeOf<SqueezeSpec>();
    expectTypeOf(unsqueezeSpec).returns.toEqualTypeOf<UnsqueezeSpec>();
    expectTypeOf(padSpec).toEqualTypeOf<(init: PadSpecInit) => PadSpec>();
    expectTypeOf(resizeSpec).toEqualTypeOf<(init: ResizeSpecInit) => ResizeSpec>();
    expectTypeOf<ResizeSpec['mode']>().toEqualTypeOf<ResizeMode>();
    expectTypeOf<ResizeSpec['coordinateTransformationMode']>().toEqualTypeOf<ResizeCoordinateMode>();
    expectTypeOf<ResizeSpec['nearestMode']>().toEqualTypeOf<ResizeNearestMode>();
  });

  it('OpSpec variants carry their specs', () => {
    expectTypeOf<Extract<OpSpec, { op: 'add' | 'sub' | 'mul' | 'div' }>['spec']>().toEqualTypeOf<BinarySpec>();
    expectTypeOf<Extract<OpSpec, { op: 'maxpool' }>['spec']>().toEqualTypeOf<MaxpoolSpec>();
    expectTypeOf<Extract<OpSpec, { op: 'resize' }>['spec']>().toEqualTypeOf<ResizeSpec>();
  });

  it('GraphBuilder takes each op node attrs', () => {
    const g = GraphBuilder.prototype;
    expectTypeOf(g.hardsigmoid).parameter(2).toEqualTypeOf<HardsigmoidAttrs | undefined>();
    expectTypeOf(g.leakyrelu).parameter(2).toEqualTypeOf<LeakyreluAttrs | undefined>();
    expectTypeOf(g.clip).parameter(2).toEqualTypeOf<ClipAttrs | undefined>();
    expectTypeOf(g.batchnormalization).parameter(3).toEqualTypeOf<BatchnormalizationAttrs | undefined>();
    expectTypeOf(g.softmax).parameter(2).toEqualTypeOf<SoftmaxAttrs | undefined>();
    expectTypeOf(g.maxpool).parameter(2).toEqualTypeOf<MaxpoolAttrs>();
    expectTypeOf(g.averagepool).parameter(2).toEqualTypeOf<AveragepoolAttrs>();
    expectTypeOf(g.reducemean).parameter(2).toEqualTypeOf<ReducemeanAttrs | undefined>();
    expectTypeOf(g.concat).parameter(2).toEqualTypeOf<ConcatAttrs>();
    expectTypeOf(g.reshape).parameter(2).toEqualTypeOf<ReshapeAttrs>();
    expectTypeOf(g.flatten).parameter(2).toEqualTypeOf<FlattenAttrs | undefined>();
    expectTypeOf(g.transpose).parameter(2).toEqualTypeOf<TransposeAttrs | undefined>();
    expectTypeOf(g.squeeze).parameter(2).toEqualTypeOf<SqueezeAttrs | undefined>();
    expectTypeOf(g.unsqueeze).parameter(2).toEqualTypeOf<UnsqueezeAttrs>();
    expectTypeOf(g.pad).parameter(2).toEqualTypeOf<PadAttrs>();
    expectTypeOf(g.resize).parameter(2).toEqualTypeOf<ResizeAttrs>();
  });
});
