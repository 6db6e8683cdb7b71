/**
 * A bench child process (started by runner.ts with `fork`): receives one ChildJob over IPC, opens
 * the backend, runs its cases in order and reports each as it finishes, so a native crash (dawn.node
 * aborts intermittently during long waits, WEBGPU-ON-LINUX.md) loses only the case in flight.
 */
import { type Backend, conv2dBiasShape, conv2dSpec, isConvrouteError, type OpSpec, Tensor, timeBackendRun, uniformData } from '@convroute/core';
import { openBackend } from 'convroute';
import { measureCeilings } from './ceilings.ts';
import type { BackendEnv, ChildJob, ChildMessage, JobCase } from './protocol.ts';

function send(msg: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('bench child started without an IPC channel'));
    process.send(msg, undefined, undefined, (e) => (e ? reject(e) : resolve()));
  });
}

function inputsFor(c: JobCase): { op: OpSpec; inputs: Tensor[] } {
  const spec = conv2dSpec(c.spec as never);
  const x = Tensor.fromData(
    uniformData(
      spec.input.reduce((a, b) => a * b, 1),
      1,
    ),
    spec.input,
  );
  const w = Tensor.fromData(
    uniformData(
      spec.weight.reduce((a, b) => a * b, 1),
      2,
    ),
    spec.weight,
  );
  const inputs = [x, w];
  if (spec.bias) inputs.push(Tensor.fromData(uniformData(conv2dBiasShape(spec)[0], 3), conv2dBiasShape(spec)));
  return { op: { op: 'conv2d', spec }, inputs };
}

async function runCase(backend: Backend, c: JobCase, job: Extract<ChildJob, { kind: 'cases' }>): Promise<void> {
  const base = { layer: c.layer, method: c.method };
  try {
    const { op, inputs } = inputsFor(c);
    if (!backend.methodsFor(op).includes(c.method)) {
      await send({ type: 'result', result: { ...base, status: 'unsupported', error: `${backend.name} runs ${backend.methodsFor(op).join(', ')} here` } });
      return;
    }
    const { samplesMs, clock } = await timeBackendRun(backend, op, c.method, inputs, job);
    await send({ type: 'result', result: { ...base, status: 'ok', clock, samplesMs } });
  } catch (e) {
    const msg = isConvrouteError(e) ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
    await send({ type: 'result', result: { ...base, status: 'error', error: msg } });
  }
}

async function runCases(job: Extract<ChildJob, { kind: 'cases' }>): Promise<() => Promise<void>> {
  const opened = await openBackend(job.backend === 'cpu' ? { backend: 'cpu', mode: job.cpuMode } : { backend: 'webgpu' }, () => {});
  const p = opened.profile;
  const env: BackendEnv = {
    backend: { name: opened.backend.name, description: opened.backend.description, note: opened.note },
    adapter:
      opened.kind === 'webgpu'
        ? { info: { ...p.adapter }, features: [...p.features], limits: { ...p.limits } as unknown as Record<string, number>, profile: p.name }
        : null,
  };
  await send({ type: 'env', env });
  for (const c of job.cases) await runCase(opened.backend, c, job);
  return () => opened.close();
}

async function runCeilings(reps: number): Promise<() => Promise<void>> {
  const { acquireDevice } = await import('@convroute/backend-webgpu');
  const acquired = await acquireDevice({ log: () => {} });
  await send({ type: 'ceilings', ceilings: await measureCeilings(acquired.device, reps) });
  return async () => acquired.device.destroy();
}

process.once('message', async (job: ChildJob) => {
  let code = 0;
  try {
    const close = job.kind === 'ceilings' ? await runCeilings(job.reps) : await runCases(job);
    await send({ type: 'done' });
    await close().catch(() => {});
  } catch (e) {
    process.stderr.write(`bench child: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    code = 3;
  }
  // Dawn can keep the process alive while it holds a device (WEBGPU-ON-LINUX.md).
  process.exit(code);
});
