// Whole-model latency (issue 13, "Benchmark"): ResNet-18 and MobileNetV2 (@convroute/core's
// networks, seeded weights), batch 1, 224x224, median wall time after warm-up of
//   convroute  WebGPU, routed, a prepared graph run device-resident (Session.prepare),
//   ORT        onnxruntime-node's WebGPU EP (preferredLayout NHWC) on the same graph written as ONNX
//              with the same weights (@convroute/onnx exportOnnx),
//   tfjs       @tensorflow/tfjs-backend-webgpu running the same graph with tfjs ops (tfjs-graph.ts),
// each output checked against convroute's CPU exact run (max |y - y_exact| / max |y_exact|).
// A fourth row, `convroute, BN folded`, runs the graph ONNX Runtime optimizes by default: the
// same ONNX model loaded with loadOnnx({ foldBatchNorm: true }), each BatchNormalization folded
// into its conv (weights rounded once: a different function, docs/decisions.md) and the relu
// fused into the conv's kernel, so residual adds fuse into the conv's epilogue too.
//   npx tsx bench/src/model-bench.ts [--nets resnet18,mobilenetv2] [--size 224] [--warmup 2] [--reps 5] [--no-ort] [--no-tfjs]
// Bundled for the H200 (docs/webgpu-on-linux.md, "The H200 recipe"): pack bench/src/model-bench.ts;
// onnxruntime-node stays external and travels as a package (its native binding), as for onnx-webgpu.ts.
import { acquireDevice } from '@convroute/backend-webgpu';
import { relativeDifference } from '@convroute/conformance';
import { buildNetwork, type Graph, type NetworkName, sampleStats, Tensor, uniformData } from '@convroute/core';
import { exportOnnx, loadOnnx } from '@convroute/onnx';
import { runModel, Session } from 'convroute';
import { tfjsGraph } from './tfjs-graph.ts';
import { initTfjsWebGpu } from './webgpu-tfjs.ts';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
process.env.LP_NUM_THREADS ??= '1';
process.env.XDG_RUNTIME_DIR ??= '/tmp';
const nets = arg('nets', 'resnet18,mobilenetv2').split(',') as NetworkName[];
const size = Number(arg('size', '224'));
const warmup = Number(arg('warmup', '2'));
const reps = Number(arg('reps', '5'));

/** Median wall ms of `reps` calls after `warmup` untimed ones, and the last result. */
async function timed<R>(f: () => Promise<R>): Promise<{ ms: number; last: R }> {
  let last = await f();
  for (let i = 1; i < warmup; i++) last = await f();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    last = await f();
    samples.push(performance.now() - t0);
  }
  return { ms: sampleStats(samples).median, last };
}

interface Row {
  net: string;
  lib: string;
  ms?: number;
  diff?: number;
  error?: string;
}

async function convroute(session: Session, graph: Graph, x: Tensor): Promise<{ ms: number; y: Tensor }> {
  // Prepared once (routed, weights uploaded, pipelines compiled), then run device-resident.
  const prepared = await session.prepare(graph);
  try {
    const r = await timed(() => prepared.run({ input: x }));
    return { ms: r.ms, y: r.last.outputs.logits };
  } finally {
    prepared.release();
  }
}

async function ort(graph: Graph, x: Tensor): Promise<{ ms: number; y: Tensor }> {
  const ortm = await import('onnxruntime-node');
  const session = await ortm.InferenceSession.create(exportOnnx(graph), {
    executionProviders: [{ name: 'webgpu', preferredLayout: 'NHWC' } as unknown as string],
  });
  try {
    const feeds = { input: new ortm.Tensor('float32', x.data, x.shape) };
    const r = await timed(() => session.run(feeds));
    const y = r.last.logits;
    return { ms: r.ms, y: Tensor.fromData(Float32Array.from(y.data as Float32Array), y.dims as number[]) };
  } finally {
    await session.release();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: tfjs is loaded dynamically
async function tfjs(tf: any, graph: Graph, x: Tensor): Promise<{ ms: number; y: Tensor }> {
  const g = tfjsGraph(tf, graph);
  try {
    // Each call waits for its result (read back), as convroute's and ORT's runs do.
    const r = await timed(async () => {
      const y = g.run(x.data);
      const data = await g.read(y);
      y.dispose();
      return data;
    });
    return { ms: r.ms, y: Tensor.fromData(r.last, graph.values.get('logits')!.shape) };
  } finally {
    g.dispose();
  }
}

const session = await Session.open({ backend: 'webgpu' });
console.log(`adapter: ${session.backendInfo.description} (${session.backendInfo.note}); LP_NUM_THREADS=${process.env.LP_NUM_THREADS}`);
// tfjs on its own device of the same adapter (its backend keeps the device it creates).
let tf: unknown;
if (!process.argv.includes('--no-tfjs')) {
  const acquired = await acquireDevice();
  await initTfjsWebGpu(acquired.gpu);
  tf = await import('@tensorflow/tfjs-core');
}
const rows: Row[] = [];
for (const net of nets) {
  const graph = buildNetwork(net, { size });
  const shape = graph.values.get('input')!.shape;
  const x = Tensor.fromData(
    uniformData(
      shape.reduce((a, d) => a * d, 1),
      2,
    ),
    shape,
  );
  const t0 = performance.now();
  const exact = (await runModel(graph, { input: x }, { backend: 'cpu', mode: 'exact' })).outputs.logits;
  console.error(`${net}: CPU exact reference in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const folded = await loadOnnx(exportOnnx(graph), { foldBatchNorm: true });
  const libs: [string, () => Promise<{ ms: number; y: Tensor }>][] = [
    ['convroute', () => convroute(session, graph, x)],
    ['convroute, BN folded', () => convroute(session, folded, x)],
  ];
  if (!process.argv.includes('--no-ort')) libs.push(['onnxruntime-node webgpu', () => ort(graph, x)]);
  if (tf) libs.push(['tfjs-backend-webgpu', () => tfjs(tf, graph, x)]);
  for (const [lib, run] of libs) {
    try {
      const r = await run();
      rows.push({ net, lib, ms: r.ms, diff: relativeDifference(r.y, exact) });
    } catch (e) {
      rows.push({ net, lib, error: e instanceof Error ? e.message.split('\n')[0] : String(e) });
    }
    console.error(`  ${lib} done`);
  }
}
await session.close();

console.log(`batch 1, ${size}x${size}; median wall ms of ${reps} runs after ${warmup} warm-up (input on the host, output read back)`);
console.log('| network | library | median ms | convroute speed-up | max abs diff / max abs y_exact |');
console.log('|---|---|---|---|---|');
for (const r of rows) {
  const ours = rows.find((o) => o.net === r.net && o.lib === 'convroute')?.ms;
  const ratio = r.ms !== undefined && ours !== undefined ? `${(r.ms / ours).toFixed(2)}x` : '-';
  console.log(
    `| ${r.net} | ${r.lib} | ${r.ms?.toFixed(1) ?? `failed: ${r.error}`} | ${r.lib === 'convroute' ? '1.00x' : ratio} | ${r.diff?.toExponential(2) ?? '-'} |`,
  );
}
process.exit(0);
