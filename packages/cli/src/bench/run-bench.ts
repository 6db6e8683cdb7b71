import { cpus } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ConvMethod, type Precision, sampleStats } from '@convroute/core';
import { benchLayers, layerMethods } from './cases.ts';
import { BENCH_FORMAT, type BenchFile, type BenchLayer, type BenchResult, type Ceilings, type CrashRecord, type PeerResult } from './format.ts';
import { type BackendEnv, type ChildJob, type ChildMessage, caseKey, type JobCase } from './protocol.ts';
import { runWithRetries } from './runner.ts';
import { softwareVersions } from './versions.ts';

export interface BenchOptions {
  suites: string;
  backend: 'cpu' | 'webgpu';
  cpuMode: 'exact' | 'fast';
  /** WebGPU's arithmetic (absent: f32); recorded in the file's settings. */
  precision?: Precision;
  warmup: number;
  reps: number;
  budgetMs: number;
  methods: ConvMethod[] | null;
  layers?: string;
  /** At most this many layers (distinct shapes) of each suite, in suite order. */
  limitPerSuite?: number;
  retries: number;
  /** Measure the adapter's FMA and copy ceilings first (WebGPU only). */
  ceilings: boolean;
  /** With the ceilings: square GEMM sizes to time through the backend (e.g. [512]). */
  gemmSizes?: number[];
  /** Check every timed output against the exact reference (conformance's error bound). */
  verify?: boolean;
  /** Peer libraries to time on every layer after convroute's methods: names of the peers the
   * child script was started with (runBenchChild); the bench package's contenders. */
  peers?: string[];
  /** Also time methods by queue completion where GPU timestamps resolved them (beside peers). */
  queueToo?: boolean;
  idleTimeoutMs: number;
  /** Layers per child process (each child opens the backend once). */
  layersPerChild: number;
  /** The child entry (tests and the bench package substitute one): TypeScript run through tsx,
   * or a bundled .mjs/.js run by this Node (runner.ts). */
  childScript?: string;
  command?: string[];
  /** Called once the total is known, then after each finished case. */
  onProgress?: (done: number, total: number, last?: BenchResult | PeerResult) => void;
  /** Called with the file so far (`complete: false`) after each finished case, so a crash or a
   * Ctrl-C later loses nothing already measured; saves run one at a time, in order. */
  onPartial?: (partial: BenchFile) => Promise<void>;
}

/** Fills in the summary of an ok case: stats over its samples, GFLOP/s and GB/s at the median. */
export function finishResult<R extends BenchResult | PeerResult>(r: R, layer: BenchLayer): R {
  if (r.status !== 'ok' || !r.samplesMs?.length) return r;
  const stats = sampleStats(r.samplesMs);
  return { ...r, stats, gflops: layer.flops / stats.median / 1e6, gbps: layer.bytes / stats.median / 1e6 };
}

const ENV_KEYS = ['LP_NUM_THREADS', 'VK_ICD_FILENAMES', 'CONVROUTE_METHOD'];

