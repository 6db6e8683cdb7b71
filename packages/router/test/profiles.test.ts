import { readdirSync, readFileSync } from 'node:fs';
import { isConvrouteError } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS,
  detectFamily,
  namedProfile,
  PROFILE_NAMES,
  profileFromAcquired,
  profileFromAdapter,
  profileFromJson,
  profileToJson,
} from '../src/index.ts';

interface FixtureCase {
  source: string;
  info: Record<string, string>;
  limits?: Record<string, number>;
  features?: string[];
  expect: { family: string; generation: string | null };
}
const dir = new URL('./fixtures/', import.meta.url);
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, doc: JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as { source: string; cases: FixtureCase[] } }));

describe('device detection from real adapter strings', () => {
  it('has fixtures for every family', () => {
    const families = new Set(fixtures.flatMap((f) => f.doc.cases.map((c) => c.expect.family)));
    for (const f of ['mali', 'adreno', 'apple', 'nvidia', 'amd', 'intel', 'powervr', 'swiftshader', 'llvmpipe', 'unknown']) expect(families).toContain(f);
  });
  for (const { file, doc } of fixtures) {
    describe(file, () => {
      it('names its source', () => expect(doc.source.length).toBeGreaterThan(20));
      for (const c of doc.cases) {
        it(`${c.expect.family}/${c.expect.generation}: ${c.source}`, () => {
          expect(c.source.length).toBeGreaterThan(10);
          const m = detectFamily(c.info);
          expect({ family: m.family, generation: m.generation }).toEqual(c.expect);
          const p = profileFromAdapter({ info: c.info, limits: c.limits, features: c.features });
          expect(p.family).toBe(c.expect.family);
          expect(p.storage).toBe(c.expect.family === 'adreno' ? 'texture' : 'buffer');
          if (c.limits) for (const [k, v] of Object.entries(c.limits)) expect((p.limits as unknown as Record<string, number>)[k]).toBe(v);
        });
      }
    });
  }
});

describe('named profiles', () => {
  it('cover the families and generations the CLI offers', () => {
    expect(namedProfile('mali')).toMatchObject({ family: 'mali', generation: 'valhall', storage: 'buffer', name: 'mali' });
    expect(namedProfile('mali-valhall')).toMatchObject({ family: 'mali', generation: 'valhall' });
    expect(namedProfile('mali-bifrost').generation).toBe('bifrost');
    expect(namedProfile('mali-5th-gen').generation).toBe('5th-gen');
    expect(namedProfile('adreno')).toMatchObject({ family: 'adreno', generation: '7xx', storage: 'texture' });
    expect(namedProfile('adreno-6xx').generation).toBe('6xx');
    expect(namedProfile('adreno-8xx').generation).toBe('8xx');
    expect(namedProfile('llvmpipe')).toMatchObject({ family: 'llvmpipe' });
    expect(namedProfile('llvmpipe').limits.maxComputeInvocationsPerWorkgroup).toBe(1024);
    expect(namedProfile('swiftshader').family).toBe('swiftshader');
    for (const n of ['apple', 'nvidia', 'amd', 'intel', 'powervr', 'unknown']) expect(namedProfile(n).family).toBe(n);
    for (const n of PROFILE_NAMES) expect(namedProfile(n).origin).toBe('named');
  });
  it('refuses an unknown name, listing the known ones', () => {
    try {
      namedProfile('voodoo');
      expect.unreachable();
    } catch (e) {
      expect(isConvrouteError(e, 'INVALID_PROFILE')).toBe(true);
      expect((e as Error).message).toContain('adreno-7xx');
    }
  });
  it('uses the WebGPU default limits where nothing is known', () => {
    expect(namedProfile('mali').limits).toEqual(DEFAULT_LIMITS);
  });
});

describe('profiles as JSON', () => {
  it('detects from adapter strings and keeps limits and features', () => {
    const p = profileFromJson(
      JSON.stringify({ info: { vendor: 'arm', architecture: 'bifrost' }, limits: { maxComputeInvocationsPerWorkgroup: 512 }, features: ['shader-f16'] }),
    );
    expect(p).toMatchObject({ family: 'mali', generation: 'bifrost', storage: 'buffer', origin: 'json', features: ['shader-f16'] });
    expect(p.limits.maxComputeInvocationsPerWorkgroup).toBe(512);
    expect(p.limits.maxComputeWorkgroupStorageSize).toBe(DEFAULT_LIMITS.maxComputeWorkgroupStorageSize);
  });
  it('lets explicit fields win over detection, and says so', () => {
    const p = profileFromJson({ name: 'odd', family: 'adreno', generation: '6xx', storage: 'buffer', info: { vendor: 'arm' } });
    expect(p).toMatchObject({ name: 'odd', family: 'adreno', generation: '6xx', storage: 'buffer' });
    expect(p.evidence).toContain('family, generation, storage given');
  });
  it('round-trips through profileToJson', () => {
    const a = namedProfile('adreno-7xx');
    const b = profileFromJson(profileToJson(a));
    expect({ ...b, origin: a.origin, evidence: a.evidence }).toEqual(a);
  });
  const bad: [string, unknown, string][] = [
    ['not JSON', '{', 'profile'],
    ['neither info nor family', { name: 'x' }, 'profile.info'],
    ['an unknown family', { family: 'voodoo' }, 'profile.family'],
    ['an unknown field', { family: 'mali', colour: 'red' }, 'profile.colour'],
    ['a negative limit', { family: 'mali', limits: { maxBufferSize: -1 } }, 'profile.limits.maxBufferSize'],
    ['a non-string vendor', { info: { vendor: 5 } }, 'profile.info.vendor'],
    ['a bad storage', { family: 'mali', storage: 'tape' }, 'profile.storage'],
  ];
  for (const [what, doc, field] of bad) {
    it(`refuses ${what}, naming ${field}`, () => {
      try {
        profileFromJson(doc);
        expect.unreachable();
      } catch (e) {
        expect(isConvrouteError(e, 'INVALID_PROFILE')).toBe(true);
        expect((e as { field: string }).field).toBe(field);
      }
    });
  }
});

describe('profileFromAcquired (the glue Session, the CLI and the playground share)', () => {
  it('reads limits through getters, as GPUSupportedLimits has them, and the device features', () => {
    // GPUSupportedLimits exposes its values as prototype getters: a spread copies none of them.
    class Limits {
      get maxStorageBufferBindingSize() {
        return 2 ** 30;
      }
      get maxComputeWorkgroupStorageSize() {
        return 49152;
      }
    }
    const acquired = {
      info: { vendor: 'qualcomm', architecture: 'adreno-7xx', device: '', description: '' },
      adapter: { limits: new Limits() },
      features: ['timestamp-query', 'shader-f16'],
    };
    const p = profileFromAcquired(acquired);
    expect(p).toEqual(
      profileFromAdapter({
        info: acquired.info,
        limits: { maxStorageBufferBindingSize: 2 ** 30, maxComputeWorkgroupStorageSize: 49152 },
        features: acquired.features,
      }),
    );
    expect(p).toMatchObject({ family: 'adreno', generation: '7xx', origin: 'adapter', features: ['shader-f16', 'timestamp-query'] });
    expect(p.limits.maxStorageBufferBindingSize).toBe(2 ** 30);
    expect(p.limits.maxBufferSize).toBe(DEFAULT_LIMITS.maxBufferSize);
  });
});
