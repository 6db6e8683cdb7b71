import { type DeviceProfile, namedProfile, profileFromAdapter } from '@convroute/router';
import type { BenchFile } from '../bench/format.ts';

/** The device profile of the adapter a bench ran on ('unknown' for the CPU backend), so policies
 * decide as they would have on that device. */
export function benchProfile(benches: readonly BenchFile[]): DeviceProfile {
  const a = benches.find((b) => b.adapter)?.adapter;
  if (!a) return namedProfile('unknown');
  return profileFromAdapter({ info: a.info, limits: a.limits, features: a.features });
}
