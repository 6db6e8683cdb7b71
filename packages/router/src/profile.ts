/**
 * A device profile: what the router knows about a GPU. Built from WebGPU's GPUAdapterInfo,
 * limits and features (detect.ts), named (named-profiles.ts) or loaded from JSON (profile-json.ts).
 */

import type { Family, Storage } from './device-family.ts';
import type { RuleTable } from './rule-types.ts';

/** The GPUAdapterInfo fields the router reads (WebGPU spec, "GPUAdapterInfo"): all may be empty. */
export interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

/** The GPUSupportedLimits that conv kernels care about (workgroup shape and scratch, bindings). */
export interface KernelLimits {
  maxComputeInvocationsPerWorkgroup: number;
  maxComputeWorkgroupSizeX: number;
  maxComputeWorkgroupSizeY: number;
  maxComputeWorkgroupSizeZ: number;
  maxComputeWorkgroupsPerDimension: number;
  maxComputeWorkgroupStorageSize: number;
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxStorageBuffersPerShaderStage: number;
  maxTextureDimension2D: number;
}

export const LIMIT_NAMES = [
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeWorkgroupStorageSize',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxStorageBuffersPerShaderStage',
  'maxTextureDimension2D',
] as const satisfies readonly (keyof KernelLimits)[];

/** The WebGPU spec's default limits (W3C WebGPU, "Limits" table): what every adapter guarantees,
 * used where a profile does not say. */
export const DEFAULT_LIMITS: Readonly<KernelLimits> = Object.freeze({
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupSizeY: 256,
  maxComputeWorkgroupSizeZ: 64,
  maxComputeWorkgroupsPerDimension: 65535,
  maxComputeWorkgroupStorageSize: 16384,
  maxStorageBufferBindingSize: 134217728,
  maxBufferSize: 268435456,
  maxStorageBuffersPerShaderStage: 8,
  maxTextureDimension2D: 8192,
});

export interface DeviceProfile {
  /** A short name for reports: a named profile's name, or `family[-generation]`. */
  readonly name: string;
  readonly family: Family;
  /** e.g. 'valhall', 'bifrost', 'midgard', '5th-gen' (Mali); '6xx', '7xx', '8xx' (Adreno); the
   * adapter's architecture string for other families; null when it cannot be told. */
  readonly generation: string | null;
  readonly storage: Storage;
  /** The adapter strings the profile was detected from (empty when named without them). */
  readonly adapter: Required<AdapterInfoLike>;
  readonly limits: Readonly<KernelLimits>;
  readonly features: readonly string[];
  /** How the profile was made, for reports. */
  readonly origin: 'adapter' | 'named' | 'json';
  /** Why the family and generation were chosen (which string matched). */
  readonly evidence: string;
  /** A rule table fitted on this device by `convroute calibrate` (policy `calibrated` uses it). */
  readonly calibration?: RuleTable;
}
