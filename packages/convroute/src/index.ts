export { type BackendName, type BackendOptions, type CpuMode, type OpenedBackend, openBackend } from './backend-choice.ts';
export { parseByteSize } from './byte-size.ts';
export { type ConvOptions, type ConvResult, conv2d, type GraphRunResult, type RoutingOptions, runModel, Session } from './session.ts';
