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
//   npx tsx bench/src/model-bench.ts [--profile file.json] [--nets resnet18,mobilenetv2] [--size 224] [--warmup 2] [--reps 5] [--no-ort] [--no-tfjs]
// Bundled for the H200 (docs/webgpu-on-linux.md, "The H200 recipe"): pack bench/src/model-bench.ts;
// onnxruntime-node stays external and travels as a package (its native binding), as for onnx-webgpu.ts.
import { readFileSync } from 'node:fs';
import { acquireDevice } from '@convroute/backend-webgpu';
import { relativeDifference } from '@convroute/conformance';
import { buildNetwork, type Graph, type NetworkName, sampleStats, Tensor, uniformData } from '@convroute/core';
import { exportOnnx, loadOnnx } from '@convroute/onnx';
import { profileFromJson } from '@convroute/router';
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

interface Row {
  net: string;
  lib: string;
  ms?: number;
  diff?: number;
  error?: string;
}

/** A library opened on one network: `run` computes the logits of one input (read back to the
 * host, as every library's call here waits for its result), `close` frees it. */
interface Runner {
  run(): Promise<Tensor>;
  close(): Promise<void> | void;
}

async function convroute(session: Session, graph: Graph, x: Tensor): Promise<Runner> {
  // Prepared once (routed, weights uploaded, pipelines compiled), then run device-resident.
  const prepared = await session.prepare(graph);
  return { run: async () => (await prepared.run({ input: x })).outputs.logits, close: () => prepared.release() };
}

async function ort(graph: Graph, x: Tensor): Promise<Runner> {
  const ortm = await import('onnxruntime-node');
  const session = await ortm.InferenceSession.create(exportOnnx(graph), {
    executionProviders: [{ name: 'webgpu', preferredLayout: 'NHWC' } as unknown as string],
  });
  const feeds = { input: new ortm.Tensor('float32', x.data, x.shape) };
  return {
    run: async () => {
      const y = (await session.run(feeds)).logits;
      return Tensor.fromData(Float32Array.from(y.data as Float32Array), y.dims as number[]);
    },
    close: () => session.release(),
  };
}

// biome-ignore lint/suspicious/noExplicitAny: tfjs is loaded dynamically
async function tfjs(tf: any, graph: Graph, x: Tensor): Promise<Runner> {
  const g = tfjsGraph(tf, graph);
  return {
    run: async () => {
      const y = g.run(x.data);
      const data = await g.read(y);
      y.dispose();
      return Tensor.fromData(data, graph.values.get('logits')!.shape);
    },
    close: () => g.dispose(),
  };
}

/**
 * Times the open libraries round-robin: `warmup` untimed calls each, then `reps` rounds in which
 * every library runs once, so a change of the GPU's clock or of the machine's load during the run
 * falls on all of them alike (on the H200 the same configuration read 2.5 and 7.4 ms in two
 * processes when timed one library after another). Median wall ms per library, and its last output.
 */
async function timeRoundRobin(runners: (Runner | Error)[]): Promise<({ ms: number; y: Tensor } | Error)[]> {
  const samples = runners.map(() => [] as number[]);
  const last: (Tensor | Error | undefined)[] = runners.map((r) => (r instanceof Error ? r : undefined));
  const step = async (i: number, timedRound: boolean) => {
    const r = runners[i];
    if (r instanceof Error || last[i] instanceof Error) return;
    try {
      const t0 = performance.now();
      last[i] = await r.run();
      if (timedRound) samples[i].push(performance.now() - t0);
    } catch (e) {
      last[i] = e instanceof Error ? e : new Error(String(e));
    }
  };
  for (let w = 0; w < warmup; w++) for (let i = 0; i < runners.length; i++) await step(i, false);
  for (let k = 0; k < reps; k++) for (let i = 0; i < runners.length; i++) await step(i, true);
  return last.map((y, i) => (y instanceof Error ? y : { ms: sampleStats(samples[i]).median, y: y as Tensor }));
}

// --profile file.json: route with that device profile (e.g. a calibrated one from convroute calibrate).
const profileFile = arg('profile', '');
const session = await Session.open({
  backend: 'webgpu',
  ...(profileFile ? { profile: profileFromJson(JSON.parse(readFileSync(profileFile, 'utf8')), profileFile) } : {}),
});
if (profileFile) console.log(`device profile ${session.opened.profile.name} from ${profileFile}`);
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
  const libs: [string, () => Promise<Runner>][] = [
    ['convroute', () => convroute(session, graph, x)],
    ['convroute, BN folded', () => convroute(session, folded, x)],
  ];
  if (!process.argv.includes('--no-ort')) libs.push(['onnxruntime-node webgpu', () => ort(graph, x)]);
  if (tf) libs.push(['tfjs-backend-webgpu', () => tfjs(tf, graph, x)]);
  const runners: (Runner | Error)[] = [];
  for (const [, open] of libs) runners.push(await open().catch((e) => (e instanceof Error ? e : new Error(String(e)))));
  const results = await timeRoundRobin(runners);
  for (const [i, [lib]] of libs.entries()) {
    const r = results[i];
    rows.push(r instanceof Error ? { net, lib, error: r.message.split('\n')[0] } : { net, lib, ms: r.ms, diff: relativeDifference(r.y, exact) });
  }
  for (const r of runners) if (!(r instanceof Error)) await r.close();
  console.error(`  ${libs.map(([l]) => l).join(', ')} done`);
}
await session.close();

console.log(
  `batch 1, ${size}x${size}; median wall ms of ${reps} rounds after ${warmup} warm-up, the libraries timed round-robin (input on the host, output read back)`,
);
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
