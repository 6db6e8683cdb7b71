export { exportOnnx } from './export-onnx.ts';
export { DEFAULT_ONNX_LIMITS, type OnnxLimits } from './limits.ts';
export { type LoadOnnxOptions, loadOnnx, MAX_OPSET, MIN_OPSET } from './load-onnx.ts';
export { encodeOnnx, type OnnxAttrValue, type OnnxModelInit, type OnnxNodeInit, type OnnxTensorInit } from './onnx-writer.ts';
