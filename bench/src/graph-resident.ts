// Times a conv graph on WebGPU three ways: node by node (each node uploads its inputs and reads its
// output back), device-resident (runGraph with Backend.openGraphRun: values stay in GPU buffers,
// only outputs read back) and prepared (prepareGraph: constants uploaded and pipelines compiled
// once, each run writes the feeds and repeats the dispatches). Median of the timed runs after
// warm-up runs; the three modes interleave per round so machine load hits each alike.
//   npx tsx bench/src/graph-resident.ts [rounds=7] [warmup=2]
import { createWebGpuBackend } from '@convroute/backend-webgpu';
import {
  type Conv2dSpec,
  type ConvMethod,
  type Graph,
  GraphBuilder,
  prepareGraph,
  type RouteFn,
  runGraph,
  sampleStats,
  Tensor,
  uniformData,
} from '@convroute/core';

const rounds = Number(process.argv[2] ?? 7);
const warmup = Number(process.argv[3] ?? 2);
const t = (shape: number[], seed: number) =>
  Tensor.fromData(
    uniformData(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );

/** MobileNetV2-style inverted residual blocks at 28x28 (expand 1x1, depthwise 3x3, project 1x1),
 * a ResNet-style 3x3 pair at 14x14 after a strided conv, and a 1x1 head: small layers, where the
 * per-node transfers weigh most. */
function network(): Graph {
  const g = new GraphBuilder();
  g.input('x', [1, 32, 28, 28]);
  let v = 'x';
  let c = 32;
  let seed = 1;
  const conv = (out: string, cOut: number, k: number, attrs: { stride?: number; groups?: number; activation?: 'relu' } = {}) => {
    const w = `${out}.w`;
    const groups = attrs.groups ?? 1;
    g.constant(w, t([cOut, c / groups, k, k], seed++));
    g.constant(`${out}.b`, t([cOut], seed++));
    g.conv2d(out, v, w, `${out}.b`, { padding: (k - 1) / 2, ...attrs });
    v = out;
    c = cOut;
  };
  for (let i = 0; i < 3; i++) {
    conv(`b${i}.expand`, 96, 1, { activation: 'relu' });
    conv(`b${i}.dw`, 96, 3, { groups: 96, activation: 'relu' });
    conv(`b${i}.project`, 32, 1);
  }
  conv('down', 64, 3, { stride: 2, activation: 'relu' });
  conv('r1', 64, 3, { activation: 'relu' });
  conv('r2', 64, 3, { activation: 'relu' });
  conv('head', 128, 1);
  return g.output(v).build();
}

const backend = await createWebGpuBackend({ acquire: { log: () => {} } });
const graph = network();
const feeds = { x: t([1, 32, 28, 28], 99) };
// Methods as the etvk policy would pick them (each class's kernel), fixed so the modes compare the same kernels.
const methodFor = (spec: Conv2dSpec): ConvMethod => (spec.groups > 1 ? 'depthwise' : spec.weight[2] === 1 ? 'pointwise' : 'direct');
const routeFn: RouteFn = (spec) => ({ method: methodFor(spec), reasons: [] });

const prepared = await prepareGraph(graph, backend, { route: routeFn });
const modes: Record<string, () => Promise<unknown>> = {
  'node by node': () => runGraph(graph, backend, feeds, { route: routeFn, deviceResident: false }),
  'device-resident': () => runGraph(graph, backend, feeds, { route: routeFn }),
  prepared: () => prepared.run(feeds),
};
const samples: Record<string, number[]> = Object.fromEntries(Object.keys(modes).map((k) => [k, []]));
for (let r = 0; r < warmup + rounds; r++) {
  for (const [name, run] of Object.entries(modes)) {
    const t0 = performance.now();
    await run();
    if (r >= warmup) samples[name].push(performance.now() - t0);
  }
}
console.log(`adapter: ${backend.description}`);
console.log(`graph: ${graph.nodes.length} conv nodes, input [1, 32, 28, 28]; ${warmup} warm-up + ${rounds} timed runs per mode, interleaved`);
const base = sampleStats(samples['node by node']).median;
for (const [name, s] of Object.entries(samples)) {
  const st = sampleStats(s);
  console.log(
    `${name.padEnd(16)} median ${st.median.toFixed(1).padStart(8)} ms  (min ${st.min.toFixed(1)}, max ${st.max.toFixed(1)})  ${(base / st.median).toFixed(2)}x`,
  );
}
prepared.release();
backend.dispose();
