import { conv2dAbs, conv2dExact, gemmAbs, gemmExact, im2colExact, isPoolShapeResizeOp, poolShapeResizeExact } from '@convroute/backend-cpu';
import { type Backend, type Conv2dSpec, type ConvMethod, ConvrouteError, type GemmSpec, type Im2colSpec, type OpSpec, type Tensor } from '@convroute/core';

/** The exact CPU reference (docs/semantics.md, "What exact mode guarantees") with A, the absolute-value
 * convolution of the error model. The only file here that calls the CPU backend's functions. */
export interface Referenced {
  y: Tensor;
  abs: Tensor;
}

export async function referenceConv2d(spec: Conv2dSpec, inputs: readonly Tensor[]): Promise<Referenced> {
  const [x, w, b] = inputs;
  return { y: await conv2dExact(spec, x, w, b), abs: await conv2dAbs(spec, x, w, b) };
}

export async function referenceGemm(spec: GemmSpec, inputs: readonly Tensor[]): Promise<Referenced> {
  const [a, b, bias] = inputs;
  return { y: await gemmExact(spec, a, b, bias), abs: await gemmAbs(spec, a, b, bias) };
}

/** The exact result of a pooling, reduction, shape or resize op (their bounds: comparePoolShapeResize). */
export function referencePoolShapeResize(op: OpSpec, inputs: readonly Tensor[]): Tensor {
  if (!isPoolShapeResizeOp(op)) throw new Error(`referencePoolShapeResize: ${op.op} is not a pooling, reduction, shape or resize op`);
  return poolShapeResizeExact(op, inputs);
}

export async function referenceIm2col(spec: Im2colSpec, x: Tensor): Promise<Tensor> {
  return await im2colExact(spec, x);
}

/** What the metamorphic relations call: the three ops. The CPU exact functions by default; any
 * backend through `backendOracle`. */
export interface ConvOracle {
  name: string;
  conv2d(spec: Conv2dSpec, x: Tensor, w: Tensor, bias?: Tensor): Tensor | Promise<Tensor>;
  im2col(spec: Im2colSpec, x: Tensor): Tensor | Promise<Tensor>;
  gemm(spec: GemmSpec, a: Tensor, b: Tensor, bias?: Tensor): Tensor | Promise<Tensor>;
}

export const cpuExactOracle: ConvOracle = {
  name: 'cpu exact',
  conv2d: (spec, x, w, bias) => conv2dExact(spec, x, w, bias),
  im2col: im2colExact,
  gemm: gemmExact,
};

/** A backend as an oracle, each op through its first declared method, or every conv through
 * `convMethod`: a conv the backend cannot run with it is refused (UNSUPPORTED_METHOD), never
 * computed by another method under its name. Relations on float data hold bitwise only for
 * exact backends. */
export function backendOracle(backend: Backend, convMethod?: ConvMethod): ConvOracle {
  const run = (op: OpSpec, inputs: Tensor[]) => {
    const methods = backend.methodsFor(op);
    if (op.op === 'conv2d' && convMethod && !methods.includes(convMethod)) {
      throw new ConvrouteError(
        'UNSUPPORTED_METHOD',
        'convMethod',
        convMethod,
        `backend ${backend.name} cannot run it for this conv; it can run: ${methods.join(', ') || 'nothing'}`,
      );
    }
    return backend.run(op, op.op === 'conv2d' && convMethod ? convMethod : methods[0], inputs);
  };
  const opt = (t: Tensor | undefined) => (t ? [t] : []);
  return {
    name: `${backend.name} (${backend.description})${convMethod ? ` ${convMethod}` : ''}`,
    conv2d: (spec, x, w, bias) => run({ op: 'conv2d', spec }, [x, w, ...opt(bias)]),
    im2col: (spec, x) => run({ op: 'im2col', spec }, [x]),
    gemm: (spec, a, b, bias) => run({ op: 'gemm', spec }, [a, b, ...opt(bias)]),
  };
}
