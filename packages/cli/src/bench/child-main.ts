/**
 * The body of a bench child process (started by runner.ts with `fork`): receives one ChildJob
 * over IPC, opens the backend, runs its cases in order and reports each as it finishes, so a
 * native crash (dawn.node aborts intermittently during long waits, docs) loses only the case in
 * flight. child.ts runs it with no peers; the bench package's child with its peer libraries.
 */
import {
  type Backend,
  type Conv2dSpec,
  conv2dBiasShape,
  conv2dSpec,
  isConvrouteError,
  type Method,
  type OpSpec,
  type Precision,
  type PreparedRun,
  shapeSize,
  Tensor,
  type TimingOptions,
  timeBackendRun,
  timePrepared,
  uniformData,
} from '@convroute/core';
import { openBackend } from 'convroute';
import { measureCeilings } from './ceilings.ts';
import type { BenchPeer } from './peers.ts';
import type { BackendEnv, ChildJob, ChildMessage } from './protocol.ts';
import { layerVerifier, type Verified } from './verify.ts';

type CasesJob = Extract<ChildJob, { kind: 'cases' }>;
type WebGpuBackend = import('@convroute/backend-webgpu').WebGpuBackend;

function send(msg: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('bench child started without an IPC channel'));
    process.send(msg, undefined, undefined, (e) => (e ? reject(e) : resolve()));
  });
}

const errorText = (e: unknown) => (isConvrouteError(e) ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e));

/** The layer's inputs (fixed seeds: every method and peer sees the same data) and its verifier. */
function layerInputs(specJson: Conv2dSpec, precision: Precision) {
  const spec = conv2dSpec(specJson as never);
  const inputs = [Tensor.fromData(uniformData(shapeSize(spec.input), 1), spec.input), Tensor.fromData(uniformData(shapeSize(spec.weight), 2), spec.weight)];
  if (spec.bias) inputs.push(Tensor.fromData(uniformData(conv2dBiasShape(spec)[0], 3), conv2dBiasShape(spec)));
  return { spec, op: { op: 'conv2d', spec } as OpSpec, inputs, verify: layerVerifier(spec, inputs, precision) };
}

/** Times a prepared run, then (with `verify`) checks its output; releases it either way. */
async function measure(p: PreparedRun, o: TimingOptions, job: CasesJob, check: (y: Tensor) => Promise<Verified>) {
  try {
    const t = await timePrepared(p, o);
    const queue = job.queueToo && t.clock === 'gpu-timestamp' ? (await timePrepared(p, { ...o, timestamps: false })).samplesMs : undefined;
    const v = job.verify ? await check(await p.read()) : undefined;
    return {
      clock: t.clock,
      samplesMs: t.samplesMs,
      ...(queue ? { queueSamplesMs: queue } : {}),
      ...(v ? { errorRatio: v.errorRatio, verification: v.message } : {}),
    };
  } finally {
    p.release();
  }
}

/** A backend without `prepare`: `run` timed on the wall clock, and run once more to verify. */
async function measureRun(
  backend: Backend,
  op: OpSpec,
  method: Method,
  inputs: readonly Tensor[],
  o: TimingOptions,
  job: CasesJob,
  check: (y: Tensor) => Promise<Verified>,
) {
  const t = await timeBackendRun(backend, op, method, inputs, o);
  const v = job.verify ? await check(await backend.run(op, method, inputs)) : undefined;
  return { ...t, ...(v ? { errorRatio: v.errorRatio, verification: v.message } : {}) };
}

