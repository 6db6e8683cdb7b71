import { describe, expect, it } from 'vitest';
import { convroute } from './cli-helpers.ts';

describe('convroute route', () => {
  it('explains one conv for a named device', () => {
    const r = convroute(['route', '--input-shape', '1,64,56,56', '--weight-shape', '128,64,3,3', '--padding', '1,1', '--device', 'adreno-7xx', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.convs).toHaveLength(1);
    expect(doc.convs[0]).toMatchObject({ class: 'SlidingWindow', method: 'im2col-gemm' });
    const cout = doc.convs[0].reasons.find((x: { rule: string }) => x.rule === 'etvk.cout');
    expect(cout).toMatchObject({ holds: true, values: { cOut: 128, threshold: 128 } });
  });

  it('routes a whole suite, one entry per conv, and compares policies', () => {
    const r = convroute(['route', '--suite', 'mobilenetv2', '--device', 'mali', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.convs).toHaveLength(52);
    const classes = new Set(doc.convs.map((c: { class: string }) => c.class));
    expect(classes).toEqual(new Set(['SlidingWindow', 'Depthwise', 'Pointwise']));
    const cmp = convroute(['route', '--suite', 'resnet18', '--device', 'adreno', '--compare', 'etvk,etvk-legacy']);
    expect(cmp.code).toBe(0);
    expect(cmp.stdout).toMatch(/12 of 20 conv\(s\) differ between etvk and etvk-legacy/);
  });

  it('refuses unknown devices and policies with the field named', () => {
    const dev = convroute(['route', '--suite', 'resnet18', '--device', 'voodoo']);
    expect(dev.code).not.toBe(0);
    expect(dev.stderr).toMatch(/INVALID_PROFILE: device = "voodoo"/);
    const pol = convroute(['route', '--suite', 'resnet18', '--device', 'mali', '--policy', 'fastest']);
    expect(pol.code).not.toBe(0);
    expect(pol.stderr).toMatch(/fastest/);
  });
  it("--json has the format and each layer's spec; bench --cpu-mode says to use --mode", () => {
    const r = convroute(['route', '--input-shape', '1,8,9,9', '--weight-shape', '8,8,3,3', '--stride', '2', '--padding', '1', '--device', 'mali', '--json']);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ format: 'convroute/v1', command: 'route' });
    expect(doc.convs[0].spec).toMatchObject({ input: [1, 8, 9, 9], weight: [8, 8, 3, 3], stride: [2, 2], padding: [1, 1, 1, 1], groups: 1 });
    const b = convroute(['bench', '--suite', 'resnet18', '--cpu-mode', 'exact']);
    expect(b.stderr).toMatch(/--cpu-mode = "exact": was renamed: use --mode/);
  });
});
