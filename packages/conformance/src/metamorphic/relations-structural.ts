import { type Conv2dSpec, conv2dChannels, conv2dOutputShape, conv2dSpec, gemmSpec, im2colOfConv, Tensor } from '@convroute/core';
import * as fc from 'fast-check';
import { type Conv2dSpecArbOptions, conv2dSpecArb } from '../arbitraries/conv2d-spec.ts';
import { dataSeedArb, tensorData } from '../arbitraries/tensor-data.ts';
import { expectSame, type Relation } from './relation.ts';
import { concatChannels, crop, embed, sliceAxis, zeroStuff } from './tensor-ops.ts';

/**
 * Relations that rearrange the same exact sums (zero terms added at most), so on an exact oracle
 * they hold bitwise on general float data, bias and activation included.
 */
type Case = { spec: Conv2dSpec; seed: number };
const FORWARD = ['Depthwise', 'Pointwise', 'SlidingWindow'] as const;

function inputsOf(spec: Conv2dSpec, seed: number): [Tensor, Tensor, Tensor | undefined] {
  const b = spec.bias ? tensorData([conv2dOutputShape(spec)[1]], 'float', seed + 2) : undefined;
  return [tensorData(spec.input, 'float', seed), tensorData(spec.weight, 'float', seed + 1), b];
}

/** Stride 1: shifting the input by (dy, dx) inside a larger zero canvas shifts the output. */
function translation(o: Conv2dSpecArbOptions): Relation<Case & { dy: number; dx: number }> {
  const shift = fc.integer({ min: 0, max: 3 });
  return {
    name: 'translation equivariance (stride 1)',
    why: 'a stride-1 conv commutes with shifts; forward and transposed',
    arb: fc.record({ spec: conv2dSpecArb({ ...o, maxStride: 1 }), seed: dataSeedArb, dy: shift, dx: shift }),
    specOf: (c) => c.spec,
    async check(oracle, { spec, seed, dy, dx }) {
      const [x, w, b] = inputsOf(spec, seed);
      const [n, c, h, wd] = spec.input;
      const shifted = conv2dSpec({ ...spec, input: [n, c, h + dy, wd + dx] });
      const y = await oracle.conv2d(spec, x, w, b);
      const ys = await oracle.conv2d(shifted, embed(x, h + dy, wd + dx, dy, dx), w, b);
      expectSame(`${oracle.name}: shifted by (${dy}, ${dx})`, crop(ys, dy, dx, y.shape[2], y.shape[3]).data, y.data, y.shape);
    },
  };
}

/** Forward: padding equals an explicit zero border and no padding. */
function explicitPadding(o: Conv2dSpecArbOptions): Relation<Case> {
  return {
    name: 'padding = explicit zero border',
    why: 'out-of-range reads are zeros (docs/semantics.md), asymmetric pads included',
    arb: fc.record({ spec: conv2dSpecArb({ ...o, classes: FORWARD }), seed: dataSeedArb }),
    specOf: (c) => c.spec,
    async check(oracle, { spec, seed }) {
      const [x, w, b] = inputsOf(spec, seed);
      const [n, c, h, wd] = spec.input;
      const [t, l, bo, r] = spec.padding;
      const bordered = conv2dSpec({ ...spec, input: [n, c, h + t + bo, wd + l + r], padding: 0 });
      const y = await oracle.conv2d(spec, x, w, b);
      const yb = await oracle.conv2d(bordered, embed(x, h + t + bo, wd + l + r, t, l), w, b);
      expectSame(`${oracle.name}: padding [${spec.padding}] vs explicit border`, yb.data, y.data, y.shape);
    },
  };
}

/** A grouped conv is the channel concatenation of `groups` independent convs. */
function groupedSplit(o: Conv2dSpecArbOptions): Relation<Case> {
  return {
    name: 'grouped conv = concatenation of per-group convs',
    why: 'groups partition channels; forward and transposed weight layouts differ',
    arb: fc.record({ spec: conv2dSpecArb({ ...o, classes: ['Depthwise', 'SlidingWindow', 'Transposed'] }), seed: dataSeedArb }),
    specOf: (c) => c.spec,
    async check(oracle, { spec, seed }) {
      const [x, w, b] = inputsOf(spec, seed);
      const { cInPerGroup: ci, cOutPerGroup: co } = conv2dChannels(spec);
      const parts: Tensor[] = [];
      for (let g = 0; g < spec.groups; g++) {
        // forward w: [C_out, C_in/g, ..] rows are output channels; transposed: [C_in, C_out/g, ..].
        const wg = spec.transposed ? sliceAxis(w, 0, g * ci, ci) : sliceAxis(w, 0, g * co, co);
        const sg = conv2dSpec({ ...spec, input: [spec.input[0], ci, spec.input[2], spec.input[3]], weight: wg.shape, groups: 1 });
        const bg = b && Tensor.fromData(b.data.slice(g * co, (g + 1) * co), [co]);
        parts.push(await oracle.conv2d(sg, sliceAxis(x, 1, g * ci, ci), wg, bg));
      }
      const y = await oracle.conv2d(spec, x, w, b);
      expectSame(`${oracle.name}: ${spec.groups} groups vs per-group convs`, concatChannels(parts).data, y.data, y.shape);
    },
  };
}

