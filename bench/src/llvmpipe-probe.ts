// What a storage load costs on this adapter, next to an FMA: the cost model behind the GEMM's shape
// (packages/backend-webgpu/README.md, "Why loads decide everything on llvmpipe").
//   npx tsx bench/src/llvmpipe-probe.ts [reps]
// Each kernel runs a loop whose body is `loads` loads (of the given kind) feeding 32 FMAs into
// 16 independent accumulators; the table reports ns per loop iteration per 8 invocations (one
// llvmpipe SIMD row), so the cost of one load is the slope between rows that differ in `loads`.
import { acquireDevice } from '@convroute/backend-webgpu';

const reps = Number(process.argv[2] ?? 5);
const acq = await acquireDevice({ log: () => {} });
const { device } = acq;
const hasSubgroups = acq.features.includes('subgroups');
const WG = 64;
const GROUPS = 256;
const ITERS = 2048;
const WORDS = 1 << 16; // 256 KiB: stays in L2

type Kind =
  | 'lane'
  | 'lane-vec4'
  | 'uniform'
  | 'uniform-vec4'
  | 'shared-lane'
  | 'ubo-lane-vec4'
  | 'ubo-uniform-vec4'
  | 'tex-lane-vec4'
  | 'tex-uniform-vec4'
  | 'uniform-bf'
  | 'uniform-vec4-bf'
  | 'broadcast'
  | 'none';

function probeWgsl(kind: Kind, loads: number): string {
  const acc = 16;
  const accs = Array.from({ length: acc }, (_, i) => i);
  const enable = hasSubgroups ? 'enable subgroups;\n' : '';
  const vec = kind.includes('vec4');
  const loadExpr = (j: number): string => {
    switch (kind) {
      case 'lane':
        return `src[(i * ${WG * loads}u + ${j * WG}u + li) & ${WORDS - 1}u]`;
      case 'lane-vec4':
        return `src4[(i * ${WG * loads}u + ${j * WG}u + li) & ${WORDS / 4 - 1}u]`;
      case 'uniform':
        return `src[(i * ${loads}u + ${j}u + wg.x * 64u) & ${WORDS - 1}u]`;
      case 'uniform-vec4':
        return `src4[(i * ${loads}u + ${j}u + wg.x * 16u) & ${WORDS / 4 - 1}u]`;
      case 'shared-lane':
        return `tile[(i * ${loads}u + ${j}u + li) & 1023u]`;
      case 'ubo-lane-vec4':
        return `ubo[(i * ${loads}u + ${j}u + li) & 1023u]`;
      case 'ubo-uniform-vec4':
        return `ubo[(i * ${loads}u + ${j}u + wg.x) & 1023u]`;
      case 'tex-lane-vec4':
        return `textureLoad(tex, vec2<u32>((i * ${loads}u + ${j}u + li) & 255u, wg.x & 63u), 0)`;
      case 'tex-uniform-vec4':
        return `textureLoad(tex, vec2<u32>((i * ${loads}u + ${j}u) & 255u, wg.x & 63u), 0)`;
      case 'uniform-bf': // the index through subgroupBroadcastFirst: NIR then knows it is uniform
        return `src[subgroupBroadcastFirst((i * ${loads}u + ${j}u + wg.x * 64u) & ${WORDS - 1}u)]`;
      case 'uniform-vec4-bf':
        return `src4[subgroupBroadcastFirst((i * ${loads}u + ${j}u + wg.x * 16u) & ${WORDS / 4 - 1}u)]`;
      case 'broadcast': // of a loop-carried value, so it cannot be hoisted
        return `subgroupBroadcast(c${j}, ${j % 8}u)`;
      default:
        return '1.0';
    }
  };
  const use = (j: number) => (vec ? `(x${j}.x + x${j}.w)` : `x${j}`);
  const body: string[] = [];
  for (let j = 0; j < loads; j++) body.push(`    let x${j} = ${loadExpr(j)};`);
  // FMAs through block-local copies (one loop-carried write per accumulator per iteration): with
  // writes to the loop-carried variables themselves, llvmpipe blends every FMA with the loop mask.
  for (let a = 0; a < acc; a++) body.push(`    var t${a} = c${a};`);
  for (let a = 0; a < acc; a++) body.push(`    t${a} = fma(${loads ? use(a % loads) : 'm'}, t${a}, 1e-3);`);
  for (let a = 0; a < acc; a++) body.push(`    t${a} = fma(${loads ? use((a + 1) % loads) : 'm'}, t${a}, 1e-3);`);
  for (let a = 0; a < acc; a++) body.push(`    c${a} = t${a};`);
  return `${enable}@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read> src4: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
struct P { iters: u32 }
@group(0) @binding(3) var<uniform> p: P;
@group(0) @binding(4) var<uniform> ubo: array<vec4<f32>, 1024>;
@group(0) @binding(5) var tex: texture_2d<f32>;
var<workgroup> tile: array<f32, 1024>;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_index) li: u32,
        @builtin(workgroup_id) wg: vec3<u32>${hasSubgroups ? ', @builtin(subgroup_invocation_id) sl: u32' : ''}) {
  ${kind === 'shared-lane' ? 'for (var t = li; t < 1024u; t += 64u) { tile[t] = f32(t) * 1e-4; }\n  workgroupBarrier();' : ''}
  let seed = f32(gid.x) * 1e-7;
  let m = 0.9999 + seed;
${accs.map((a) => `  var c${a} = seed + ${a}.0;`).join('\n')}
  for (var i = 0u; i < p.iters; i++) {
${body.join('\n')}
  }
  out[gid.x] = ${accs.map((a) => `c${a}`).join(' + ')};
}`;
}

