import { ConvrouteError } from '@convroute/core';
import { captureNativeStderr } from './native-stderr.ts';

/** Software Vulkan drivers Dawn accepts on a GPU-less Linux machine (docs/webgpu-on-linux.md). */
const SOFTWARE_ICDS = [
  { name: 'lavapipe', icd: '/usr/share/vulkan/icd.d/lvp_icd.json' },
  { name: 'swiftshader', icd: '/usr/lib/chromium/vk_swiftshader_icd.json' },
] as const;

export interface AcquireOptions {
  /** Passed to requestAdapter. */
  powerPreference?: GPUPowerPreference;
  /** Node only: Dawn options for `create()`, e.g. ['backend=vulkan']. */
  dawnOptions?: string[];
  /** Node only: do not fall back to the software drivers when no adapter is found. */
  noSoftwareFallback?: boolean;
  /** Where to say which software driver was picked; default stderr. */
  log?: (msg: string) => void;
  /** Node only: pass Dawn's own warnings to `log` (prefixed `dawn:`). Dawn prints them from C++
   * while it enumerates adapters (on lavapipe: limits it lowers); by default they are kept off
   * stderr and dropped (native-stderr.ts says where that cannot be done). */
  verbose?: boolean;
}

export interface AcquiredDevice {
  device: GPUDevice;
  adapter: GPUAdapter;
  info: { vendor: string; architecture: string; device: string; description: string };
  /** 'navigator' in browsers, 'dawn' in Node. */
  source: 'navigator' | 'dawn';
  /** The software driver selected through VK_ICD_FILENAMES, when this function chose one. */
  softwareDriver?: string;
  features: string[];
  /** The GPU instance; kept referenced, since Dawn crashes when it is collected while a device lives. */
  gpu: GPU;
}

// dawn.node: if the GPU object from create() is garbage-collected while its device is in use,
// the process dies in ProcessEvents (seen here: SIGSEGV / std::system_error). Keep them alive.
const liveInstances = new Set<GPU>();

// subgroups: the GEMM shares A loads across a subgroup by broadcast (src/kernels/gemm.ts).
const USEFUL_FEATURES: GPUFeatureName[] = ['shader-f16', 'timestamp-query', 'subgroups' as GPUFeatureName];

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string' && typeof navigator === 'undefined';
}

/**
 * One function for Node (Dawn through the `webgpu` package) and browsers (`navigator.gpu`).
 * Requests the adapter's own limits and only the useful features it has.
 */
export async function acquireDevice(options: AcquireOptions = {}): Promise<AcquiredDevice> {
  const log = options.log ?? ((m: string) => console.error(m));
  let gpu: GPU;
  let source: 'navigator' | 'dawn';
  let softwareDriver: string | undefined;
  let adapter: GPUAdapter | null = null;
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu && !isNode()) {
    gpu = nav.gpu;
    source = 'navigator';
    adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference });
    if (!adapter) throw new ConvrouteError('DEVICE', 'navigator.gpu.requestAdapter', null, 'no WebGPU adapter: enable WebGPU in this browser');
  } else if (isNode()) {
    source = 'dawn';
    const r = await nodeAdapter(options, log);
    adapter = r.adapter;
    gpu = r.gpu;
    softwareDriver = r.softwareDriver;
  } else {
    throw new ConvrouteError('DEVICE', 'navigator.gpu', undefined, 'this environment has no WebGPU (navigator.gpu is missing)');
  }
  const features = USEFUL_FEATURES.filter((f) => adapter.features.has(f));
  const requiredLimits: Record<string, number> = {};
  // Ask for everything the adapter offers: the default limits (e.g. 128 MiB binding) are lower.
  for (const key of LIMIT_NAMES) {
    const v = (adapter.limits as unknown as Record<string, number | undefined>)[key];
    if (typeof v === 'number') requiredLimits[key] = v;
  }
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredFeatures: features, requiredLimits });
  } catch (e) {
    throw new ConvrouteError('DEVICE', 'requestDevice', String(e), 'the adapter refused a device with its own limits');
  }
  liveInstances.add(gpu);
  device.lost.then(() => liveInstances.delete(gpu)).catch(() => {});
  const ai = adapter.info;
  const info = { vendor: ai?.vendor ?? '', architecture: ai?.architecture ?? '', device: ai?.device ?? '', description: ai?.description ?? '' };
  return { device, adapter, info, source, softwareDriver, features, gpu };
}

