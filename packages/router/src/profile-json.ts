import { ConvrouteError, parseJsonText } from '@convroute/core';
import { calibrationTable } from './calibrate/calibration-doc.ts';
import { preferredStorage, profileFromAdapter } from './detect.ts';
import { FAMILIES, STORAGES } from './device-family.ts';
import { checkAgainst, compileSchema } from './json-schema.ts';
import { type DeviceProfile, LIMIT_NAMES } from './profile.ts';

/**
 * A device profile as JSON, for GPUs that are not present. Either adapter strings to detect from
 * (`info`, as `adapter.info` reports them) or an explicit `family`; explicit fields win over
 * detection. `limits` and `features` are copied from `adapter.limits` / `adapter.features`.
 *
 *     { "info": { "vendor": "arm", "architecture": "valhall" }, "limits": { ... } }
 *     { "name": "my-phone", "family": "adreno", "generation": "7xx" }
 */
export const PROFILE_SCHEMA = {
  type: 'object',
  properties: {
    $comment: { type: 'string' },
    source: { type: 'string' },
    name: { type: 'string', minLength: 1 },
    family: { enum: [...FAMILIES] },
    generation: { type: ['string', 'null'] },
    storage: { enum: [...STORAGES] },
    info: {
      type: 'object',
      properties: {
        vendor: { type: 'string' },
        architecture: { type: 'string' },
        device: { type: 'string' },
        description: { type: 'string' },
        subgroupMinSize: { type: 'integer' },
        subgroupMaxSize: { type: 'integer' },
        isFallbackAdapter: { type: 'boolean' },
      },
      additionalProperties: false,
    },
    // Any GPUSupportedLimits name is accepted; the router reads the kernel-relevant ones.
    limits: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
    features: { type: 'array', items: { type: 'string' } },
    // Written by `convroute calibrate`; checked by calibrationTable (calibrate/calibration-doc.ts).
    calibration: { type: 'object' },
  },
  additionalProperties: false,
} as const;

const validate = compileSchema(PROFILE_SCHEMA);

/** Parses and validates a profile document (text or parsed JSON); `origin` names it in errors. */
export function profileFromJson(doc: unknown, origin = 'profile'): DeviceProfile {
  if (typeof doc === 'string') {
    doc = parseJsonText(doc, 'INVALID_PROFILE', origin);
  }
  if (doc && typeof doc === 'object' && !Array.isArray(doc) && !('family' in doc) && !('info' in doc)) {
    throw new ConvrouteError('INVALID_PROFILE', `${origin}.info`, undefined, 'a profile needs "info" (adapter strings) or "family"');
  }
  checkAgainst(validate, doc, 'INVALID_PROFILE', origin);
  const d = doc as {
    name?: string;
    family?: DeviceProfile['family'];
    generation?: string | null;
    storage?: DeviceProfile['storage'];
    info?: Record<string, string>;
    limits?: Record<string, number>;
    features?: string[];
    calibration?: unknown;
  };
  const detected = profileFromAdapter({ info: d.info ?? {}, limits: d.limits, features: d.features }, 'json');
  const family = d.family ?? detected.family;
  const generation = d.generation !== undefined ? d.generation : d.family && d.family !== detected.family ? null : detected.generation;
  const explicit = (['family', 'generation', 'storage'] as const).filter((k) => d[k] !== undefined);
  return {
    ...detected,
    name: d.name ?? (generation ? `${family}-${generation}` : family),
    family,
    generation,
    storage: d.storage ?? preferredStorage(family),
    evidence: explicit.length ? `${explicit.join(', ')} given in ${origin}; ${detected.evidence}` : detected.evidence,
    ...(d.calibration !== undefined ? { calibration: calibrationTable(d.calibration, `${origin}.calibration`) } : {}),
  };
}

/** The JSON form of a profile, loadable by profileFromJson. */
export function profileToJson(p: DeviceProfile): object {
  const limits: Record<string, number> = {};
  for (const k of LIMIT_NAMES) limits[k] = p.limits[k];
  return { name: p.name, family: p.family, generation: p.generation, storage: p.storage, info: p.adapter, limits, features: [...p.features] };
}