const src = device.createBuffer({ size: WORDS * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
device.queue.writeBuffer(src, 0, new Float32Array(WORDS).fill(0.5));
const out = device.createBuffer({ size: WG * GROUPS * 4, usage: GPUBufferUsage.STORAGE });
const uni = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
device.queue.writeBuffer(uni, 0, new Uint32Array([ITERS, 0, 0, 0]));
const ubo = device.createBuffer({ size: 1024 * 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
device.queue.writeBuffer(ubo, 0, new Float32Array(4096).fill(0.5));
const tex = device.createTexture({ size: [256, 64], format: 'rgba32float', usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST });
device.queue.writeTexture({ texture: tex }, new Float32Array(256 * 64 * 4).fill(0.5), { bytesPerRow: 256 * 16 }, [256, 64]);

async function time(kind: Kind, loads: number): Promise<number> {
  const code = probeWgsl(kind, loads);
  const module = device.createShaderModule({ code });
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const entries = [
    { binding: 0, resource: { buffer: src } },
    { binding: 1, resource: { buffer: src } },
    { binding: 2, resource: { buffer: out } },
    { binding: 3, resource: { buffer: uni } },
    { binding: 4, resource: { buffer: ubo } },
    { binding: 5, resource: tex.createView() },
  ].filter((e) => code.includes(['src[', 'src4[', 'out[', 'p.iters', 'ubo[', 'textureLoad'][e.binding])); // 'auto' layouts hold only used bindings
  const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
  const run = async () => {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(GROUPS);
    pass.end();
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
  };
  await run();
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await run();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  const rows = (WG * GROUPS) / 8;
  return (ts[ts.length >> 1] * 1e6) / (rows * ITERS);
}

const kinds: Kind[] = ['lane', 'lane-vec4', 'uniform', 'uniform-vec4', 'shared-lane', 'ubo-lane-vec4', 'ubo-uniform-vec4', 'tex-lane-vec4', 'tex-uniform-vec4'];
if (hasSubgroups) kinds.push('uniform-bf', 'uniform-vec4-bf', 'broadcast');
const base = await time('none', 0);
console.log(`${acq.info.description}; LP_NUM_THREADS=${process.env.LP_NUM_THREADS}; median of ${reps}`);
console.log(`32 FMAs, no loads: ${base.toFixed(2)} ns per iteration per 8 lanes (${(base / 32).toFixed(3)} ns per FMA)`);
console.log('| load kind | ns/iter, 4 loads | ns/iter, 8 loads | ns per load (slope) | loads per FMA-time |');
console.log('|---|---|---|---|---|');
for (const k of kinds) {
  const t4 = await time(k, 4);
  const t8 = await time(k, 8);
  const per = (t8 - t4) / 4;
  console.log(`| ${k} | ${t4.toFixed(2)} | ${t8.toFixed(2)} | ${per.toFixed(2)} | ${(per / (base / 32)).toFixed(1)} |`);
}
device.destroy();
process.exit(0);