const LIMIT_NAMES = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxComputeWorkgroupStorageSize',
  'maxStorageBuffersPerShaderStage',
  'maxUniformBufferBindingSize',
] as const;

async function nodeAdapter(options: AcquireOptions, log: (m: string) => void): Promise<{ gpu: GPU; adapter: GPUAdapter; softwareDriver?: string }> {
  const spec = 'webgpu';
  let mod: { create: (o: string[]) => GPU; globals: Record<string, unknown> };
  try {
    mod = await import(/* @vite-ignore */ spec);
  } catch (e) {
    throw new ConvrouteError('DEVICE', 'webgpu', String(e), "the Node WebGPU binding is missing: install the 'webgpu' package");
  }
  Object.assign(globalThis, mod.globals);
  const fsSpec = 'node:fs';
  const osSpec = 'node:os';
  const fs = (await import(/* @vite-ignore */ fsSpec)) as typeof import('node:fs');
  const { tmpdir } = (await import(/* @vite-ignore */ osSpec)) as typeof import('node:os');
  const { existsSync } = fs;
  // Mesa reads LP_NUM_THREADS when Dawn enumerates adapters, before we know the driver is
  // lavapipe; the variable is ignored by every other driver.
  defaultLavapipeThreads();
  const tryCreate = async (): Promise<{ gpu: GPU; adapter: GPUAdapter | null }> => {
    const tmp = `${tmpdir()}/convroute-dawn-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.log`;
    const { value, captured } = captureNativeStderr(fs, tmp, () => {
      const gpu = mod.create(options.dawnOptions ?? []);
      return { gpu, adapter: gpu.requestAdapter({ powerPreference: options.powerPreference }) };
    });
    if (options.verbose) for (const line of captured ?? []) log(`dawn: ${line}`);
    return { gpu: value.gpu, adapter: await value.adapter };
  };
  const first = await tryCreate();
  if (first.adapter) {
    return { gpu: first.gpu, adapter: first.adapter };
  }
  const tried: string[] = [];
  if (!options.noSoftwareFallback) {
    for (const d of SOFTWARE_ICDS) {
      if (!existsSync(d.icd)) continue;
      tried.push(d.icd);
      process.env.VK_ICD_FILENAMES = d.icd;
      const r = await tryCreate();
      if (r.adapter) {
        log(`convroute: no GPU adapter found; using the software Vulkan driver ${d.name} (VK_ICD_FILENAMES=${d.icd})`);
        return { gpu: r.gpu, adapter: r.adapter, softwareDriver: d.name };
      }
    }
  }
  throw new ConvrouteError(
    'DEVICE',
    'requestAdapter',
    null,
    `no WebGPU adapter (Dawn found no usable Vulkan driver${tried.length ? `; tried ${tried.join(', ')}` : ''}). ` +
      'Install lavapipe from Mesa >= 25 (run scripts/ensure-vulkan.sh as root: it adds bookworm-backports and installs mesa-vulkan-drivers), ' +
      "or Debian's chromium, which ships SwiftShader",
  );
}

/**
 * lavapipe runs shaders on LP_NUM_THREADS worker threads. dawn.node spins a core while it waits
 * for the GPU, and on a 2-core machine 2 lavapipe threads aborted Dawn about twice as often as 1
 * (docs/webgpu-on-linux.md), so default to 1 unless the user chose. Read by Mesa when the device is made.
 */
function defaultLavapipeThreads(): void {
  if (process.env.LP_NUM_THREADS === undefined) process.env.LP_NUM_THREADS = '1';
}
