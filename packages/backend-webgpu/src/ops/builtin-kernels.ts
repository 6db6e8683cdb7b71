import {
  type Conv2dSpec,
  convMethodsFor,
  type GemmSpec,
  gemmIsPlain,
  type Im2colSpec,
  im2colConvView,
  requireConvMethod,
  unhandledConvMethod,
} from '@convroute/core';
import { convGeometry } from '../kernels/conv-geometry.ts';
import { broadcastStrides } from '../kernels/elementwise.ts';
import { gemmEpilogueDispatch } from '../kernels/gemm-epilogue.ts';
import {
  type ConvOperands,
  type ConvPlan,
  depthwisePlan,
  directPlan,
  im2colDispatch,
  im2colGemmPlan,
  implicitGemmPlan,
  pointwisePlan,
  transposedPlan,
} from './conv-plans.ts';
import { gemmDispatch, gemmTuningFor } from './gemm-launch.ts';
import { type KernelContext, registerOpKernel } from './op-kernels.ts';
import { winogradPlan } from './winograd-plan.ts';

// The kernels of the first three ops: conv2d (every conv method), im2col and gemm.

const operands = (ctx: KernelContext): ConvOperands => ({
  x: ctx.inputs[0],
  weight: (layout, pack) => ctx.packed(1, layout, pack),
  bias: ctx.inputs[2],
  y: ctx.output,
  residual: ctx.residual,
  residualActivation: ctx.residualActivation,
  tuning: ctx.tuning,
  ...(ctx.precision ? { precision: ctx.precision } : {}),
});

function convPlan(spec: Conv2dSpec, method: string, ctx: KernelContext): Promise<ConvPlan> {
  const m = requireConvMethod(method, spec);
  const { rt } = ctx;
  const o = operands(ctx);
  switch (m) {
    case 'pointwise':
      return pointwisePlan(rt, spec, o);
    case 'implicit-gemm':
      return implicitGemmPlan(rt, spec, o);
    case 'im2col-gemm':
      return im2colGemmPlan(rt, spec, o, ctx.im2colBudgetBytes);
    case 'direct':
      return directPlan(rt, spec, o);
    case 'depthwise':
      return depthwisePlan(rt, spec, o);
    case 'transposed':
      return transposedPlan(rt, spec, o);
    case 'winograd-2x3':
    case 'winograd-4x3':
      return winogradPlan(rt, m, spec, o);
    default:
      return unhandledConvMethod(m);
  }
}

async function im2colPlan(spec: Im2colSpec, ctx: KernelContext): Promise<ConvPlan> {
  const g = convGeometry(im2colConvView(spec));
  return { dispatches: [await im2colDispatch(ctx.rt, g, ctx.inputs[0], ctx.output, 0, g.hOut, 0, g.n * g.groups)], temps: [] };
}

/** A plain gemm (gemmIsPlain) adds its bias and activation in the GEMM's epilogue; ONNX Gemm's
 * alpha, beta and broadcast bias run as the bare GEMM then one scaling pass (gemm-epilogue.ts). */
async function gemmPlan(spec: GemmSpec, ctx: KernelContext): Promise<ConvPlan> {
  const { m, n, k, batch } = spec;
  const plain = gemmIsPlain(spec);
  const batched = spec.a.length === 3;
  const vecB = !spec.transB && n % 4 === 0;
  const cfg = {
    ...gemmTuningFor(ctx.rt, { m, n, k, transA: spec.transA, vecB, source: 'buffer', batch }, ctx.tuning?.gemm),
    transA: spec.transA,
    transB: spec.transB,
    vecB,
    bias: plain && spec.bias ? ('col' as const) : ('none' as const),
    activation: plain ? spec.activation : { kind: 'none' as const },
    bSource: { kind: 'buffer' as const },
  };
  const d = await gemmDispatch(ctx.rt, cfg, {
    m,
    n,
    k,
    batch,
    aPeriod: batch,
    strideA: batched ? m * k : 0,
    strideB: batched ? k * n : 0,
    strideC: m * n,
    a: ctx.inputs[0],
    b: ctx.inputs[1],
    c: ctx.output,
    bias: plain ? ctx.inputs[2] : undefined,
  });
  if (plain) return { dispatches: [d], temps: [] };
  const bias = spec.biasShape ? { c: ctx.inputs[2], strides: broadcastStrides(spec.biasShape, [m, n]) as [number, number] } : undefined;
  const e = await gemmEpilogueDispatch(ctx.rt, spec.activation, m, n, batch * m * n, spec.alpha, spec.beta, ctx.output, bias);
  return { dispatches: [d, e], temps: [] };
}

registerOpKernel('conv2d', {
  methods: (op) => (op.op === 'conv2d' ? convMethodsFor(op.spec) : []),
  plan: (op, method, ctx) => convPlan((op as { spec: Conv2dSpec }).spec, method, ctx),
  // Every conv kernel adds ConvOperands.residual in its epilogue (wgsl.ts storeOutput).
  fusesResidual: () => true,
  // direct and transposed repack the weights on the host; Winograd transforms the filters there.
  packedInputs: (_op, method) => (['direct', 'transposed', 'winograd-2x3', 'winograd-4x3'].includes(method) ? [1] : []),
});
registerOpKernel('im2col', { methods: () => ['im2col'], plan: (op, _m, ctx) => im2colPlan((op as { spec: Im2colSpec }).spec, ctx) });
registerOpKernel('gemm', {
  methods: () => ['gemm'],
  plan: (op, _m, ctx) => gemmPlan((op as { spec: GemmSpec }).spec, ctx),
});
