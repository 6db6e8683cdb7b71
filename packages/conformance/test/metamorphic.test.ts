import { describe, expect, it } from 'vitest';
import { checkRelation, cpuExactOracle, fcSettings, metamorphicRelations } from '../src/index.ts';

// The metamorphic relations check the CPU exact reference by something other than itself.
describe('metamorphic relations on CPU exact', () => {
  const { seed, numRuns } = fcSettings({}, 40);
  console.log(`[conformance] metamorphic: seed=${seed} numRuns=${numRuns} (replay with FC_SEED=${seed})`);
  for (const relation of metamorphicRelations()) {
    it(relation.name, async () => {
      const r = await checkRelation(relation, cpuExactOracle, { seed, numRuns });
      expect(r.ok, r.message).toBe(true);
    });
  }
});

describe('the metamorphic relations can fail', () => {
  // A classic bug: padding read as [top, bottom, left, right] instead of [top, left, bottom, right].
  const misPadded = {
    ...cpuExactOracle,
    name: 'mis-padded',
    conv2d: (
      spec: Parameters<typeof cpuExactOracle.conv2d>[0],
      x: Parameters<typeof cpuExactOracle.conv2d>[1],
      w: Parameters<typeof cpuExactOracle.conv2d>[2],
      b?: Parameters<typeof cpuExactOracle.conv2d>[3],
    ) => {
      const [t, l, bo, r] = spec.padding;
      return cpuExactOracle.conv2d({ ...spec, padding: [t, bo, l, r] }, x, w, b);
    },
  };
  for (const name of ['padding = explicit zero border', 'agrees with a literal float64', 'adjoint identity']) {
    it(`'${name}' catches swapped padding sides`, async () => {
      const relation = metamorphicRelations().find((r) => r.name.startsWith(name))!;
      const r = await checkRelation(relation, misPadded, { seed: 1, numRuns: 200 });
      expect(r.ok).toBe(false);
      expect(r.message).toMatch(/reproduce: pnpm convroute conv2d .*--padding/);
    });
  }
});