/** A dilated kernel equals the zero-stuffed dense kernel with dilation 1. A transposed conv's
 * output padding may need the dilation (op >= stride is only allowed when d > stride), so for
 * transposed convs the dense conv is taken unpadded (its full output) with op clamped below the
 * stride, and compared on the rows both define: y[i] = full[i + top]. */
function dilatedDense(o: Conv2dSpecArbOptions): Relation<Case> {
  return {
    name: 'dilated kernel = zero-stuffed dense kernel',
    why: 'dilation only spaces the taps',
    arb: fc.record({ spec: conv2dSpecArb(o), seed: dataSeedArb }),
    specOf: (c) => c.spec,
    async check(oracle, { spec, seed }) {
      const [x, w, b] = inputsOf(spec, seed);
      const wz = zeroStuff(w, spec.dilation[0], spec.dilation[1]);
      const y = await oracle.conv2d(spec, x, w, b);
      if (!spec.transposed) {
        const yd = await oracle.conv2d(conv2dSpec({ ...spec, weight: wz.shape, dilation: 1 }), x, wz, b);
        expectSame(`${oracle.name}: dilation [${spec.dilation}] vs zero-stuffed kernel`, yd.data, y.data, y.shape);
        return;
      }
      const op = spec.outputPadding.map((p, a) => Math.min(p, spec.stride[a] - 1));
      const full = await oracle.conv2d(conv2dSpec({ ...spec, weight: wz.shape, dilation: 1, padding: 0, outputPadding: op }), x, wz, b);
      const [top, left] = spec.padding;
      const rows = Math.min(y.shape[2], full.shape[2] - top);
      const cols = Math.min(y.shape[3], full.shape[3] - left);
      if (rows < 1 || cols < 1) return; // every output row comes from output padding beyond the stride
      expectSame(
        `${oracle.name}: dilation [${spec.dilation}] vs zero-stuffed kernel (rows ${rows}, cols ${cols})`,
        crop(full, top, left, rows, cols).data,
        crop(y, 0, 0, rows, cols).data,
        [y.shape[0], y.shape[1], rows, cols],
      );
    },
  };
}

/** im2col, then one GEMM per (batch, group), equals conv2d: the GEMM is Y^T = cols^T W^T + b,
 * which also exercises both GEMM transposes. */
function im2colGemm(o: Conv2dSpecArbOptions): Relation<Case> {
  return {
    name: 'im2col then gemm = conv2d',
    why: 'the im2col layout (c, p, q) x (H_out W_out) matches the weight rows',
    arb: fc.record({ spec: conv2dSpecArb({ ...o, classes: FORWARD }), seed: dataSeedArb }),
    specOf: (c) => c.spec,
    async check(oracle, { spec, seed }) {
      const [x, w, b] = inputsOf(spec, seed);
      const cols = await oracle.im2col(im2colOfConv(spec), x);
      const [n, g, k, l] = cols.shape;
      const { cOut, cOutPerGroup: co } = conv2dChannels(spec);
      const out = new Float32Array(n * cOut * l);
      const gs = gemmSpec({ a: [k, l], b: [co, k], transA: true, transB: true, bias: spec.bias, activation: spec.activation });
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < g; j++) {
          const a = Tensor.fromData(cols.data.slice((i * g + j) * k * l, (i * g + j + 1) * k * l), [k, l]);
          const wg = Tensor.fromData(w.data.slice(j * co * k, (j + 1) * co * k), [co, k]);
          const bg = b && Tensor.fromData(b.data.slice(j * co, (j + 1) * co), [co]);
          const yt = (await oracle.gemm(gs, a, wg, bg)).data; // [L, co]
          for (let o = 0; o < co; o++) for (let p = 0; p < l; p++) out[(i * cOut + j * co + o) * l + p] = yt[p * co + o];
        }
      }
      const y = await oracle.conv2d(spec, x, w, b);
      expectSame(`${oracle.name}: im2col + gemm vs conv2d`, out, y.data, y.shape);
    },
  };
}

export function structuralRelations(o: Conv2dSpecArbOptions = {}): Relation<never>[] {
  return [translation(o), explicitPadding(o), groupedSplit(o), dilatedDense(o), im2colGemm(o)] as unknown as Relation<never>[];
}
