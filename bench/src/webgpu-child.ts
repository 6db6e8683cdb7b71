// The bench harness's child (@convroute/cli runBenchChild) with tfjs-backend-webgpu plugged in
// as a contender. webgpu-bench.ts forks it: through tsx from source, or bundled (webgpu-child.mjs,
// docs/webgpu-on-linux.md, "The H200 recipe") by process.execPath; a native crash loses only the case in flight.
import { runBenchChild } from '@convroute/cli';
import { tfjsWebGpuPeer } from './webgpu-tfjs.ts';

runBenchChild([tfjsWebGpuPeer]);