async function runCases(job: CasesJob, peers: readonly BenchPeer[]): Promise<() => Promise<void>> {
  const opened = await openBackend(job.backend === 'cpu' ? { backend: 'cpu', mode: job.cpuMode } : { backend: 'webgpu', precision: job.precision }, () => {});
  const backend: Backend = opened.backend;
  const p = opened.profile;
  const env: BackendEnv = {
    backend: { name: backend.name, description: backend.description, note: opened.note },
    adapter:
      opened.kind === 'webgpu'
        ? { info: { ...p.adapter }, features: [...p.features], limits: { ...p.limits } as unknown as Record<string, number>, profile: p.name }
        : null,
  };
  await send({ type: 'env', env });
  // A peer on the GPU shares convroute's adapter (the webgpu kind is backend-webgpu's backend).
  const gpu = opened.kind === 'webgpu' ? ((backend as WebGpuBackend).acquired?.gpu ?? null) : null;
  const opening = new Map<string, Promise<void>>();
  const timing: TimingOptions = { warmup: job.warmup, reps: job.reps, budgetMs: job.budgetMs };
  let layer: { id: string; data: ReturnType<typeof layerInputs> } | undefined;
  for (const c of job.cases) {
    if (layer?.id !== c.layer) layer = { id: c.layer, data: layerInputs(c.spec, opened.precision) };
    const { spec, op, inputs, verify } = layer.data;
    if (c.peer !== undefined) {
      const base = { layer: c.layer, peer: c.peer };
      try {
        const peer = peers.find((x) => x.name === c.peer);
        if (!peer) throw new Error(`this bench child has no peer '${c.peer}' (it has ${peers.map((x) => x.name).join(', ') || 'none'})`);
        if (!opening.has(peer.name)) opening.set(peer.name, peer.open({ backend, gpu }));
        await opening.get(peer.name);
        const why = peer.rejection(spec);
        if (why) {
          await send({ type: 'peer-result', result: { ...base, status: 'unsupported', error: why } });
        } else {
          const { verification: _, ...measured } = await measure(await peer.prepare(spec, inputs), timing, job, verify);
          await send({ type: 'peer-result', result: { ...base, status: 'ok', ...measured } });
        }
      } catch (e) {
        await send({ type: 'peer-result', result: { ...base, status: 'error', error: errorText(e) } });
      }
      continue;
    }
    const base = { layer: c.layer, method: c.method };
    try {
      if (!backend.methodsFor(op).includes(c.method)) {
        await send({ type: 'result', result: { ...base, status: 'unsupported', error: `${backend.name} runs ${backend.methodsFor(op).join(', ')} here` } });
        continue;
      }
      const m = backend.prepare
        ? await measure(await backend.prepare(op, c.method, inputs), timing, job, (y) => verify(y, c.method))
        : await measureRun(backend, op, c.method, inputs, timing, job, (y) => verify(y, c.method));
      const { verification, ...measured } = m;
      // A convroute method over the bound is a wrong answer, not a speed.
      const wrong = m.errorRatio !== undefined && !(m.errorRatio <= 1);
      const status = wrong ? ('error' as const) : ('ok' as const);
      await send({ type: 'result', result: { ...base, ...measured, status, ...(wrong ? { error: `VERIFICATION_FAILED: ${verification}` } : {}) } });
    } catch (e) {
      await send({ type: 'result', result: { ...base, status: 'error', error: errorText(e) } });
    }
  }
  return async () => {
    for (const peer of peers) if (opening.has(peer.name)) await peer.close?.();
    await opened.close();
  };
}

async function runCeilings(job: Extract<ChildJob, { kind: 'ceilings' }>): Promise<() => Promise<void>> {
  const { createWebGpuBackend } = await import('@convroute/backend-webgpu');
  const backend = await createWebGpuBackend({ acquire: { log: () => {} } });
  await send({ type: 'ceilings', ceilings: await measureCeilings(backend, job.reps, job.gemmSizes) });
  return async () => backend.dispose();
}

/** Serves one job in this process (a bench child), with `peers` available to its cases. */
export function runBenchChild(peers: readonly BenchPeer[] = []): void {
  process.once('message', async (job: ChildJob) => {
    let code = 0;
    try {
      const close = job.kind === 'ceilings' ? await runCeilings(job) : await runCases(job, peers);
      await send({ type: 'done' });
      await close().catch(() => {});
    } catch (e) {
      process.stderr.write(`bench child: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      code = 3;
    }
    // Dawn can keep the process alive while it holds a device (docs).
    process.exit(code);
  });
}
