export { measureCeilings } from './bench/ceilings.ts';
// The bench harness, for the private bench package (peer libraries plugged in as contenders).
export { runBenchChild } from './bench/child-main.ts';
export type { BenchFile, BenchLayer, BenchResult, Ceilings, PeerResult } from './bench/format.ts';
export type { BenchPeer } from './bench/peers.ts';
export { type BenchOptions, runBench } from './bench/run-bench.ts';
export { main } from './main.ts';
