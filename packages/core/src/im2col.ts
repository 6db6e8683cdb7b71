import { checkInt, checkPadding, checkPair } from './attrs.ts';
import { type Conv2dSpec, conv2dOutputShape, type Shape4 } from './conv2d.ts';
import { ConvrouteError } from './errors.ts';
import { checkShape, MAX_ELEMENTS, type Shape } from './tensor.ts';

/** im2col for a forward conv: x [N, C, H, W] -> [N, g, K, L], K = (C/g)*kH*kW ordered (c, p, q),
 * L = H_out*W_out (PyTorch `unfold` layout per group). */
export interface Im2colSpec {
  readonly input: Shape4;
  readonly kernel: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number, number, number];
  readonly dilation: [number, number];
  readonly groups: number;
}

export interface Im2colSpecInit {
  input: Shape;
  kernel: number | readonly number[];
  stride?: number | readonly number[];
  /** As conv2d's, 'same' and 'valid' included. */
  padding?: number | readonly number[] | 'same' | 'valid';
  dilation?: number | readonly number[];
  groups?: number;
}

export function im2colSpec(init: Im2colSpecInit): Im2colSpec {
  if (!Array.isArray(init.input) || init.input.length !== 4) {
    throw new ConvrouteError('SHAPE_MISMATCH', 'input', init.input, 'must be a 4-D shape [N, C, H, W]');
  }
  checkShape(init.input, 'input');
  const input = [...init.input] as Shape4;
  const kernel = checkPair('kernel', init.kernel, 1, 'kernel extents must be >= 1');
  const stride = checkPair('stride', init.stride ?? 1, 1, 'stride must be >= 1');
  const dilation = checkPair('dilation', init.dilation ?? 1, 1, 'dilation must be >= 1');
  const spec: Im2colSpec = {
    input,
    kernel,
    stride,
    padding: checkPadding('padding', init.padding ?? 0, { extent: [input[2], input[3]], kernel, stride, dilation, transposed: false }),
    dilation,
    groups: checkInt('groups', init.groups ?? 1, 1, 'groups must be >= 1'),
  };
  if (input[1] % spec.groups !== 0) {
    throw new ConvrouteError('INVALID_ATTRIBUTE', 'groups', spec.groups, `must divide C = ${input[1]}`);
  }
  const [, , hOut, wOut] = conv2dOutputShape(im2colConvView(spec));
  if (hOut < 1 || wOut < 1) {
    throw new ConvrouteError(
      'EMPTY_OUTPUT',
      hOut < 1 ? 'output H' : 'output W',
      hOut < 1 ? hOut : wOut,
      'the padded input is smaller than the effective kernel',
    );
  }
  const out = im2colOutputShape(spec);
  if (out.reduce((a, b) => a * b, 1) > MAX_ELEMENTS) {
    throw new ConvrouteError('TOO_LARGE', 'output', out, `at most ${MAX_ELEMENTS} (2^31 - 1) elements can be indexed`);
  }
  return spec;
}

/** The forward conv whose im2col this is (C_out = groups, one filter per group). */
export function im2colConvView(spec: Im2colSpec): Conv2dSpec {
  const { input, kernel, stride, padding, dilation, groups } = spec;
  return {
    input,
    weight: [groups, input[1] / groups, kernel[0], kernel[1]],
    bias: false,
    stride,
    padding,
    dilation,
    groups,
    transposed: false,
    outputPadding: [0, 0],
    activation: { kind: 'none' },
  };
}

/** The im2col of a forward conv spec. */
export function im2colOfConv(spec: Conv2dSpec): Im2colSpec {
  if (spec.transposed) throw new ConvrouteError('INVALID_ARGUMENT', 'transposed', true, 'im2col is defined for forward convs only');
  const { input, weight, stride, padding, dilation, groups } = spec;
  return { input, kernel: [weight[2], weight[3]], stride, padding, dilation, groups };
}

export function im2colOutputShape(spec: Im2colSpec): Shape4 {
  const [n, c, ,] = spec.input;
  const [, , hOut, wOut] = conv2dOutputShape(im2colConvView(spec));
  return [n, spec.groups, (c / spec.groups) * spec.kernel[0] * spec.kernel[1], hOut * wOut];
}
