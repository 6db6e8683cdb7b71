import { createCpuBackend } from '@convroute/backend-cpu';
import { buildNetwork, type Method, NETWORK_NAMES, runGraph, Tensor, uniformData } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { checkGraphNodes, relativeDifference } from '../src/index.ts';

// Whole networks on the CPU at 32x32 (batch 2 so the head's gemm has M > 1): every node within its
// op's bound from the exact inputs of the node, and the final logits near the exact run's.
describe.each(NETWORK_NAMES)('%s end to end on the CPU', (name) => {
  const graph = buildNetwork(name, { size: 32, batch: 2, seed: 3 });
  const feeds = { input: Tensor.fromData(uniformData(2 * 3 * 32 * 32, 4), [2, 3, 32, 32]) };

  it.each(['exact', 'fast'] as const)(
    '%s mode: every node within its error model',
    async (mode) => {
      const backend = createCpuBackend({ mode });
      // Conv methods as the CPU's first choice for each spec (no router here: core may not import it).
      const run = await runGraph(graph, backend, feeds, { route: (_spec, ctx) => ({ method: ctx.available[0], reasons: [] }) });
      const methods = new Map<string, Method>(run.records.map((r) => [r.node, r.method]));
      const check = await checkGraphNodes(graph, feeds, backend, methods);
      expect(check.nodes.length).toBe(graph.nodes.length);
      for (const n of check.nodes) expect(n.report.ok, n.report.message).toBe(true);
      const y = run.outputs.logits;
      expect(y.shape).toEqual([2, 1000]);
      expect(y.data.every(Number.isFinite)).toBe(true);
      // Activations stay O(1) (He-style weights): the logits are neither vanishing nor exploding.
      const maxAbs = y.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(maxAbs).toBeGreaterThan(1e-3);
      expect(maxAbs).toBeLessThan(1e4);
      const diff = relativeDifference(y, check.exactOutputs.logits);
      if (mode === 'exact') expect(diff).toBe(0);
      else expect(diff).toBeLessThan(2 ** -10);
      console.log(
        `${name} cpu ${mode}: ${check.nodes.length} nodes within their bounds; logits max |y| ${maxAbs.toPrecision(3)}, ${diff.toExponential(2)} from exact`,
      );
    },
    300_000,
  );
});
