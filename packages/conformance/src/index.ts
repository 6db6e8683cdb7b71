// Modules with helpers the package's other modules share are listed by name, so the helpers stay
// internal (test/dead-exports.test.ts).

export { ARITH_OP_NAMES, type ArithCase, arithCaseArb } from './arbitraries/arith-ops.ts';
export * from './arbitraries/conv2d-spec.ts';
export * from './arbitraries/conv2d-strata.ts';
export * from './arbitraries/im2col-gemm.ts';
export { poolShapeResizeCaseArb } from './arbitraries/pool-shape-resize.ts';
export { conv2dInputs, type DataKind, dataSeedArb, gemmInputs, smallIntBound, tensorArb } from './arbitraries/tensor-data.ts';
export { checkBackend } from './check-backend.ts';
export { type BackendReport, type CheckBackendOptions, type CheckContext, type CheckResult, ConformanceFailure } from './check-core.ts';
export { checkGraphPerNode, checkOp, opReference } from './check-ops.ts';
export * from './command-line.ts';
export * from './compare.ts';
export * from './edge-cases.ts';
export * from './error-model.ts';
export { type F16Operands, type F16Precision, f16ErrorModel, f16Operands } from './f16-error-model.ts';
export * from './fc-params.ts';
export { checkGraphNodes, type GraphCheck, type NodeCheck, relativeDifference } from './graph-check.ts';
export * from './metamorphic/check-metamorphic.ts';
export type { Relation } from './metamorphic/relation.ts';
export { compareConvMethod } from './method-compare.ts';
export * from './op-samples.ts';
export * from './pool-shape-resize-check.ts';
export { backendOracle, type ConvOracle, cpuExactOracle, type Referenced, referenceConv2d, referenceGemm } from './reference.ts';
export * from './wgsl-op-bounds.ts';
export { stageDepth, type WinogradAbs, winogradAbs, winogradBounds, winogradDepth } from './winograd-bound.ts';
