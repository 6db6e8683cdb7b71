import { GraphBuilder, runGraph, Tensor } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/index.ts';

// A conv net's tail through the interpreter: maxpool -> averagepool -> pad -> resize -> concat ->
// transpose -> reshape -> flatten, and globalaveragepool / reducemean, in both modes.
describe('graphs of pooling, shape ops and resize on the cpu backend', () => {
  for (const mode of ['exact', 'fast'] as const) {
    it(`${mode}: every node runs with its op's method and the outputs match the kernels' hand values`, async () => {
      const g = new GraphBuilder();
      g.input('x', [1, 1, 4, 4]);
      g.maxpool('mp', 'x', { kernel: 2, stride: 2 }); // [[6, 8], [14, 16]]
      g.pad('pd', 'mp', { pads: [0, 0, 1, 1, 0, 0, 1, 1], value: 1 }); // 4x4 ring of 1
      g.averagepool('ap', 'pd', { kernel: 2, stride: 2 }); // [[2.25, 2.75], [4.25, 4.75]] (each window one value and three 1s)
      g.resize('rs', 'ap', { sizes: [1, 1, 4, 4], mode: 'nearest' });
      g.concat('cc', ['rs', 'rs'], { axis: 1 });
      g.transpose('tp', 'cc', { perm: [0, 2, 3, 1] });
      g.flatten('fl', 'tp', { axis: 1 });
      g.unary('globalaveragepool', 'gap', 'cc');
      g.reducemean('rm', 'ap', { axes: [2, 3], keepdims: false });
      const graph = g.output('fl').output('gap').output('rm').build();
      const methods: string[] = [];
      const x = Tensor.fromData(
        Float32Array.from({ length: 16 }, (_, i) => i + 1),
        [1, 1, 4, 4],
      );
      const run = await runGraph(graph, createCpuBackend({ mode }), { x }, { onNode: (r) => methods.push(r.method) });
      expect(methods.sort()).toEqual(['averagepool', 'concat', 'flatten', 'globalaveragepool', 'maxpool', 'pad', 'reducemean', 'resize', 'transpose']);
      const fl = run.outputs.fl;
      expect(fl.shape).toEqual([1, 32]);
      // row 0 of the 4x4 nearest upsample is [2.25, 2.25, 2.75, 2.75]; channels interleave after the transpose
      expect(Array.from(fl.data.subarray(0, 8))).toEqual([2.25, 2.25, 2.25, 2.25, 2.75, 2.75, 2.75, 2.75]);
      expect(Array.from(run.outputs.gap.data)).toEqual([3.5, 3.5]);
      expect(Array.from(run.outputs.rm.data)).toEqual([3.5]);
    });
  }
});
