// Where a whole-model run's time goes on WebGPU (issue 13's latency gap): the prepared graph's
// median wall time beside each node run alone as a prepared op (Backend.prepare) with GPU
// timestamps, summed per op and per conv method. A node fused into a conv's epilogue (the residual
// add, a relu after it) is timed inside its conv, so it is left out here; the conv is timed
// without the add. Per-node inputs are random (times do not depend on finite values). Each network
// runs as built and with BatchNormalization folded (exportOnnx, then loadOnnx foldBatchNorm).
//   npx tsx bench/src/model-profile.ts [--profile file.json] [--nets resnet18,mobilenetv2] [--size 224] [--reps 7] [--top 12]
import { readFileSync } from 'node:fs';
import { buildNetwork, type NetworkName, sampleStats, Tensor, uniformData } from '@convroute/core';
import { exportOnnx, loadOnnx } from '@convroute/onnx';
import { profileFromJson } from '@convroute/router';
import { Session } from 'convroute';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
process.env.LP_NUM_THREADS ??= '1';
process.env.XDG_RUNTIME_DIR ??= '/tmp';
const nets = arg('nets', 'resnet18,mobilenetv2').split(',') as NetworkName[];
const size = Number(arg('size', '224'));
const reps = Number(arg('reps', '7'));
const top = Number(arg('top', '12'));

const random = (shape: readonly number[], seed: number) =>
  Tensor.fromData(
    uniformData(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    [...shape],
  );
const median = (xs: number[]) => sampleStats(xs).median;

// --profile file.json: route with that device profile (e.g. a calibrated one from convroute calibrate).
const profileFile = arg('profile', '');
const session = await Session.open({
  backend: 'webgpu',
  ...(profileFile ? { profile: profileFromJson(JSON.parse(readFileSync(profileFile, 'utf8')), profileFile) } : {}),
});
if (profileFile) console.log(`device profile ${session.opened.profile.name} from ${profileFile}`);
const backend = session.opened.backend;
if (!backend.prepare) throw new Error('the webgpu backend has no prepare');
console.log(`adapter: ${backend.description}; timestamps: GPU time of each node's compute pass; ${reps} runs after 2 warm-ups`);

const variants = nets.flatMap((net) => [
  { net, label: 'as built', fold: false },
  { net, label: 'BN folded', fold: true },
]);
for (const { net, label, fold } of variants) {
  const built = buildNetwork(net, { size, batch: 1, seed: 1 });
  const graph = fold ? await loadOnnx(exportOnnx(built), { foldBatchNorm: true }) : built;
  const feeds = { input: random(graph.values.get('input')!.shape, 2) };
  const prepared = await session.prepare(graph);
  for (let i = 0; i < 2; i++) await prepared.run(feeds);
  const wall: number[] = [];
  for (let i = 0; i < reps; i++) wall.push((await prepared.run(feeds)).timeMs);
  const records = prepared.records;
  prepared.release();

  const rows: { node: string; op: string; method: string; gpu: number; wall: number }[] = [];
  for (const [i, node] of graph.nodes.entries()) {
    const rec = records[i];
    if (rec.fusedInto) continue;
    const inputs = node.inputs.map((v, k) => graph.values.get(v)!.tensor ?? random(graph.values.get(v)!.shape, 10 + i * 4 + k));
    const p = await backend.prepare(node.op, rec.method, inputs);
    try {
      for (let k = 0; k < 2; k++) await p.execute();
      const gpu: number[] = [];
      const w: number[] = [];
      for (let k = 0; k < reps; k++) {
        const t0 = performance.now();
        const ms = await p.execute({ timestamps: true });
        w.push(performance.now() - t0);
        if (ms !== null) gpu.push(ms);
      }
      rows.push({ node: node.id, op: node.op.op, method: rec.method, gpu: gpu.length ? median(gpu) : Number.NaN, wall: median(w) });
    } finally {
      p.release();
    }
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  console.log(
    `\n${net} ${size}x${size} ${label}: prepared graph median ${median(wall).toFixed(2)} ms wall (${graph.nodes.length} nodes, ${rows.length} launched)`,
  );
  console.log(`sum over nodes run alone: GPU ${sum(rows.map((r) => r.gpu)).toFixed(2)} ms, wall ${sum(rows.map((r) => r.wall)).toFixed(2)} ms`);
  const groups = new Map<string, { n: number; gpu: number }>();
  for (const r of rows) {
    const key = r.op === 'conv2d' ? `conv2d/${r.method}` : r.op;
    const g = groups.get(key) ?? { n: 0, gpu: 0 };
    g.n++;
    g.gpu += r.gpu;
    groups.set(key, g);
  }
  console.log('| op / method | nodes | GPU ms | share |\n|---|---|---|---|');
  const total = sum(rows.map((r) => r.gpu));
  for (const [k, g] of [...groups].sort((a, b) => b[1].gpu - a[1].gpu)) {
    console.log(`| ${k} | ${g.n} | ${g.gpu.toFixed(3)} | ${((100 * g.gpu) / total).toFixed(1)}% |`);
  }
  console.log(`slowest ${top} nodes:\n| node | op | method | GPU ms | wall ms |\n|---|---|---|---|---|`);
  for (const r of [...rows].sort((a, b) => b.gpu - a.gpu).slice(0, top)) {
    console.log(`| ${r.node} | ${r.op} | ${r.method} | ${r.gpu.toFixed(3)} | ${r.wall.toFixed(3)} |`);
  }
}
await session.close();
