import {
  type Conv2dSpec,
  type ConvMethod,
  ConvrouteError,
  conv2dSpec,
  isConvMethod,
  type Precision,
  type SampleStats,
  type TimingClock,
} from '@convroute/core';
import type { MeasuredLayer } from '@convroute/router';
import { readText } from '../files.ts';

export const BENCH_FORMAT = 'convroute-bench';

/** How a case's time was taken (core's TimingClock): GPU timestamps around the kernels, the queue's
 * completion after a prepared dispatch, or the wall clock around a call that computes. */
export type Clock = TimingClock;

/** One distinct conv shape of the run: every name it has in its suite and how often it occurs. */
export interface BenchLayer {
  /** `suite/layer` of the first occurrence: unique in the file. */
  id: string;
  suite: string;
  names: string[];
  count: number;
  spec: Conv2dSpec;
  class: string;
  flops: number;
  /** Minimum memory traffic: float32 input, weight, bias and output, each once. */
  bytes: number;
}

export type CaseStatus = 'ok' | 'unsupported' | 'error' | 'crashed';

/** One (layer, method) case: raw samples (ms) and their summary. */
export interface BenchResult {
  layer: string;
  method: ConvMethod;
  status: CaseStatus;
  clock?: Clock;
  samplesMs?: number[];
  stats?: SampleStats;
  gflops?: number;
  gbps?: number;
  /** Why a case is not ok. */
  error?: string;
  /** Child processes that ran this case (1 unless it crashed and was retried). */
  attempts: number;
  /** With bench --verify: the largest error / bound against the exact reference (<= 1 passes; a
   * method over it is status 'error'). */
  errorRatio?: number;
  /** With queue timing beside GPU timestamps (the bench package's comparison with peers): the
   * queue-completion samples, when `clock` is 'gpu-timestamp'. */
  queueSamplesMs?: number[];
}

/** A peer library's result on a layer (bench package contenders): as a method's, never calibrated
 * on; an output over the bound stays ok with its errorRatio (the table shows it). */
export interface PeerResult extends Omit<BenchResult, 'method' | 'queueSamplesMs'> {
  peer: string;
}

export interface CrashRecord {
  layer: string;
  method: ConvMethod | 'ceilings' | `peer:${string}`;
  attempt: number;
  signal: string | null;
  exitCode: number | null;
  /** The last lines the child wrote on stderr. */
  stderrTail: string;
}

export interface Ceilings {
  clock: Clock;
  /** Peak FMA throughput (independent vec4 FMA chains). */
  fmaGflops: number;
  fmaSamplesMs: number[];
  fmaFlops: number;
  /** A large buffer copy: bytes read plus bytes written per second. */
  copyGbps: number;
  copySamplesMs: number[];
  copyBytes: number;
  /** Per FMA kernel shape: GFLOP/s and the workgroup count its grid settled on (absent in older files). */
  fmaRuns?: Record<string, { gflops: number; groups: number; clock: Clock }>;
  /** Square GEMMs `n^3` through the backend (bench --gemm): by queue completion and GPU timestamps. */
  gemm?: Record<string, { queueGflops: number; gpuGflops: number | null }>;
}

export interface BenchFile {
  format: typeof BENCH_FORMAT;
  version: 1;
  date: string;
  command: string[];
  settings: {
    suites: string[];
    backend: string;
    warmup: number;
    reps: number;
    budgetMs: number;
    methods: string[] | null;
    layers: string | null;
    retries: number;
    verify?: boolean;
    /** WebGPU's arithmetic when not f32 (absent: f32, and in older files). */
    precision?: Precision;
  };
  machine: { platform: string; arch: string; cpus: string; cpuCount: number };
  env: Record<string, string | undefined>;
  software: Record<string, string>;
  backend: { name: string; description: string; note: string } | null;
  adapter: { info: Record<string, string>; features: string[]; limits: Record<string, number>; profile: string } | null;
  ceilings: Ceilings | null;
  layers: BenchLayer[];
  results: BenchResult[];
  /** Peer libraries' results (the bench package); absent from `convroute bench`. */
  peers?: PeerResult[];
  crashes: CrashRecord[];
  /** false in a file saved while the bench still ran (results so far); absent in older files. */
  complete?: boolean;
}

function bad(file: string, field: string, value: unknown, rule: string): never {
  throw new ConvrouteError('INVALID_ARGUMENT', `${file}: ${field}`, value, rule);
}

/** Reads and checks one bench file (the fields later commands use); specs are re-validated. */
export function parseBench(text: string, file = 'bench'): BenchFile {
  let doc: BenchFile;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // Never the content: the file may be anything (`--bench /etc/passwd`).
    const at = /position (\d+)/.exec((e as Error).message);
    bad(file, 'json', undefined, `is not JSON${at ? ` (at character ${at[1]})` : ''}; content not shown`);
  }
  if (!doc || doc.format !== BENCH_FORMAT) bad(file, 'format', doc?.format, `must be "${BENCH_FORMAT}" (a file written by convroute bench --json)`);
  if (doc.version !== 1) bad(file, 'version', doc.version, 'must be 1');
  if (!Array.isArray(doc.layers) || !Array.isArray(doc.results)) bad(file, 'layers', typeof doc.layers, 'layers and results must be arrays');
  const ids = new Set<string>();
  doc.layers.forEach((l, i) => {
    if (typeof l.id !== 'string' || ids.has(l.id)) bad(file, `layers[${i}].id`, l.id, 'must be a unique string');
    ids.add(l.id);
    l.spec = conv2dSpec(l.spec as never);
    if (!(Number.isInteger(l.count) && l.count >= 1)) bad(file, `layers[${i}].count`, l.count, 'must be an integer >= 1');
  });
  doc.results.forEach((r, i) => {
    if (!ids.has(r.layer)) bad(file, `results[${i}].layer`, r.layer, 'must name a layer of the file');
    if (!isConvMethod(r.method)) bad(file, `results[${i}].method`, r.method, 'must be a conv method');
    if (r.status === 'ok' && !(r.stats && r.stats.median > 0)) bad(file, `results[${i}].stats.median`, r.stats?.median, 'an ok case needs a positive median');
  });
  return doc;
}

export async function readBench(path: string): Promise<BenchFile> {
  return parseBench(await readText('--bench', path), path);
}

/** Reads `a.json,b.json,...` (pooled: results from several runs or machines). */
export async function readBenches(list: string): Promise<BenchFile[]> {
  const paths = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (paths.length === 0) throw new ConvrouteError('INVALID_ARGUMENT', '--bench', list, 'name at least one bench JSON file');
  return Promise.all(paths.map(readBench));
}

/**
 * The measurements calibration and comparison read: per layer the median (ms) of each ok method.
 * Layers of several files are pooled; the same layer id in two files keeps the first file's
 * medians per method (pool results from one device only).
 */
export function measuredLayers(benches: readonly BenchFile[]): MeasuredLayer[] {
  const byId = new Map<string, MeasuredLayer>();
  for (const b of benches) {
    for (const l of b.layers) if (!byId.has(l.id)) byId.set(l.id, { name: l.id, spec: l.spec, weight: l.count, times: {} });
    for (const r of b.results) {
      const m = byId.get(r.layer);
      if (m && r.status === 'ok' && r.stats && m.times[r.method] === undefined) {
        m.times[r.method] = r.stats.median;
        // The noise calibration respects: the interquartile range of the repeated samples.
        (m.spreads ??= {})[r.method] = r.stats.q3 - r.stats.q1;
      }
    }
  }
  return [...byId.values()];
}
