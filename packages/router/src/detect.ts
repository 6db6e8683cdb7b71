import type { Family, Storage } from './device-family.ts';
import { measuredTableFor } from './measured-tables.ts';
import { type AdapterInfoLike, DEFAULT_LIMITS, type DeviceProfile, type KernelLimits, LIMIT_NAMES } from './profile.ts';

/**
 * Family and generation from what adapters really report. Sources (fixtures in test/fixtures):
 * - Dawn `src/dawn/gpu_info.json`: vendor names (lower-cased: `arm`, `qualcomm`, `apple`, `nvidia`,
 *   `intel`, `amd`, `google`, `mesa`, `img-tec`, `samsung`) and architectures, "made lower-case
 *   and with spaces converted to hyphens" (`valhall`, `bifrost`, `midgard`, `adreno-7xx`, `rdna-2`).
 * - ExecuTorch Vulkan matches device-name substrings (`mali`, `immortalis`, `adreno`).
 * - Arm's libGPUInfo (`source/libgpuinfo.cpp`): Mali product name -> architecture.
 * - Measured here: dawn.node 0.6.2 on lavapipe reports vendor `mesa`, architecture `software`,
 *   device `llvmpipe-llvm-15-0-6-256-bits-`.
 */
export interface FamilyMatch {
  family: Family;
  generation: string | null;
  evidence: string;
}

/** Mali products by architecture (libGPUInfo PRODUCT_VERSIONS). Keys are lower-case model names. */
const MALI_GENERATIONS: Record<string, readonly string[]> = {
  midgard: ['t600', 't620', 't720', 't760', 't820', 't830', 't860', 't880'],
  bifrost: ['g31', 'g51', 'g52', 'g71', 'g72', 'g76'],
  valhall: ['g57', 'g68', 'g77', 'g78', 'g78ae', 'g310', 'g510', 'g610', 'g710', 'g615', 'g715'],
  '5th-gen': ['g620', 'g625', 'g720', 'g725', 'g925', 'g1'],
};

/** Dawn's ARM architecture strings (and Arm's own "Arm 5th Gen") to our generation names. */
const MALI_ARCHITECTURES: Record<string, string> = {
  midgard: 'midgard',
  bifrost: 'bifrost',
  valhall: 'valhall',
  'gen-5': '5th-gen',
  '5th-gen': '5th-gen',
  'arm-5th-gen': '5th-gen',
};

function lower(s: string | undefined): string {
  return (s ?? '').trim().toLowerCase();
}

/** Decides the family from vendor first (what browsers report), then any name substring. */
export function detectFamily(info: AdapterInfoLike): FamilyMatch {
  const vendor = lower(info.vendor);
  const arch = lower(info.architecture);
  const names = `${lower(info.device)} ${lower(info.description)}`;
  const all = `${vendor} ${arch} ${names}`;
  const has = (re: RegExp) => re.test(all);

  // Software adapters first: their vendor (google, mesa) says nothing about the hardware.
  if (arch === 'swiftshader' || has(/swiftshader/)) return { family: 'swiftshader', generation: null, evidence: match('swiftshader', info) };
  if (has(/llvmpipe|lavapipe/) || (vendor === 'mesa' && arch === 'software')) {
    return { family: 'llvmpipe', generation: null, evidence: match('llvmpipe', info) };
  }
  if (vendor === 'arm' || has(/\bmali\b|mali-|immortalis/)) return { family: 'mali', generation: maliGeneration(arch, all), evidence: match('mali', info) };
  if (vendor === 'qualcomm' || has(/adreno/)) return { family: 'adreno', generation: adrenoGeneration(arch, all), evidence: match('adreno', info) };
  if (vendor === 'apple' || has(/\bapple\b/)) return { family: 'apple', generation: arch || appleChip(all), evidence: match('apple', info) };
  if (vendor === 'nvidia' || has(/nvidia|geforce|quadro|\brtx\b|tegra/)) return { family: 'nvidia', generation: arch || null, evidence: match('nvidia', info) };
  // Samsung Xclipse GPUs are AMD RDNA designs (Dawn gpu_info.json: Samsung -> "RDNA 2").
  if (vendor === 'amd' || vendor === 'ati' || vendor === 'samsung' || has(/radeon|\bamd\b|xclipse/)) {
    return { family: 'amd', generation: arch || null, evidence: match('amd', info) };
  }
  if (vendor === 'intel' || has(/\bintel\b/)) return { family: 'intel', generation: arch || null, evidence: match('intel', info) };
  if (vendor === 'img-tec' || vendor === 'imagination' || vendor === 'imagination-technologies' || has(/powervr|imagination/)) {
    return { family: 'powervr', generation: arch || null, evidence: match('powervr', info) };
  }
  return { family: 'unknown', generation: arch || null, evidence: `no known vendor or device name in ${JSON.stringify(info)}` };
}

