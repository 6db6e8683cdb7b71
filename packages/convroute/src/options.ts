import {
  CONV_METHODS,
  CONV2D_ATTR_KEYS,
  type Conv2dAttrs,
  type Conv2dSpec,
  type ConvMethod,
  ConvrouteError,
  checkKnownKeys,
  conv2dBiasShape,
  conv2dSpec,
  isConvMethod,
  isConvrouteError,
  type Tensor,
} from '@convroute/core';

/** The option keys each entry point takes: anything else (a typo such as `strides`) is refused
 * with INVALID_ARGUMENT naming the key and these. */
export const BACKEND_OPTION_KEYS = ['backend', 'mode', 'memoryBudget', 'profile', 'precision'] as const;
export const ROUTING_OPTION_KEYS = ['policy', 'override'] as const;
export const RUN_OPTION_KEYS = [...ROUTING_OPTION_KEYS, 'onNode', 'deviceResident', 'fuse'] as const;
export const PREPARE_OPTION_KEYS = [...ROUTING_OPTION_KEYS, 'fuse'] as const;
export const CONV_OPTION_KEYS = [...CONV2D_ATTR_KEYS, 'policy', 'method'] as const;

/** Refuses anything but a plain options object with known keys; returns it (or {}) typed. */
export function checkOptions<T extends object>(options: T | undefined, allowed: readonly string[], field = 'options'): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new ConvrouteError('INVALID_ARGUMENT', field, options, `must be an object with keys among: ${allowed.join(', ')}`);
  checkKnownKeys(field, options, allowed, 'INVALID_ARGUMENT');
  return options;
}

function checkTensor(field: string, t: unknown): Tensor {
  const ok = t !== null && typeof t === 'object' && Array.isArray((t as Tensor).shape) && (t as Tensor).data instanceof Float32Array;
  if (!ok) throw new ConvrouteError('INVALID_ARGUMENT', field, t, 'must be a Tensor (float32 data and a shape), e.g. Tensor.fromData(data, [N, C, H, W])');
  return t as Tensor;
}

/** Attribute errors name the caller's option (`options.padding`), shape errors the argument
 * (`input`, `weight`), never the hidden one-node graph (`nodes[0].weight[1]`). */
function callerField(field: string): string {
  return (CONV2D_ATTR_KEYS as readonly string[]).some((k) => field === k || field.startsWith(`${k}[`) || field.startsWith(`${k}.`))
    ? `options.${field}`
    : field;
}

/** A hint for the most common layout mistake: NHWC data where NCHW is expected. */
function nhwcHint(x: readonly number[], w: readonly number[], attrs: Conv2dAttrs): string {
  if (x.length !== 4 || w.length !== 4) return '';
  const groups = typeof attrs.groups === 'number' ? attrs.groups : 1;
  const cIn = attrs.transposed ? w[0] : w[1] * groups;
  if (x[1] === cIn || x[3] !== cIn) return '';
  return `; the input looks NHWC [N, H, W, C] (its last dim ${x[3]} is the weight's C_in): convroute takes NCHW, transpose it to [${x[0]}, ${x[3]}, ${x[1]}, ${x[2]}]`;
}

/** Checks one conv call's arguments as the caller wrote them and returns the spec. */
export function checkConvArguments(x: unknown, w: unknown, bias: unknown, attrs: Conv2dAttrs): Conv2dSpec {
  const input = checkTensor('input', x);
  const weight = checkTensor('weight', w);
  const b = bias === undefined ? undefined : checkTensor('bias', bias);
  let spec: Conv2dSpec;
  try {
    spec = conv2dSpec({ ...attrs, input: input.shape, weight: weight.shape, bias: b !== undefined });
  } catch (e) {
    if (!isConvrouteError(e)) throw e;
    const hint = e.code === 'SHAPE_MISMATCH' || e.field === 'groups' ? nhwcHint(input.shape, weight.shape, attrs) : '';
    throw new ConvrouteError(e.code, callerField(e.field), e.value, `${e.rule}${hint}`);
  }
  if (b) {
    const want = conv2dBiasShape(spec);
    if (b.shape.length !== 1 || b.shape[0] !== want[0]) throw new ConvrouteError('SHAPE_MISMATCH', 'bias', b.shape, `must have shape [${want[0]}] (C_out)`);
  }
  return spec;
}

/** `method` is 'auto' or a conv method; anything else would surface as the hidden node's error. */
export function checkMethodOption(method: unknown): ConvMethod | 'auto' {
  if (method === undefined || method === 'auto') return 'auto';
  if (!isConvMethod(method as string))
    throw new ConvrouteError('INVALID_ARGUMENT', 'options.method', method, `must be 'auto' or one of ${CONV_METHODS.join(', ')}`);
  return method as ConvMethod;
}

/** Runs a one-conv graph, renaming errors about its hidden node (`nodes.y.method`) to the
 * caller's option (`options.method`). */
export async function asCallerErrors<T>(node: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const prefix = `nodes.${node}.`;
    if (isConvrouteError(e) && e.field.startsWith(prefix)) throw new ConvrouteError(e.code, `options.${e.field.slice(prefix.length)}`, e.value, e.rule);
    throw e;
  }
}
