import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conv2dExact } from '@convroute/backend-cpu';
import { conv2dSpec, readNpy, Tensor, uniformData, writeNpy } from '@convroute/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { convroute } from './cli-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'convroute-cli-'));
const p = (f: string) => join(dir, f);
const x = Tensor.fromData(uniformData(2 * 4 * 7 * 6, 11), [2, 4, 7, 6]);
const w = Tensor.fromData(uniformData(6 * 2 * 3 * 3, 12), [6, 2, 3, 3]);
const b = Tensor.fromData(uniformData(6, 13), [6]);

beforeAll(() => {
  writeFileSync(p('x.npy'), writeNpy(x));
  writeFileSync(p('w.npy'), writeNpy(w));
  writeFileSync(p('b.npy'), writeNpy(b));
  writeFileSync(p('bad.npy'), 'not an npy file');
});

describe('convroute conv2d', () => {
  it('runs a grouped, strided, padded conv and writes the exact answer', () => {
    const r = convroute([
      'conv2d',
      '--backend',
      'cpu',
      '--input',
      p('x.npy'),
      '--weight',
      p('w.npy'),
      '--bias',
      p('b.npy'),
      '--output',
      p('y.npy'),
      '--stride',
      '2,1',
      '--padding',
      '1,0,2,1',
      '--groups',
      '2',
      '--activation',
      'relu',
      '--method',
      'im2col-gemm',
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ method: 'im2col-gemm', backend: 'cpu', mode: 'exact', outputShape: [2, 6, 4, 5] });
    expect(summary.timeMs).toBeGreaterThan(0);
    const spec = conv2dSpec({ input: x.shape, weight: w.shape, bias: true, stride: [2, 1], padding: [1, 0, 2, 1], groups: 2, activation: 'relu' });
    const want = conv2dExact(spec, x, w, b);
    expect(Array.from(readNpy(readFileSync(p('y.npy'))).data)).toEqual(Array.from(want.data));
  });

  it('--backend auto --mode exact runs the cpu exact reference and says so (issue 12 item 3)', () => {
    const r = convroute([
      'conv2d',
      '--input',
      p('x.npy'),
      '--weight',
      p('w.npy'),
      '--output',
      p('y3.npy'),
      '--groups',
      '2',
      '--backend',
      'auto',
      '--mode',
      'exact',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ backend: 'cpu', mode: 'exact' });
    expect(s.backendNote).toMatch(/mode exact/);
    const want = conv2dExact(conv2dSpec({ input: x.shape, weight: w.shape, groups: 2 }), x, w);
    expect(Array.from(readNpy(readFileSync(p('y3.npy'))).data)).toEqual(Array.from(want.data));
  });

  it('a memory budget refuses up front (issue 12 item 4): padding 23000, --memory-budget, unwritable outputs', () => {
    writeFileSync(p('one.npy'), writeNpy(Tensor.fromData([1], [1, 1, 1, 1])));
    const base = ['conv2d', '--backend', 'cpu', '--input', p('one.npy'), '--weight', p('one.npy'), '--output', p('big.npy')];
    const huge = convroute([...base, '--padding', '12000,12000']);
    expect(huge.code).not.toBe(0);
    expect(huge.stderr).toMatch(/TOO_LARGE: conv2d.output = \[1,1,24001,24001\].*memory budget of 2048.0 MiB/);
    const npy = convroute([...base, '--padding', '23000,23000', '--memory-budget', '64G']);
    expect(npy.code).not.toBe(0);
    expect(npy.stderr).toMatch(/TOO_LARGE: --output = \[1,1,46001,46001\].*can be written/);
    const small = convroute([
      'conv2d',
      '--backend',
      'cpu',
      '--input',
      p('x.npy'),
      '--weight',
      p('w.npy'),
      '--output',
      p('y4.npy'),
      '--groups',
      '2',
      '--memory-budget',
      '1K',
    ]);
    expect(small.stderr).toMatch(/TOO_LARGE.*over the memory budget of 1024 bytes/);
    const bad = convroute([
      'conv2d',
      '--backend',
      'cpu',
      '--input',
      p('x.npy'),
      '--weight',
      p('w.npy'),
      '--output',
      p('y4.npy'),
      '--groups',
      '2',
      '--memory-budget',
      '4X',
    ]);
    expect(bad.stderr).toMatch(/INVALID_ARGUMENT: --memory-budget = "4X"/);
    expect(existsSync(p('big.npy')) || existsSync(p('y4.npy'))).toBe(false);
    const ok = convroute([
      'conv2d',
      '--backend',
      'cpu',
      '--input',
      p('x.npy'),
      '--weight',
      p('w.npy'),
      '--output',
      p('y4.npy'),
      '--groups',
      '2',
      '--memory-budget',
      '16M',
      '--json',
    ]);
    expect(ok.code).toBe(0);
  });

  it('routes --method auto and says why', () => {
    const r = convroute(['conv2d', '--backend', 'cpu', '--input', p('x.npy'), '--weight', p('w.npy'), '--output', p('y2.npy'), '--groups', '2', '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.method).toBe('direct');
    expect(s.reasons.length).toBeGreaterThan(0);
  });

  it('routes with a calibrated profile by default when given --profile', () => {
    const profile = 'bench/results/lavapipe-calibrated-profile.json';
    const args = ['conv2d', '--backend', 'cpu', '--input', p('x.npy'), '--weight', p('w.npy'), '--groups', '2', '--json'];
    const plain = JSON.parse(convroute([...args, '--output', p('y3.npy')]).stdout);
    const calibrated = JSON.parse(convroute([...args, '--output', p('y4.npy'), '--profile', profile]).stdout);
    // etvk sends grouped convs to direct; the fitted table reasons over its own rules instead.
    expect(plain.reasons.some((r: { rule: string }) => r.rule.startsWith('etvk.'))).toBe(true);
    expect(calibrated.reasons.some((r: { rule: string }) => r.rule.startsWith('rules['))).toBe(true);
    expect(readFileSync(p('y3.npy'))).toEqual(readFileSync(p('y4.npy')));
    const both = convroute([...args, '--output', p('y5.npy'), '--profile', profile, '--device', 'mali']);
    expect(both.stderr).toMatch(/--profile.*not both/);
  });

  it.each([
    [['--stride', '0,1'], /stride\[0\] = 0: stride must be >= 1/],
    [['--stride', '2,2,2'], /--stride = "2,2,2": must be 1 comma-separated integers or 2 comma-separated integers/],
    [['--groups', '3'], /groups = 3: must divide C_in = 4/],
    [['--padding', '1,2,3'], /--padding/],
    [['--groups', '2', '--method', 'depthwise'], /UNSUPPORTED_METHOD.*depthwise/],
    [['--method', 'winograd'], /--method = "winograd"/],
    [['--activation', 'clamp:1'], /--activation/],
    [['--transposed'], /weight\[0\]/],
    [['--backend', 'tpu'], /--backend/],
  ])('refuses %j with the typed error and writes nothing', (extra, message) => {
    const out = p(`never-${extra.join('_').replace(/[^a-z0-9_]/gi, '')}.npy`);
    const r = convroute(['conv2d', '--backend', 'cpu', '--input', p('x.npy'), '--weight', p('w.npy'), '--output', out, ...(extra as string[])]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('accepts the scalar --stride and --padding the library accepts, and --json has the format', () => {
    const r = convroute([
      'conv2d',
      '--backend',
      'cpu',
      '--input',
      p('x.npy'),
      '--weight',
      p('w.npy'),
      '--output',
      p('ys.npy'),
      '--groups',
      '2',
      '--stride',
      '2',
      '--padding',
      '1',
      '--json',
    ]);
    expect(r.stderr).toBe('');
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ format: 'convroute/v1', command: 'conv2d', outputShape: [2, 6, 4, 3] });
    const want = conv2dExact(conv2dSpec({ input: x.shape, weight: w.shape, stride: [2, 2], padding: [1, 1, 1, 1], groups: 2 }), x, w);
    expect(Array.from(readNpy(readFileSync(p('ys.npy'))).data)).toEqual(Array.from(want.data));
  });

  it("resolves relative paths from the caller's directory under `pnpm convroute` (INIT_CWD), not the repository root", () => {
    // pnpm runs the script in the repository root and passes the caller's directory as INIT_CWD.
    const env = { npm_lifecycle_event: 'convroute', INIT_CWD: dir };
    const r = convroute(['conv2d', '--backend', 'cpu', '--input', 'x.npy', '--weight', 'w.npy', '--output', 'y-rel.npy', '--groups', '2'], env);
    expect(r.code).toBe(0);
    expect(existsSync(p('y-rel.npy'))).toBe(true);
    const other = convroute(['conv2d', '--backend', 'cpu', '--input', 'x.npy', '--weight', 'w.npy', '--output', 'y-rel2.npy', '--groups', '2']);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(/--input/);
  });

  it('accepts --padding same and valid, as the library defines them (ONNX SAME_UPPER), and refuses other words', () => {
    for (const [word, padding] of [
      ['same', 'same'],
      ['valid', 0],
    ] as const) {
      const out = p(`y-${word}.npy`);
      const args = ['conv2d', '--backend', 'cpu', '--input', p('x.npy'), '--weight', p('w.npy'), '--output', out, '--groups', '2'];
      const r = convroute([...args, '--stride', '2', '--padding', word]);
      expect(r.code).toBe(0);
      const want = conv2dExact(conv2dSpec({ input: x.shape, weight: w.shape, stride: 2, padding, groups: 2 }), x, w);
      const got = readNpy(readFileSync(out));
      expect(got.shape).toEqual(want.shape);
      expect(Array.from(got.data)).toEqual(Array.from(want.data));
    }
    const bad = convroute([
      'conv2d',
      '--backend',
      'cpu',
      '--input',
      p('x.npy'),
      '--weight',
      p('w.npy'),
      '--output',
      p('y-bad.npy'),
      '--groups',
      '2',
      '--padding',
      'full',
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--padding = "full"/);
  });

  it('prints its version, and errors as one JSON object under --json', () => {
    const v = convroute(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync('packages/cli/package.json', 'utf8')).version);
    const bad = convroute(['conv2d', '--backend', 'cpu', '--input', p('x.npy'), '--weight', p('w.npy'), '--output', p('yj.npy'), '--groups', '3', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(JSON.parse(bad.stderr)).toMatchObject({
      format: 'convroute/v1',
      command: 'conv2d',
      error: { code: 'INVALID_ATTRIBUTE', value: 3, rule: expect.stringMatching(/must divide C_in = 4/) },
    });
    expect(JSON.parse(bad.stderr).error.field).toMatch(/groups$/);
    const unknown = convroute(['route', '--suite', 'resnet18', '--strides', '2', '--json']);
    expect(unknown.code).not.toBe(0);
    expect(JSON.parse(unknown.stderr)).toMatchObject({ command: 'route', error: { code: 'INVALID_ARGUMENT', field: '--strides' } });
  });

  it('names the file when an input is not a float32 .npy', () => {
    const r = convroute(['conv2d', '--backend', 'cpu', '--input', p('bad.npy'), '--weight', p('w.npy'), '--output', p('z.npy')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/NPY_FORMAT: --input .*bad\.npy/);
    const missing = convroute(['conv2d', '--backend', 'cpu', '--input', p('nope.npy'), '--weight', p('w.npy'), '--output', p('z.npy')]);
    expect(missing.stderr).toMatch(/--input = ".*nope\.npy": cannot be read: ENOENT/);
  });

  it('documents every command in --help', () => {
    const r = convroute(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['conv2d', 'route', 'suite']) expect(r.stdout).toContain(c);
  });
});
