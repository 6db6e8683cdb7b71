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
export * from './im2col.ts';
export * from './interpreter.ts';
export { parseJsonText } from './json-text.ts';
export * from './method-footprint.ts';
export * from './npy.ts';
export { checkOpInputs, type Method, type OpName, type OpSpec, opOutputShape } from './ops.ts';
export * from './precision.ts';
export * from './random.ts';
export * from './reason.ts';
export * from './run-request.ts';
export { type SampleStats, sampleStats } from './sample-stats.ts';
export * from './suites/index.ts';
export { type Shape, shapeSize, shapesEqual, Tensor } from './tensor.ts';
export { type Timing, type TimingClock, type TimingOptions, timeBackendRun, timePrepared } from './timing.ts';
