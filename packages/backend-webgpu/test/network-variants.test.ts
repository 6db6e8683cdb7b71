import { createCpuBackend } from '@convroute/backend-cpu';
import { binaryBound } from '@convroute/conformance';
import { addSpec, divSpec, mulSpec, type OpSpec, padSpec, reducemeanSpec, resizeSpec, type Shape, subSpec, transposeSpec } from '@convroute/core';
import { afterAll, describe, expect, it } from 'vitest';
import { gpuBackendOrSkip } from './gpu.ts';
import { broadcastAt, expectFamilyConforms, expectWithinBound, tensor } from './network-reference.ts';

// Every shader variant the network kernels generate, run once each on shapes built to reach it,
// against the exact CPU result; the pipeline keys prove which variants ran.

const gpu = await gpuBackendOrSkip();
const cpu = createCpuBackend({ mode: 'exact' });
afterAll(() => gpu?.dispose());

const RANKS = [1, 2, 3, 4, 5, 6];
/** A shape whose `rank` axes never merge with `partner`'s pattern: extent 2 everywhere. */
const twos = (rank: number) => Array.from({ length: rank }, () => 2);
/** b of a broadcast needing exactly `r` axes of index math: alternate kept and size-1 axes. */
function bcastPair(r: number): [Shape, Shape] {
  if (r === 1) return [[12], [1]];
  const a = twos(r);
  const b = a.map((_, k) => (k % 2 === 0 ? 1 : 2));
  return [a, b];
}

describe.skipIf(!gpu)('webgpu network kernels: every shader variant runs', () => {
  it('binary: each op, same shapes and broadcasts of 1 to 6 axes', async () => {
    const specs = { add: addSpec, sub: subSpec, mul: mulSpec, div: divSpec } as const;
    for (const op of ['add', 'sub', 'mul', 'div'] as const) {
      const shapes: [Shape, Shape][] = [
        [
          [5, 3],
          [5, 3],
        ],
        ...RANKS.map(bcastPair),
      ];
      for (const [sa, sb] of shapes) {
        const spec = specs[op]({ a: sa, b: sb });
        const a = tensor(sa, 1);
        const b = tensor(sb, 2);
        await expectWithinBound(
          gpu!,
          cpu,
          { op, spec } as OpSpec,
          [a, b],
          (i, ref) => binaryBound(op, broadcastAt(a, spec.output, i), broadcastAt(b, spec.output, i), ref),
          `${op} [${sa}] [${sb}]`,
        );
      }
      for (const key of [`binary:${op}:same`, ...RANKS.map((r) => `binary:${op}:bcast${r}`)]) expect(gpu!.runtime.pipelineKeys()).toContain(key);
    }
  });

  it('strided copy of 1 to 6 axes, with (pad) and without (transpose) the fill', async () => {
    for (const r of RANKS) {
      // Reversing the axes of extent-2..7 shapes: no two axes merge.
      const input = Array.from({ length: r }, (_, k) => 2 + (k % 3));
      const perm = input.map((_, k) => r - 1 - k);
      const t: OpSpec = { op: 'transpose', spec: transposeSpec({ input, perm: r === 1 ? [0] : perm }) };
      await expectWithinBound(gpu!, cpu, t, [tensor(input, r)], () => 0, `transpose rank ${r}`);
      const p: OpSpec = { op: 'pad', spec: padSpec({ input, pads: [...input.map(() => 1), ...input.map(() => 0)], value: 2.5 }) };
      await expectWithinBound(gpu!, cpu, p, [tensor(input, r + 10)], () => 0, `pad rank ${r}`);
    }
    for (const r of RANKS) {
      expect(gpu!.runtime.pipelineKeys()).toContain(`copy:r${r}:fill`);
      expect(gpu!.runtime.pipelineKeys()).toContain(`copy:r${r}`);
    }
  });

  it('reducemean: every reachable pair of kept and reduced axis counts (alternating runs, rank <= 8)', async () => {
    const pairs: [number, number][] = [];
    for (let k = 1; k <= 4; k++) for (let r = Math.max(1, k - 1); r <= Math.min(4, k + 1) && k + r <= 8; r++) pairs.push([k, r]);
    for (const [k, r] of pairs) {
      // Runs alternate, starting with a kept run when k > r; every run is one axis of extent 2 or 3.
      const keptFirst = k >= r;
      const rank = k + r;
      const input = Array.from({ length: rank }, (_, d) => 2 + (d % 2));
      const axes = input.map((_, d) => d).filter((d) => (d % 2 === 0) !== keptFirst);
      const o: OpSpec = { op: 'reducemean', spec: reducemeanSpec({ input, axes }) };
      const x = tensor(input, k * 10 + r);
      await expectFamilyConforms(gpu!, o, [x], `reducemean [${input}] axes [${axes}]`);
      expect(gpu!.runtime.pipelineKeys()).toContain(`reducemean:k${k}:r${r}`);
    }
  });

  it('nearest resize over 1 to 6 axes', async () => {
    for (const r of RANKS) {
      const input = Array.from({ length: r }, (_, k) => 2 + (k % 2));
      const o: OpSpec = { op: 'resize', spec: resizeSpec({ input, scales: input.map((_, k) => (k % 2 ? 1.5 : 2)) }) };
      await expectWithinBound(gpu!, cpu, o, [tensor(input, r)], () => 0, `resize nearest rank ${r}`);
      expect(gpu!.runtime.pipelineKeys()).toContain(`resize:nearest:r${r}`);
    }
  });
});
