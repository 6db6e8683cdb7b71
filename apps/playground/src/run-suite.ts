import { type Backend, conv2dBiasShape, conv2dFlops, conv2dOutputShape, Tensor, uniformData } from '@convroute/core';
import type { RouteRow } from './routing.ts';
import type { Verifier } from './verifier.ts';
import type { VerifyVerdict } from './verify-protocol.ts';

export type LayerStatus = 'passed' | 'failed' | 'error' | 'not-run';

export interface LayerResult {
  name: string;
  class: string;
  method: string | null;
  input: number[];
  weight: number[];
  output: number[];
  flops: number;
  /** Wall time of the WebGPU run including upload and readback, less compileMs, ms. */
  gpuMs: number | null;
  /** Of the call's wall time, building pipelines (the first use of a kernel variant), ms. */
  compileMs: number | null;
  verdict: VerifyVerdict | null;
  status: LayerStatus;
  error?: string;
}

export interface RunControl {
  /** Set when the run must stop (device lost); the reason goes into the report. */
  abort: string | null;
}

export interface RunOptions {
  seed: number;
  control: RunControl;
  onLayer: (index: number, result: LayerResult) => void;
  /** Test hook, e.g. to destroy the device after a layer and exercise the device-lost state. */
  afterGpuLayer?: (index: number) => void;
}

function blank(row: RouteRow): LayerResult {
  const { spec } = row.entry;
  return {
    name: row.name,
    class: row.class,
    method: row.method,
    input: [...spec.input],
    weight: [...spec.weight],
    output: [...conv2dOutputShape(spec)],
    flops: conv2dFlops(spec),
    gpuMs: null,
    compileMs: null,
    verdict: null,
    status: 'not-run',
  };
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Runs each routed layer on the WebGPU backend with seeded uniform data in [-1, 1) and hands the
 * output to the worker, which judges it against the exact CPU reference. The GPU moves on to the
 * next layer while the worker checks the previous one.
 */
export async function runSuite(rows: readonly RouteRow[], backend: Backend, verifier: Verifier, options: RunOptions): Promise<LayerResult[]> {
  const results = rows.map(blank);
  const checks: Promise<void>[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (options.control.abort) break;
    const row = rows[i];
    const res = results[i];
    if (row.method === null) {
      res.status = 'error';
      res.error = row.error ?? 'no method';
      options.onLayer(i, res);
      continue;
    }
    const { spec } = row.entry;
    const seed = options.seed + 3 * i;
    const data = [
      uniformData(
        spec.input.reduce((a, b) => a * b),
        seed,
      ),
      uniformData(
        spec.weight.reduce((a, b) => a * b),
        seed + 1,
      ),
    ];
    if (spec.bias) data.push(uniformData(conv2dBiasShape(spec)[0], seed + 2));
    const shapes = [spec.input, spec.weight, conv2dBiasShape(spec)];
    const inputs = data.map((d, k) => Tensor.fromData(d, shapes[k]));
    let actual: Float32Array;
    try {
      const c0 = backend.compileTimeMs?.() ?? 0;
      const t0 = performance.now();
      const y = await backend.run({ op: 'conv2d', spec }, row.method, inputs);
      const wall = performance.now() - t0;
      actual = y.data.slice();
      res.compileMs = Math.min(wall, Math.max(0, (backend.compileTimeMs?.() ?? 0) - c0));
      res.gpuMs = wall - res.compileMs;
    } catch (e) {
      res.status = 'error';
      res.error = options.control.abort ? `${options.control.abort}: ${errorText(e)}` : errorText(e);
      options.onLayer(i, res);
      continue;
    }
    options.onLayer(i, res);
    options.afterGpuLayer?.(i);
    const label = `${row.name} (${row.method})`;
    checks.push(
      verifier.verify({ spec, inputs: data, actual, label, method: row.method }).then(
        (v) => {
          res.verdict = v;
          res.status = v.ok ? 'passed' : 'failed';
          options.onLayer(i, res);
        },
        (e) => {
          res.status = 'error';
          res.error = `verification: ${errorText(e)}`;
          options.onLayer(i, res);
        },
      ),
    );
  }
  await Promise.all(checks);
  return results;
}

export interface RunSummary {
  passed: boolean;
  layers: number;
  verified: number;
  failed: number;
  errors: number;
  notRun: number;
  worstRatio: number;
}

export function summarize(results: readonly LayerResult[], aborted: string | null): RunSummary {
  const count = (s: LayerStatus) => results.filter((r) => r.status === s).length;
  const worstRatio = Math.max(0, ...results.map((r) => r.verdict?.maxRatio ?? 0));
  const s = { layers: results.length, verified: count('passed'), failed: count('failed'), errors: count('error'), notRun: count('not-run'), worstRatio };
  return { ...s, passed: aborted === null && s.verified === s.layers };
}