/** `convroute bench`: every (layer, method) case in child processes, then one BenchFile. */
export async function runBench(o: BenchOptions): Promise<BenchFile> {
  const all = await benchLayers(o.suites, o.layers);
  const taken = new Map<string, number>();
  const limit = o.limitPerSuite ?? Number.POSITIVE_INFINITY;
  const layers = all.filter((l) => {
    const n = taken.get(l.suite) ?? 0;
    taken.set(l.suite, n + 1);
    return n < limit;
  });
  const byId = new Map(layers.map((l) => [l.id, l]));
  // The child entry beside this module, of its kind: child.ts from source, child.js in the built
  // package, child.mjs beside a bundled bin.mjs (forked with process.execPath: no tsx there).
  const script = o.childScript ?? join(import.meta.dirname, `child${extname(fileURLToPath(import.meta.url))}`);
  const peers = o.peers ?? [];
  const cases: JobCase[] = layers.flatMap((l) => [
    ...layerMethods(l.spec, o.methods).map((method): JobCase => ({ layer: l.id, method, spec: l.spec })),
    ...peers.map((peer): JobCase => ({ layer: l.id, peer, spec: l.spec })),
  ]);
  const results: BenchResult[] = [];
  const peerResults: PeerResult[] = [];
  const crashes: CrashRecord[] = [];
  let env: BackendEnv | null = null;
  let ceilings: Ceilings | null = null;
  o.onProgress?.(0, cases.length);
  const common = { script, idleTimeoutMs: o.idleTimeoutMs, retries: o.retries };

  if (o.ceilings && o.backend === 'webgpu') {
    const token = { kind: 'ceilings' as const };
    await runWithRetries({
      ...common,
      cases: [token],
      job: (): ChildJob => ({ kind: 'ceilings', reps: 7, gemmSizes: o.gemmSizes ?? [] }),
      finishes: (msg) => (msg.type === 'ceilings' ? token : null),
      onMessage: (msg) => {
        if (msg.type === 'ceilings') ceilings = (msg as Extract<ChildMessage, { type: 'ceilings' }>).ceilings;
      },
      onGiveUp: () => {},
      onCrash: (_c, rec) => crashes.push({ layer: '(ceilings)', method: 'ceilings', ...rec }),
    });
  }

  const groups: JobCase[][] = [];
  for (let i = 0; i < layers.length; i += o.layersPerChild) {
    const ids = new Set(layers.slice(i, i + o.layersPerChild).map((l) => l.id));
    groups.push(cases.filter((c) => ids.has(c.layer)));
  }
  let saving = Promise.resolve();
  const record = (c: JobCase, r: Omit<BenchResult, 'attempts'> | Omit<PeerResult, 'attempts'>, attempts: number) => {
    const layer = byId.get(c.layer) as BenchLayer;
    const done = 'peer' in r ? finishResult({ ...r, attempts }, layer) : finishResult({ ...r, attempts }, layer);
    if ('peer' in done) peerResults.push(done);
    else results.push(done);
    o.onProgress?.(results.length + peerResults.length, cases.length, done);
    if (o.onPartial) {
      const partial = assemble(false);
      saving = saving.then(() => o.onPartial?.(partial));
    }
  };
  const crashCount = new Map<JobCase, number>();
  for (const group of groups) {
    if (group.length === 0) continue;
    await runWithRetries<JobCase>({
      ...common,
      cases: group,
      job: (remaining): ChildJob => ({
        kind: 'cases',
        backend: o.backend,
        cpuMode: o.cpuMode,
        ...(o.precision && o.precision !== 'f32' ? { precision: o.precision } : {}),
        warmup: o.warmup,
        reps: o.reps,
        budgetMs: o.budgetMs,
        verify: o.verify ?? false,
        queueToo: o.queueToo ?? false,
        cases: [...remaining],
      }),
      finishes: (msg, remaining) => {
        if (msg.type !== 'result' && msg.type !== 'peer-result') return null;
        const r = (msg as Extract<ChildMessage, { type: 'result' | 'peer-result' }>).result;
        const c = remaining.find((x) => caseKey(x) === caseKey(r)) ?? null;
        if (c) record(c, r, (crashCount.get(c) ?? 0) + 1);
        return c;
      },
      onMessage: (msg) => {
        if (msg.type === 'env') env ??= (msg as Extract<ChildMessage, { type: 'env' }>).env;
      },
      onGiveUp: (c, why, detail, n) =>
        record(
          c,
          c.peer === undefined
            ? { layer: c.layer, method: c.method, status: why, error: detail }
            : { layer: c.layer, peer: c.peer, status: why, error: detail },
          n,
        ),
      onCrash: (c, rec) => {
        crashCount.set(c, (crashCount.get(c) ?? 0) + 1);
        crashes.push({ layer: c.layer, method: c.peer === undefined ? c.method : `peer:${c.peer}`, ...rec });
      },
    });
  }
  await saving;
  return assemble(true);

  /** The file from what is measured so far; `complete` once every case has finished. */
  function assemble(complete: boolean): BenchFile {
    const e = env as BackendEnv | null;
    const cpu = cpus();
    return {
      format: BENCH_FORMAT,
      version: 1,
      date: new Date().toISOString(),
      command: o.command ?? [],
      settings: {
        suites: o.suites.split(','),
        backend: o.backend,
        warmup: o.warmup,
        reps: o.reps,
        budgetMs: o.budgetMs,
        methods: o.methods,
        layers: o.layers ?? null,
        retries: o.retries,
        ...(o.verify ? { verify: true } : {}),
        ...(o.precision && o.precision !== 'f32' ? { precision: o.precision } : {}),
      },
      machine: { platform: process.platform, arch: process.arch, cpus: cpu[0]?.model ?? 'unknown', cpuCount: cpu.length },
      env: Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]])),
      software: softwareVersions(),
      backend: e?.backend ?? null,
      adapter: e?.adapter ?? null,
      ceilings,
      layers,
      results: [...results],
      ...(peers.length ? { peers: [...peerResults] } : {}),
      crashes: [...crashes],
      complete,
    };
  }
}
