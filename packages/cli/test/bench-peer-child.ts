/**
 * A bench child with two peers, for the harness tests: 'exact-peer' runs the exact CPU backend's
 * direct conv (no 1x1 convs, to show 'unsupported'); 'zeros-peer' answers zeros (a wrong peer).
 */
import { createCpuBackend } from '@convroute/backend-cpu';
import { type Conv2dSpec, type PreparedRun, preparedRun, Tensor } from '@convroute/core';
import { runBenchChild } from '../src/bench/child-main.ts';
import type { BenchPeer } from '../src/bench/peers.ts';

const cpu = createCpuBackend({ mode: 'exact' });
async function direct(spec: Conv2dSpec, inputs: readonly Tensor[]): Promise<PreparedRun> {
  const p = await cpu.prepare?.({ op: 'conv2d', spec }, 'direct', inputs);
  if (!p) throw new Error('the cpu backend prepares');
  return p;
}
const exact: BenchPeer = {
  name: 'exact-peer',
  open: async () => {},
  rejection: (spec) => (spec.weight[2] === 1 && spec.weight[3] === 1 ? 'no 1x1 convs' : null),
  prepare: direct,
};
const zeros: BenchPeer = {
  name: 'zeros-peer',
  open: async () => {},
  rejection: () => null,
  prepare: async (spec, inputs) => {
    const p = await cpu.prepare?.({ op: 'conv2d', spec }, 'direct', inputs);
    if (!p) throw new Error('the cpu backend prepares');
    return preparedRun('zeros', {
      ...p,
      clock: p.clock,
      outputShape: p.outputShape,
      read: async () => Tensor.zeros(p.outputShape),
      execute: p.execute,
      release: p.release,
    });
  },
};
runBenchChild([exact, zeros]);
