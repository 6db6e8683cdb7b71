import { createCpuBackend } from '@convroute/backend-cpu';
import { type Backend, ConvrouteError, type Precision, parsePrecision } from '@convroute/core';
import { type DeviceProfile, namedProfile, profileFromAcquired } from '@convroute/router';
import { parseByteSize } from './byte-size.ts';

export type BackendName = 'cpu' | 'webgpu' | 'auto';
export type CpuMode = 'exact' | 'fast';
/** The numerics a backend delivers: the CPU's modes; 'bounded' for WebGPU's float32 kernels (held
 * to docs/error-model.md's bound, not correctly rounded); 'custom' for a caller's Backend object. */
export type RunMode = CpuMode | 'bounded' | 'custom';

export interface BackendOptions {
  /** 'auto' (default): WebGPU when an adapter exists, otherwise the CPU; or a Backend object. */
  backend?: BackendName | Backend;
  /** CPU only: 'exact' (default, correctly rounded) or 'fast' (float32 accumulation). With
   * backend 'auto' a mode selects the CPU (only it has modes); with 'webgpu' it is refused. */
  mode?: CpuMode;
  /** Bytes one node may allocate on the host: on the CPU its output plus scratch, on WebGPU its
   * output read back (default 2 GiB; a number or '512M', '4G'). Over it: TOO_LARGE, before any
   * node of the graph runs. */
  memoryBudget?: number | string;
  /** Route as if on this device (a named profile such as 'mali' or a DeviceProfile) instead of
   * the adapter present; on the CPU the default is the 'unknown' family. */
  profile?: string | DeviceProfile;
  /** 'f32' (default); 'f16-storage' or 'f16': WebGPU only, on an adapter with `shader-f16`
   * (docs/error-model.md, "fp16"); refused (UNSUPPORTED_PRECISION) on the CPU, in exact or fast
   * mode, and where the adapter lacks it, never computed in f32 instead. */
  precision?: Precision;
}

export interface OpenedBackend {
  backend: Backend;
  /** Which backend ran, and why when 'auto' chose it. */
  kind: 'cpu' | 'webgpu' | 'custom';
  /** The mode that runs (never absent: reports say what the numbers mean). */
  mode: RunMode;
  note: string;
  /** The device profile routing uses. */
  profile: DeviceProfile;
  /** The arithmetic its convs run in. */
  precision: Precision;
  close(): Promise<void>;
}

function budgetOption(options: BackendOptions): number | undefined {
  return options.memoryBudget === undefined ? undefined : parseByteSize('memoryBudget', options.memoryBudget);
}

function profileOption(p: string | DeviceProfile | undefined, fallback: () => DeviceProfile): DeviceProfile {
  if (p === undefined) return fallback();
  return typeof p === 'string' ? namedProfile(p) : p;
}

async function openCpu(mode: CpuMode, options: BackendOptions, note: string): Promise<OpenedBackend> {
  const precision = parsePrecision('precision', options.precision);
  if (precision !== 'f32')
    throw new ConvrouteError(
      'UNSUPPORTED_PRECISION',
      'precision',
      precision,
      `the cpu backend computes in float32 (${mode} mode; ${note}); ${precision} runs on webgpu on an adapter with shader-f16, without a mode`,
    );
  const backend = createCpuBackend({ mode, memoryBudget: budgetOption(options) });
  return {
    backend,
    kind: 'cpu',
    mode,
    note,
    profile: profileOption(options.profile, () => namedProfile('unknown')),
    precision,
    close: async () => {
      await backend.dispose?.();
    },
  };
}

async function openWebGpu(options: BackendOptions, note: string, log?: (m: string) => void): Promise<OpenedBackend> {
  // Loaded on demand: CPU-only callers never load Dawn, and browser bundles split it out.
  const { acquireDevice, createWebGpuBackend } = await import('@convroute/backend-webgpu');
  const acquired = await acquireDevice({ log });
  const backend = await createWebGpuBackend({ device: acquired, memoryBudget: budgetOption(options), precision: options.precision });
  const profile = profileOption(options.profile, () => profileFromAcquired(acquired));
  const driver = acquired.softwareDriver ? ` via software driver ${acquired.softwareDriver}` : '';
  return {
    backend,
    kind: 'webgpu',
    mode: 'bounded',
    note: `${note}${driver}`,
    profile,
    precision: backend.precision,
    close: async () => {
      await backend.dispose?.();
    },
  };
}

/** Opens the backend a caller asked for. 'auto' tries WebGPU and says why it fell to the CPU
 * (the only documented fallback: the choice of backend, never of a method); 'auto' with a mode
 * is the CPU in that mode, since only the CPU has modes (docs/decisions.md). */
export async function openBackend(options: BackendOptions = {}, log?: (m: string) => void): Promise<OpenedBackend> {
  const choice = options.backend ?? 'auto';
  if (typeof choice === 'object') {
    if (options.mode !== undefined) {
      throw new ConvrouteError('INVALID_ARGUMENT', 'mode', options.mode, `modes belong to the cpu backend; the caller's backend ${choice.name} has its own`);
    }
    if (options.memoryBudget !== undefined) {
      throw new ConvrouteError('INVALID_ARGUMENT', 'memoryBudget', options.memoryBudget, `give the budget to the caller's backend ${choice.name} itself`);
    }
    if (options.precision !== undefined) {
      throw new ConvrouteError('INVALID_ARGUMENT', 'precision', options.precision, `give the precision to the caller's backend ${choice.name} itself`);
    }
    return {
      backend: choice,
      kind: 'custom',
      mode: 'custom',
      note: `caller's backend ${choice.name}`,
      profile: profileOption(options.profile, () => namedProfile('unknown')),
      precision: choice.precision ?? 'f32',
      close: async () => {},
    };
  }
  if (choice === 'cpu') return openCpu(options.mode ?? 'exact', options, 'backend cpu requested');
  if (choice !== 'webgpu' && choice !== 'auto') {
    throw new ConvrouteError('INVALID_ARGUMENT', 'backend', choice, "must be 'cpu', 'webgpu', 'auto' or a Backend object");
  }
  if (options.mode !== undefined && choice === 'webgpu') {
    throw new ConvrouteError(
      'INVALID_ARGUMENT',
      'mode',
      options.mode,
      'exact and fast modes belong to the cpu backend; WebGPU kernels are judged by the error bound',
    );
  }
  const precision = parsePrecision('precision', options.precision);
  if (choice === 'webgpu') return openWebGpu(options, 'backend webgpu requested', log);
  if (options.mode !== undefined) {
    if (options.mode !== 'exact' && options.mode !== 'fast') throw new ConvrouteError('INVALID_ARGUMENT', 'mode', options.mode, "must be 'exact' or 'fast'");
    return openCpu(options.mode, options, `auto: mode ${options.mode} was asked for and only the cpu backend has modes`);
  }
  try {
    return await openWebGpu(options, 'auto: a WebGPU adapter was found', log);
  } catch (e) {
    if (!(e instanceof ConvrouteError && e.code === 'DEVICE')) throw e;
    // The cpu has no f16: falling to it would drop the precision asked for.
    if (precision !== 'f32')
      throw new ConvrouteError('UNSUPPORTED_PRECISION', 'precision', precision, `${precision} runs on webgpu only, and there is no WebGPU adapter (${e.rule})`);
    return openCpu(options.mode ?? 'exact', options, `auto: no WebGPU adapter (${e.rule}), using the cpu`);
  }
}
