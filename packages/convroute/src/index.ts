// What a consumer needs from the packages below, so that `convroute` alone is enough to build
// tensors and graphs, load a model (graph JSON and .npy), catch typed errors and pick a profile.
export {
  type Activation,
  type Backend,
  CONV_METHODS,
  type Conv2dAttrs,
  type ConvMethod,
  ConvrouteError,
  type Decision,
  type ErrorCode,
  GRAPH_JSON_SCHEMA,
  type Graph,
  GraphBuilder,
  isConvrouteError,
  type LoadGraphOptions,
  loadGraphJson,
  type NodeRecord,
  type PreparedGraph,
  type PreparedGraphResult,
  type Reason,
  readNpy,
  type Shape,
  seededRandom,
  Tensor,
  uniformData,
  writeNpy,
} from '@convroute/core';
export { DEFAULT_ONNX_LIMITS, type LoadOnnxOptions, loadOnnx, type OnnxLimits } from '@convroute/onnx';
export { type DeviceProfile, namedProfile, type PolicyLike, PROFILE_NAMES, profileFromJson } from '@convroute/router';
export { type BackendName, type BackendOptions, type CpuMode, type OpenedBackend, openBackend } from './backend-choice.ts';
export { parseByteSize } from './byte-size.ts';
export { type ConvOptions, type ConvResult, conv2d, type GraphRunResult, type RoutingOptions, runModel, Session } from './session.ts';
