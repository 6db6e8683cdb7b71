export { type CpuBackendOptions, type CpuMode, createCpuBackend } from './backend.ts';
export { conv2dAbs, conv2dExact, conv2dFast, cpuConvMethodsFor, defaultCpuConvMethod } from './conv2d.ts';
export { ExactAccumulator } from './exact/accumulator.ts';
export { setCertifiedFastPath } from './exact/certify.ts';
export { MAX_FLOAT32, nextDown32, nextUp32, roundUp32 } from './exact/float32-bits.ts';
export { gemmAbs, gemmExact, gemmFast } from './gemm-op.ts';
export { im2colExact } from './im2col-op.ts';
export { cpuNodeBytes, DEFAULT_MEMORY_BUDGET, DEFAULT_TILE_BYTES } from './memory.ts';
