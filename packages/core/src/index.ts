// Modules whose validators other core modules share are listed by name, so the helpers stay
// internal (test/dead-exports.test.ts).
export { type Activation, activationToString, applyActivation, CONV2D_ATTR_KEYS, checkKnownKeys, type PaddingGeometry } from './attrs.ts';
export * from './backend.ts';
export * from './conv-class.ts';
export * from './conv-geometry.ts';
export * from './conv-methods.ts';
export * from './conv2d.ts';
export * from './errors.ts';
export * from './gemm.ts';
export * from './graph.ts';
export * from './graph-builder.ts';
export * from './graph-json.ts';
export type {
  AveragepoolAttrs,
  BatchnormalizationAttrs,
  ClipAttrs,
  ConcatAttrs,
  Conv2dAttrs,
  FlattenAttrs,
  GemmAttrs,
  HardsigmoidAttrs,
  Im2colAttrs,
  LeakyreluAttrs,
  MaxpoolAttrs,
  OpAttrs,
  PadAttrs,
  ReducemeanAttrs,
  ReshapeAttrs,
  ResizeAttrs,
  SoftmaxAttrs,
  SqueezeAttrs,
  TransposeAttrs,
  UnsqueezeAttrs,
} from './graph-ops.ts';
export * from './graph-run.ts';
export * from './im2col.ts';
// decideGraph and graphHostValues stay internal (the prepared-graph module shares them).
export { type NodeRecord, nodeOverride, type RouteContext, type RouteFn, type RunOptions, type RunResult, runGraph } from './interpreter.ts';
export { parseJsonText } from './json-text.ts';
export * from './method-footprint.ts';
export * from './networks/index.ts';
export * from './npy.ts';
export { checkOpInputs, type Method, OP_NAMES, type OpName, type OpSpec, opOutputShape } from './ops.ts';
// The issue-13 ops: each op's spec type and constructor (attribute key lists stay internal).
export {
  addSpec,
  type BinarySpec,
  type BinarySpecInit,
  broadcastShapes,
  type ClipSpec,
  type ClipSpecInit,
  clipSpec,
  divSpec,
  type HardsigmoidSpec,
  type HardsigmoidSpecInit,
  hardsigmoidSpec,
  hardswishSpec,
  identitySpec,
  type LeakyreluSpec,
  type LeakyreluSpecInit,
  leakyreluSpec,
  mulSpec,
  reluSpec,
  sigmoidSpec,
  subSpec,
  type UnarySpec,
  type UnarySpecInit,
} from './ops-elementwise.ts';
export { type MatmulSpec, type MatmulSpecInit, matmulSpec } from './ops-matmul.ts';
export {
  type BatchnormalizationSpec,
  type BatchnormalizationSpecInit,
  batchnormalizationSpec,
  type SoftmaxSpec,
  type SoftmaxSpecInit,
  softmaxSpec,
} from './ops-norm.ts';
export {
  type AveragepoolSpec,
  type AveragepoolSpecInit,
  averagepoolSpec,
  type GlobalaveragepoolSpec,
  globalaveragepoolSpec,
  type MaxpoolSpec,
  maxpoolSpec,
  type PoolSpecInit,
  poolOutputExtent,
  type ReducemeanSpec,
  type ReducemeanSpecInit,
  reducemeanSpec,
} from './ops-pool.ts';
export { type ResizeCoordinateMode, type ResizeMode, type ResizeNearestMode, type ResizeSpec, type ResizeSpecInit, resizeSpec } from './ops-resize.ts';
export {
  type ConcatSpec,
  type ConcatSpecInit,
  concatSpec,
  type FlattenSpec,
  flattenSpec,
  type PadSpec,
  type PadSpecInit,
  padSpec,
  type ReshapeSpec,
  type ReshapeSpecInit,
  reshapeSpec,
  type SqueezeSpec,
  squeezeSpec,
  type TransposeSpec,
  transposeSpec,
  type UnsqueezeSpec,
  unsqueezeSpec,
} from './ops-shape.ts';
export * from './precision.ts';
export { type PreparedGraph, type PreparedGraphResult, type PrepareOptions, prepareGraph } from './prepared-graph.ts';
export * from './random.ts';
export * from './reason.ts';
export * from './run-request.ts';
export { type SampleStats, sampleStats } from './sample-stats.ts';
export * from './suites/index.ts';
export { type Shape, shapeSize, shapesEqual, Tensor } from './tensor.ts';
export { type Timing, type TimingClock, type TimingOptions, timeBackendRun, timePrepared } from './timing.ts';
export * from './winograd.ts';
