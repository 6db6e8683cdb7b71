import { CONV_METHODS, F16_CONV_METHODS } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { builtinPolicy, namedProfile, parseRuleTable, type RuleTable, routerFor, specFeatures, TFLITE_TABLE } from '../src/index.ts';
import { spec } from './arbitraries.ts';

const noEnv = {};
const all = CONV_METHODS;
const route = (policy: string, device: string, s: ReturnType<typeof spec>, available = all, precision?: 'f32' | 'f16-storage' | 'f16') =>
  routerFor(policy, namedProfile(device), { env: noEnv })(s, { nodeId: 'c', available, precision });

// ResNet-18 layer2's 3x3: 128 -> 128 at 28x28 (49 tiles of 4x4); layer1's: 64 -> 64 at 56x56 (196 tiles).
const r18l2 = spec({ input: [1, 128, 28, 28], weight: [128, 128, 3, 3], padding: 1 });
const r18l1 = spec({ input: [1, 64, 56, 56], weight: [64, 64, 3, 3], padding: 1 });

describe('tflite policy (TFLite GPU operation_selector.cc as a rule table)', () => {
  it('is a valid table that cites the selector at a commit', () => {
    expect(() => parseRuleTable(TFLITE_TABLE)).not.toThrow();
    expect(TFLITE_TABLE.source).toMatch(/operation_selector\.cc/);
    expect(TFLITE_TABLE.source).toMatch(/tensorflow\/tensorflow@[0-9a-f]{40}/);
    expect(builtinPolicy('tflite').name).toBe('table:tflite');
  });

  it('counts 4x4 output tiles as TFLite does', () => {
    expect(specFeatures(r18l2).tiles4x4).toBe(49);
    expect(specFeatures(spec({ input: [1, 8, 9, 10], weight: [8, 8, 3, 3] })).tiles4x4).toBe(2 * 2);
  });

  it('3x3 stride 1 with 64+ channels and 32+ tiles: winograd-4x3', () => {
    expect(route('tflite', 'mali', r18l1).method).toBe('winograd-4x3');
  });

  it('the backend lacking winograd-4x3 falls through to the next rule, saying so', () => {
    const d = route('tflite', 'mali', r18l1, ['direct', 'im2col-gemm', 'implicit-gemm']);
    expect(d.method).toBe('direct');
    expect(d.reasons.some((r) => /winograd/.test(r.rule) && !r.holds)).toBe(true);
  });

  it('Adreno needs 125+ channels and 64 tiles (128 on 6xx): ResNet-18 layer2 (49 tiles) is not Winograd there', () => {
    expect(route('tflite', 'adreno-7xx', r18l2).method).toBe('direct');
    expect(route('tflite', 'adreno-7xx', r18l1).method).toBe('direct'); // 64 channels < 125
    const big = spec({ input: [1, 128, 40, 40], weight: [128, 128, 3, 3], padding: 1 }); // 100 tiles
    expect(route('tflite', 'adreno-7xx', big).method).toBe('winograd-4x3');
    const d6 = route('tflite', 'adreno-6xx', big);
    expect(d6.method).toBe('direct');
    expect(d6.reasons.some((r) => r.rule.includes('winograd-adreno-6xx') && /fails tiles4x4 >= 128/.test(r.detail))).toBe(true);
  });

  it('too few channels, a stride, a 1x1, depthwise and transposed convs get the class kernels', () => {
    expect(route('tflite', 'mali', spec({ input: [1, 32, 56, 56], weight: [32, 32, 3, 3], padding: 1 })).method).toBe('direct');
    expect(route('tflite', 'mali', spec({ input: [1, 64, 56, 56], weight: [64, 64, 3, 3], padding: 1, stride: 2 })).method).toBe('direct');
    expect(route('tflite', 'mali', spec({ input: [1, 64, 56, 56], weight: [64, 64, 1, 1] })).method).toBe('pointwise');
    expect(route('tflite', 'mali', spec({ input: [1, 32, 56, 56], weight: [32, 1, 3, 3], groups: 32, padding: 1 })).method).toBe('depthwise');
    expect(route('tflite', 'mali', spec({ input: [1, 64, 8, 8], weight: [64, 32, 3, 3], transposed: true })).method).toBe('transposed');
  });
});

describe('routing at an f16 precision', () => {
  it('a rule table may match on the precision', () => {
    const table: RuleTable = {
      name: 'p',
      rules: [
        { name: 'half', when: { precision: ['f16', 'f16-storage'] }, method: 'im2col-gemm' },
        { name: 'else', when: {}, method: 'direct' },
      ],
    };
    const s = spec({ input: [1, 8, 9, 9], weight: [8, 8, 3, 3] });
    const r = routerFor(table, namedProfile('mali'), { env: noEnv });
    expect(r(s, { nodeId: 'c', available: all, precision: 'f16' }).method).toBe('im2col-gemm');
    expect(r(s, { nodeId: 'c', available: all }).method).toBe('direct');
    expect(r(s, { nodeId: 'c', available: all, precision: 'f32' }).reasons.find((x) => x.rule.includes('half'))?.detail).toMatch(
      /fails precision in \[f16, f16-storage\]/,
    );
    expect(() => parseRuleTable({ name: 'bad', rules: [{ when: { precision: 'f8' }, method: 'direct' }] })).toThrow(/INVALID_POLICY/);
  });

  it('a built-in policy whose method has no f16 kernel gives way to direct, with the reason', () => {
    const dw = spec({ input: [1, 32, 28, 28], weight: [32, 1, 3, 3], groups: 32, padding: 1 });
    const d = route('etvk', 'mali', dw, F16_CONV_METHODS, 'f16');
    expect(d.method).toBe('direct');
    expect(d.reasons.at(-1)).toMatchObject({ rule: 'precision.fallback', holds: true });
    expect(d.reasons.at(-1)?.detail).toMatch(/depthwise has no f16 kernel; using direct/);
    // At f32 the same choice is binding, as before.
    expect(() => route('etvk', 'mali', dw, ['direct'])).toThrow(/UNSUPPORTED_METHOD/);
  });

  it('tflite at f16: a table falls through rules whose method has no f16 kernel', () => {
    const dw = spec({ input: [1, 32, 28, 28], weight: [32, 1, 3, 3], groups: 32, padding: 1 });
    expect(route('tflite', 'mali', dw, ['direct', 'im2col-gemm'], 'f16').method).toBe('direct');
    expect(route('tflite', 'mali', r18l1, ['direct', 'pointwise', 'im2col-gemm'], 'f16').method).toBe('direct');
  });
});