function match(family: string, info: AdapterInfoLike): string {
  const fields = (['vendor', 'architecture', 'device', 'description'] as const).filter((f) => lower(info[f]) !== '');
  return `${family} from ${fields.map((f) => `${f} ${JSON.stringify(info[f])}`).join(', ') || 'nothing'}`;
}

function maliGeneration(arch: string, all: string): string | null {
  if (arch in MALI_ARCHITECTURES) return MALI_ARCHITECTURES[arch];
  if (/arm 5th gen|5th-gen/.test(all)) return '5th-gen';
  // "Mali-G715", "Immortalis-G720", "Mali G1-Ultra", Dawn-normalised "mali-g710-mc10".
  const m = /(?:mali|immortalis)[\s-]*([tg]\d+(?:ae)?)/.exec(all);
  if (!m) return null;
  for (const [gen, models] of Object.entries(MALI_GENERATIONS)) if (models.includes(m[1])) return gen;
  return null;
}

function adrenoGeneration(arch: string, all: string): string | null {
  // Dawn: "adreno-6xx", "adreno-7xx", "adreno-8xx"; some browsers report the model ("adreno-730").
  const a = /adreno-(\d)(?:xx|\d\d)/.exec(arch);
  if (a) return `${a[1]}xx`;
  // "Adreno (TM) 750", "adreno-tm-750", "Adreno740v2". Adreno X1 is a 7xx design (Dawn maps the
  // X1-85's ACPI device id 0x363343xx to Adreno 7xx).
  const m = /adreno[^0-9x]{0,8}(\d)\d\d/.exec(all);
  if (m) return `${m[1]}xx`;
  if (/adreno[^a-z0-9]*(?:\(tm\)[^a-z0-9]*)?x1/.test(all)) return '7xx';
  return null;
}

function appleChip(all: string): string | null {
  const m = /apple[\s-]+(m\d+|a\d+)/.exec(all);
  return m ? m[1] : null;
}

/** ExecuTorch's storage choice: buffers on Mali, textures on Adreno; convroute's WGSL kernels
 * read storage buffers, so every other family gets buffers. */
export function preferredStorage(family: Family): Storage {
  return family === 'adreno' ? 'texture' : 'buffer';
}

/** Reads the kernel-relevant limits from a GPUSupportedLimits-like object (spec defaults for the rest). */
function kernelLimits(limits?: Partial<Record<string, unknown>> | null): KernelLimits {
  const out = { ...DEFAULT_LIMITS } as KernelLimits;
  if (!limits) return out;
  for (const k of LIMIT_NAMES) {
    const v = limits[k];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) out[k] = v;
  }
  return out;
}

export interface AdapterDescription {
  info: AdapterInfoLike;
  limits?: Partial<Record<string, unknown>> | null;
  features?: Iterable<string> | null;
}

/** A profile from a real adapter (`adapter.info`, `adapter.limits`, `adapter.features`) or the
 * same fields copied into JSON. */
export function profileFromAdapter(adapter: AdapterDescription, origin: DeviceProfile['origin'] = 'adapter'): DeviceProfile {
  const info = adapter.info ?? {};
  const m = detectFamily(info);
  return {
    name: m.generation ? `${m.family}-${m.generation}` : m.family,
    family: m.family,
    generation: m.generation,
    storage: preferredStorage(m.family),
    adapter: { vendor: info.vendor ?? '', architecture: info.architecture ?? '', device: info.device ?? '', description: info.description ?? '' },
    limits: kernelLimits(adapter.limits),
    features: [...(adapter.features ?? [])].sort(),
    origin,
    evidence: m.evidence,
    // An adapter measured by the project routes by its measured table (measured-tables.ts).
    ...(measuredTableFor(info) ? { calibration: measuredTableFor(info) } : {}),
  };
}

/** What a WebGPU device acquisition holds that a profile needs; `@convroute/backend-webgpu`'s
 * AcquiredDevice fits it (the router may not import the backend). */
export interface AcquiredAdapter {
  info: AdapterInfoLike;
  adapter: { readonly limits: object };
  /** The features the device was given. */
  features: Iterable<string>;
}

/** The profile of the device an acquisition opened: the one glue between backend-webgpu's
 * acquireDevice and routing, for Session, the CLI and the playground alike. */
export function profileFromAcquired(acquired: AcquiredAdapter): DeviceProfile {
  return profileFromAdapter({ info: acquired.info, limits: acquired.adapter.limits as Record<string, unknown>, features: acquired.features });
}
