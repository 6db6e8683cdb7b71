import type { Method, OpName, OpSpec } from '@convroute/core';
import { batchnormDispatch } from '../kernels/batchnorm.ts';
import { type BinaryKind, binaryAxes, binaryDispatch, type UnaryKind, unaryDispatch } from '../kernels/elementwise.ts';
import { shapeCount, withinStridedRank } from '../kernels/flat.ts';
import { poolDispatch } from '../kernels/pool.ts';
import { reduceMeanDispatch, reduceMeanRunnable } from '../kernels/reduce-mean.ts';
import { resizeDispatch, resizeRunnable } from '../kernels/resize.ts';
import { softmaxDispatch } from '../kernels/softmax.ts';
import { concatAxes, concatDispatches, padAxes, padDispatch, transposeAxes, transposeDispatch } from '../kernels/strided-copy.ts';
import type { ConvPlan } from './conv-plans.ts';
import { matmulDispatches } from './matmul-plan.ts';
import { type KernelContext, registerOpKernel } from './op-kernels.ts';

// The WebGPU kernels of issue 13's network ops, one registration per op (ops/op-kernels.ts). Each
// op's single method is its own name; `methods` is empty where a shape needs more axes of index
// math than the strided kernels unroll (6, after merging contiguous axes), so run refuses it with
// UNSUPPORTED_METHOD rather than the kernel failing.

type Spec<N extends OpName> = Extract<OpSpec, { op: N }>['spec'];

const single = (ok: boolean, op: OpName): Method[] => (ok ? [op as Method] : []);
const plan = (...dispatches: ConvPlan['dispatches']): ConvPlan => ({ dispatches, temps: [] });

function register<N extends OpName>(op: N, runnable: (spec: Spec<N>) => boolean, build: (spec: Spec<N>, ctx: KernelContext) => Promise<ConvPlan>): void {
  registerOpKernel(op, {
    methods: (o) => single(o.op === op && runnable(o.spec as Spec<N>), op),
    plan: (o, _m, ctx) => build(o.spec as Spec<N>, ctx),
  });
}

for (const op of ['add', 'sub', 'mul', 'div'] as const satisfies readonly BinaryKind[]) {
  register(
    op,
    (s) => withinStridedRank(binaryAxes(s.a, s.b)),
    async (s, ctx) => plan(await binaryDispatch(ctx.rt, op, s.a, s.b, ctx.inputs[0], ctx.inputs[1], ctx.output)),
  );
}

const unary = (kind: UnaryKind, attrs: (s: never) => Record<string, number>) =>
  register(
    kind,
    () => true,
    async (s: { input: readonly number[] }, ctx) => plan(await unaryDispatch(ctx.rt, kind, attrs(s as never), ctx.inputs[0], ctx.output, shapeCount(s.input))),
  );
unary('relu', () => ({}));
unary('sigmoid', () => ({}));
unary('hardswish', () => ({}));
unary('hardsigmoid', (s: Spec<'hardsigmoid'>) => ({ alpha: s.alpha, beta: s.beta }));
unary('leakyrelu', (s: Spec<'leakyrelu'>) => ({ alpha: s.alpha }));
unary('clip', (s: Spec<'clip'>) => ({ min: s.min, max: s.max }));

// No data movement of their own: the output is the input's buffer (OpKernel.aliasesInput); the
// executors never plan them.
for (const op of ['identity', 'reshape', 'flatten', 'squeeze', 'unsqueeze'] as const) {
  registerOpKernel(op, {
    methods: (o) => (o.op === op ? [op] : []),
    aliasesInput: () => true,
    plan: () => Promise.reject(new Error(`internal: ${op} aliases its input and has no plan`)),
  });
}

register(
  'transpose',
  (s) => withinStridedRank(transposeAxes(s.input, s.perm).dims.length),
  async (s, ctx) => plan(await transposeDispatch(ctx.rt, s.input, s.perm, ctx.inputs[0], ctx.output)),
);
register(
  'concat',
  (s) => withinStridedRank(concatAxes(s.inputs, s.axis)),
  async (s, ctx) => plan(...(await concatDispatches(ctx.rt, s.inputs, s.axis, [...ctx.inputs], ctx.output))),
);
register(
  'pad',
  (s) => withinStridedRank(padAxes(s.input, s.pads)),
  async (s, ctx) => plan(await padDispatch(ctx.rt, s.input, s.pads, s.value, ctx.inputs[0], ctx.output)),
);

const poolGeometry = (s: Spec<'maxpool'>) => ({
  n: s.input[0],
  c: s.input[1],
  h: s.input[2],
  w: s.input[3],
  hOut: s.output[2],
  wOut: s.output[3],
  kernel: s.kernel,
  stride: s.stride,
  padding: s.padding,
  dilation: s.dilation,
});
register(
  'maxpool',
  () => true,
  async (s, ctx) => plan((await poolDispatch(ctx.rt, 'max', poolGeometry(s), false, ctx.inputs[0], ctx.output)).dispatch),
);
register(
  'averagepool',
  () => true,
  async (s, ctx) => {
    const { dispatch, recips } = await poolDispatch(ctx.rt, 'average', poolGeometry(s), s.countIncludePad, ctx.inputs[0], ctx.output);
    return { dispatches: [dispatch], temps: recips ? [recips] : [] };
  },
);
const allButFirstTwo = (input: readonly number[]) => input.map((_, d) => d).slice(2);
register(
  'globalaveragepool',
  (s) => reduceMeanRunnable(s.input, allButFirstTwo(s.input)),
  async (s, ctx) => plan(await reduceMeanDispatch(ctx.rt, s.input, allButFirstTwo(s.input), ctx.inputs[0], ctx.output)),
);
register(
  'reducemean',
  (s) => reduceMeanRunnable(s.input, s.axes),
  async (s, ctx) => plan(await reduceMeanDispatch(ctx.rt, s.input, s.axes, ctx.inputs[0], ctx.output)),
);

register(
  'batchnormalization',
  () => true,
  async (s, ctx) => plan(await batchnormDispatch(ctx.rt, s.input, s.epsilon, ctx.inputs, ctx.output)),
);
register(
  'softmax',
  () => true,
  async (s, ctx) => plan(await softmaxDispatch(ctx.rt, s.input, s.axis, ctx.inputs[0], ctx.output)),
);
register(
  'matmul',
  () => true,
  async (s, ctx) => plan(...(await matmulDispatches(ctx.rt, s.a, s.b, ctx.inputs[0], ctx.inputs[1], ctx.output, ctx.tuning))),
);
register(
  'resize',
  (s) => resizeRunnable(s),
  async (s, ctx) => {
    const { dispatch, table } = await resizeDispatch(ctx.rt, s, ctx.inputs[0], ctx.output);
    return { dispatches: [dispatch], temps: [table] };
  },
);
