import { ConvrouteError } from '@convroute/core';
import { profileFromAdapter } from './detect.ts';
import type { AdapterInfoLike, DeviceProfile, KernelLimits } from './profile.ts';

/**
 * Profiles for GPUs that are not present, so routes can be studied for them (`--device NAME`).
 * Each is built from adapter strings a real adapter of that kind reports (sources in
 * test/fixtures/*.json), through the same detection as a live adapter. Limits are the WebGPU
 * defaults unless measured: a named profile claims no more than any such adapter guarantees.
 */
interface NamedSpec {
  info: AdapterInfoLike;
  limits?: Partial<KernelLimits>;
  features?: string[];
  about: string;
}

/** lavapipe limits measured here with dawn.node 0.6.2 (docs/webgpu-on-linux.md agrees). */
const LAVAPIPE_LIMITS: Partial<KernelLimits> = {
  maxComputeInvocationsPerWorkgroup: 1024,
  maxComputeWorkgroupSizeX: 1024,
  maxComputeWorkgroupSizeY: 1024,
  maxComputeWorkgroupSizeZ: 1024,
  maxComputeWorkgroupStorageSize: 32768,
  maxStorageBufferBindingSize: 134217728,
  maxBufferSize: 4294967295,
  maxStorageBuffersPerShaderStage: 16,
  maxTextureDimension2D: 16384,
};

const SPECS: Record<string, NamedSpec> = {
  'mali-valhall': { info: { vendor: 'arm', architecture: 'valhall', device: 'mali-g715' }, about: 'Arm Mali Valhall (e.g. Mali-G715)' },
  'mali-bifrost': { info: { vendor: 'arm', architecture: 'bifrost', device: 'mali-g76' }, about: 'Arm Mali Bifrost (e.g. Mali-G76)' },
  'mali-midgard': { info: { vendor: 'arm', architecture: 'midgard', device: 'mali-t880' }, about: 'Arm Mali Midgard (e.g. Mali-T880)' },
  'mali-5th-gen': { info: { vendor: 'arm', architecture: '', device: 'immortalis-g720' }, about: 'Arm 5th Gen (e.g. Immortalis-G720)' },
  'adreno-6xx': { info: { vendor: 'qualcomm', architecture: 'adreno-6xx', device: 'adreno-tm-650' }, about: 'Qualcomm Adreno 6xx (e.g. Adreno 650)' },
  'adreno-7xx': { info: { vendor: 'qualcomm', architecture: 'adreno-7xx', device: 'adreno-tm-750' }, about: 'Qualcomm Adreno 7xx (e.g. Adreno 750)' },
  'adreno-8xx': { info: { vendor: 'qualcomm', architecture: 'adreno-8xx', device: 'adreno-tm-830' }, about: 'Qualcomm Adreno 8xx (e.g. Adreno 830)' },
  apple: { info: { vendor: 'apple', architecture: 'metal-3' }, about: 'Apple silicon (Safari and Chrome report vendor apple)' },
  nvidia: { info: { vendor: 'nvidia', architecture: 'ampere' }, about: 'NVIDIA (e.g. Ampere)' },
  amd: { info: { vendor: 'amd', architecture: 'rdna-2' }, about: 'AMD (e.g. RDNA 2)' },
  intel: { info: { vendor: 'intel', architecture: 'gen-12-lp' }, about: 'Intel (e.g. Gen 12 LP)' },
  powervr: { info: { vendor: 'img-tec', architecture: 'rogue', device: 'powervr-b-series-bxm-8-256' }, about: 'Imagination PowerVR' },
  swiftshader: {
    info: { vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device-subzero' },
    limits: { maxComputeInvocationsPerWorkgroup: 256, maxStorageBufferBindingSize: 1073741824 },
    about: 'SwiftShader (CPU Vulkan, as Chromium ships it)',
  },
  llvmpipe: {
    info: { vendor: 'mesa', architecture: 'software', device: 'llvmpipe-llvm-15-0-6-256-bits-' },
    limits: LAVAPIPE_LIMITS,
    features: ['shader-f16', 'subgroups', 'timestamp-query'],
    about: 'Mesa lavapipe/llvmpipe (CPU Vulkan), as measured on this project machine',
  },
  unknown: { info: {}, about: 'nothing known: WebGPU default limits, buffer storage' },
};

/** Short names point at a representative generation. */
const ALIASES: Record<string, string> = { mali: 'mali-valhall', adreno: 'adreno-7xx', lavapipe: 'llvmpipe' };

export const PROFILE_NAMES: readonly string[] = [...Object.keys(ALIASES), ...Object.keys(SPECS)].sort();

/** A named profile (`mali`, `mali-valhall`, `adreno-7xx`, `llvmpipe`, ...). */
export function namedProfile(name: string): DeviceProfile {
  const key = ALIASES[name.toLowerCase()] ?? name.toLowerCase();
  const spec = SPECS[key];
  if (!spec) throw new ConvrouteError('INVALID_PROFILE', 'device', name, `unknown device profile; known: ${PROFILE_NAMES.join(', ')}`);
  const p = profileFromAdapter({ info: spec.info, limits: spec.limits, features: spec.features }, 'named');
  return { ...p, name };
}
