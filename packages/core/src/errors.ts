/**
 * Every refusal in convroute is a ConvrouteError: a stable code, the field at fault, the value
 * found and the rule it broke, so callers can react programmatically and people can read it.
 */
export type ErrorCode =
  | 'INVALID_ATTRIBUTE' // an attribute is not an integer, not finite, or out of its range
  | 'SHAPE_MISMATCH' // tensor shapes disagree with each other or with the spec
  | 'EMPTY_OUTPUT' // the inferred output has a zero or negative extent
  | 'TOO_LARGE' // a tensor cannot be indexed with 32-bit indices
  | 'INVALID_GRAPH' // graph structure: dangling values, cycles, unknown ops, bad JSON
  | 'NPY_FORMAT' // a .npy file this library cannot read (dtype, order, header)
  | 'UNSUPPORTED_METHOD' // a backend was asked for a method it cannot run for this spec
  | 'UNSUPPORTED_PRECISION' // a precision the backend, adapter or mode cannot compute in (f16 without shader-f16, on CPU, exact mode)
  | 'ROUTE_REQUIRED' // a node asks for method 'auto' but no routing function was given
  | 'INVALID_POLICY' // a routing policy or rule table is malformed
  | 'INVALID_PROFILE' // a device profile is malformed or unknown
  | 'DEVICE' // GPU device acquisition, loss or an uncaptured GPU error
  | 'LIMIT_EXCEEDED' // a dispatch or binding exceeds what the device allows and cannot be split
  | 'CLOSED' // a Session or backend was used after close() / dispose()
  | 'NOT_EXECUTED' // a prepared run was read before its first execute()
  | 'VERIFICATION_FAILED' // an output exceeded the error bound against the exact reference
  | 'INVALID_ARGUMENT' // a CLI or API argument that fits none of the above
  | 'ONNX_FORMAT' // bytes that are not a readable ONNX model (protobuf, opset domain, data types, limits)
  | 'UNSUPPORTED_OP' // an ONNX node whose op (or op version) the importer does not support
  | 'UNSUPPORTED_ATTRIBUTE'; // an ONNX attribute, or attribute value, the importer does not support

export class ConvrouteError extends Error {
  readonly code: ErrorCode;
  readonly field: string;
  readonly value: unknown;
  readonly rule: string;

  constructor(code: ErrorCode, field: string, value: unknown, rule: string) {
    super(`${code}: ${field} = ${describeValue(value)}: ${rule}`);
    this.name = 'ConvrouteError';
    this.code = code;
    this.field = field;
    this.value = value;
    this.rule = rule;
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  try {
    const s = JSON.stringify(value);
    return s.length > 120 ? `${s.slice(0, 117)}...` : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

export function isConvrouteError(e: unknown, code?: ErrorCode): e is ConvrouteError {
  return e instanceof ConvrouteError && (code === undefined || e.code === code);
}
