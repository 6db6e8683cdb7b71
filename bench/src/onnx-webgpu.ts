// onnxruntime-node's WebGPU execution provider on a few conv layers of the suites (issue 15: the
// peers in the same run as convroute's bench). Wall-time medians of session.run (inputs on the
// host, as ORT's Node API takes them), each output held to the exact CPU reference.
//   npx tsx bench/src/onnx-webgpu.ts [--layers 6] [--reps 10]
// Bundled for the device (docs/webgpu-on-linux.md, "The H200 recipe"), onnxruntime-node stays external and travels
// as a package (its native binding and libonnxruntime).
import { compareWithBound, conv2dInputs, referenceConv2d } from '@convroute/conformance';
import { applyActivation, type Conv2dSpec, conv2dFlops, conv2dOutputShape, conv2dReductionLength, getSuite, Tensor, uniqueShapes } from '@convroute/core';
import * as ort from 'onnxruntime-node';
import { convModelFor } from './onnx-model.ts';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const reps = Number(arg('reps', '10'));
const perSuite = Number(arg('layers', '3'));
const ep = arg('ep', 'webgpu');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function runLayer(name: string, spec: Conv2dSpec): Promise<void> {
  const out = conv2dOutputShape(spec);
  const model = convModelFor(spec);
  const session = await ort.InferenceSession.create(model, { executionProviders: [ep], graphOptimizationLevel: 'disabled' });
  try {
    const [x, w, b] = conv2dInputs(spec, 'float', 1);
    const feeds: Record<string, ort.Tensor> = { X: new ort.Tensor('float32', x.data, spec.input), W: new ort.Tensor('float32', w.data, spec.weight) };
    if (b) feeds.B = new ort.Tensor('float32', b.data, [b.size]);
    let y = (await session.run(feeds)).Y;
    await session.run(feeds);
    const times: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      y = (await session.run(feeds)).Y;
      times.push(performance.now() - t0);
    }
    const ref = await referenceConv2d(spec, b ? [x, w, b] : [x, w]);
    // ORT's Conv has no fused activation: applied to its rounded output, convroute's semantics.
    const got = Tensor.fromData(
      Float32Array.from(y.data as Float32Array, (v) => applyActivation(spec.activation, v)),
      out,
    );
    const cmp = compareWithBound(got, ref.y, ref.abs, conv2dReductionLength(spec), { shape: out, label: 'ort' });
    const ms = median(times);
    console.log(
      `| ${name} | ${spec.input.join('x')} w${spec.weight.join('x')} s${spec.stride[0]}${spec.groups > 1 ? ` g${spec.groups}` : ''} | ${ms.toFixed(3)} | ${(conv2dFlops(spec) / ms / 1e6).toFixed(1)} | ${cmp.maxRatio.toFixed(2)}${cmp.ok ? '' : ' FAIL'} |`,
    );
  } finally {
    await session.release();
  }
}

console.log(`onnxruntime-node ${ort.env.versions?.node ?? '?'}, execution provider ${ep}, ${reps} timed runs after 2 warm-ups`);
console.log('| layer | shape | median wall ms | GFLOP/s | error/bound |');
console.log('|---|---|---|---|---|');
for (const suite of ['resnet18', 'mobilenetv2', 'etvk']) {
  const layers = uniqueShapes(getSuite(suite))
    .filter((u) => !u.spec.transposed)
    .sort((a, b) => conv2dFlops(b.spec) - conv2dFlops(a.spec))
    .slice(0, perSuite);
  for (const u of layers) {
    try {
      await runLayer(`${suite}/${u.names[0]}`, u.spec);
    } catch (e) {
      console.log(`| ${suite}/${u.names[0]} | failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)} | | | |`);
    }
  }
}
process.exit(0);
