import { describe, expect, it } from 'vitest';
import {
  type Conv2dSpec,
  ConvrouteError,
  conv2dChannels,
  conv2dFlops,
  conv2dOutputShape,
  conv2dSpec,
  getSuite,
  SUITE_NAMES,
  suiteSpecs,
  uniqueShapes,
} from '../src/index.ts';

const macs = (specs: { spec: Conv2dSpec }[]): number => specs.reduce((sum, l) => sum + conv2dFlops(l.spec) / 2, 0);
const byName = (suite: string): Map<string, Conv2dSpec> => new Map(suiteSpecs(suite).map((l) => [l.name, l.spec]));

describe('suites: registry', () => {
  it.each(SUITE_NAMES)('%s: every layer validates, names are unique, suiteSpecs matches conv2dSpec', (name) => {
    const layers = getSuite(name);
    expect(layers.length).toBeGreaterThan(0);
    expect(new Set(layers.map((l) => l.name)).size).toBe(layers.length);
    const specs = suiteSpecs(name);
    expect(specs.map((s) => s.name)).toEqual(layers.map((l) => l.name));
    layers.forEach((layer, i) => {
      expect(specs[i].spec).toEqual(conv2dSpec(layer.init));
      expect(layer.source).toBeTruthy();
    });
  });

  it('rejects an unknown suite with INVALID_ARGUMENT naming the choices', () => {
    let caught: unknown;
    try {
      getSuite('resnet50');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConvrouteError);
    const err = caught as ConvrouteError;
    expect([err.code, err.field, err.value]).toEqual(['INVALID_ARGUMENT', 'suite', 'resnet50']);
    expect(err.rule).toBe('must be one of resnet18, mobilenetv2, etvk');
    expect(() => suiteSpecs('')).toThrow(ConvrouteError);
  });

  it('suite data is frozen, so one caller cannot change another caller view', () => {
    const layer = getSuite('resnet18')[0];
    expect(() => {
      (layer.init.input as number[])[2] = 1;
    }).toThrow(TypeError);
    expect(() => {
      (getSuite('etvk') as unknown[]).push({});
    }).toThrow(TypeError);
    expect(getSuite('resnet18')[0].init.input).toEqual([1, 3, 224, 224]);
  });
});

describe('suites: resnet18', () => {
  const specs = suiteSpecs('resnet18');
  const at = byName('resnet18');

  it('has the 20 convs of torchvision ResNet-18, 3 of them 1x1 stride-2 downsamples', () => {
    expect(specs).toHaveLength(20);
    const downsample = specs.filter((l) => l.name.includes('downsample'));
    expect(downsample.map((l) => l.name)).toEqual(['layer2.0.downsample.0', 'layer3.0.downsample.0', 'layer4.0.downsample.0']);
    for (const { spec } of downsample) {
      expect([spec.weight[2], spec.weight[3], spec.stride[0], spec.stride[1], spec.padding[0]]).toEqual([1, 1, 2, 2, 0]);
    }
    for (const { spec } of specs) expect([spec.bias, spec.activation.kind, spec.groups]).toEqual([false, 'none', 1]);
  });

  it('sums to 1.8136 GMACs of conv at 224x224 (published: 1.8 GFLOPs, He et al. 2016 Table 1; 1.81 GFLOPS, torchvision docs)', () => {
    // 1,813,561,344 is this suite's exact count; the 1% bound is against the published 1.81e9.
    expect(macs(specs)).toBe(1_813_561_344);
    expect(Math.abs(macs(specs) / 1.81e9 - 1)).toBeLessThan(0.01);
  });

  it('chains: each main-path conv reads the previous one; downsample maps block input to block output', () => {
    const main = specs.filter((l) => !l.name.includes('downsample'));
    for (let i = 1; i < main.length; i++) {
      const prev = conv2dOutputShape(main[i - 1].spec);
      // The stem is followed by a 3x3/2 pad-1 max-pool: 112 -> 56.
      const expected = main[i].name === 'layer1.0.conv1' ? [prev[0], prev[1], Math.floor((prev[2] - 1) / 2) + 1, Math.floor((prev[3] - 1) / 2) + 1] : prev;
      expect(main[i].spec.input, `${main[i - 1].name} -> ${main[i].name}`).toEqual(expected);
    }
    for (const stage of [2, 3, 4]) {
      const ds = at.get(`layer${stage}.0.downsample.0`)!;
      expect(ds.input).toEqual(at.get(`layer${stage}.0.conv1`)!.input);
      expect(conv2dOutputShape(ds)).toEqual(conv2dOutputShape(at.get(`layer${stage}.0.conv2`)!));
    }
    expect(conv2dOutputShape(at.get('layer4.1.conv2')!)).toEqual([1, 512, 7, 7]);
  });

  it('uniqueShapes groups the repeated shapes and keeps every layer', () => {
    const unique = uniqueShapes(getSuite('resnet18'));
    expect(unique).toHaveLength(11);
    expect(unique.reduce((n, u) => n + u.count, 0)).toBe(20);
    expect(unique[1].names).toEqual(['layer1.0.conv1', 'layer1.0.conv2', 'layer1.1.conv1', 'layer1.1.conv2']);
    expect(unique[1].count).toBe(4);
  });
});

describe('suites: mobilenetv2', () => {
  const specs = suiteSpecs('mobilenetv2');

  it('has the 52 convs of torchvision MobileNetV2: stem, 17 inverted residual blocks (16 with expand), last 1x1', () => {
    expect(specs).toHaveLength(52);
    const dw = specs.filter((l) => l.spec.groups > 1);
    expect(dw).toHaveLength(17);
    for (const { spec } of dw) {
      expect(spec.groups).toBe(spec.input[1]);
      expect(conv2dChannels(spec).cOut).toBe(spec.input[1]);
      expect(spec.weight.slice(1)).toEqual([1, 3, 3]);
    }
    expect(dw.filter((l) => l.spec.stride[0] === 2).map((l) => l.name)).toEqual([
      'features.2.conv.1.0',
      'features.4.conv.1.0',
      'features.7.conv.1.0',
      'features.14.conv.1.0',
    ]);
    expect(specs.filter((l) => l.spec.weight[2] === 1)).toHaveLength(52 - 17 - 1);
    expect(specs[0].name).toBe('features.0.0');
    expect(specs[51].name).toBe('features.18.0');
    for (const { spec } of specs) expect([spec.bias, spec.activation.kind]).toEqual([false, 'none']);
  });

  it('sums to 299.5 MMACs of conv at 224x224 (published: 300M multiply-adds, Sandler et al. 2018 Table 4; 0.30 GFLOPS, torchvision docs)', () => {
    // 299,494,272 is this suite's exact count; the 1% bound is against the published 300e6.
    expect(macs(specs)).toBe(299_494_272);
    expect(Math.abs(macs(specs) / 300e6 - 1)).toBeLessThan(0.01);
  });

  it('chains: every conv reads the previous conv output (residual adds keep shapes)', () => {
    for (let i = 1; i < specs.length; i++) {
      expect(specs[i].spec.input, `${specs[i - 1].name} -> ${specs[i].name}`).toEqual(conv2dOutputShape(specs[i - 1].spec));
    }
    expect(conv2dOutputShape(specs[51].spec)).toEqual([1, 1280, 7, 7]);
  });
});

describe('suites: etvk', () => {
  const specs = suiteSpecs('etvk');
  const at = byName('etvk');

  it('transcribes every case: 33 from cases.py, 25 conv2d, 18 dw, 19 pw, 8 transposed, 4 dynamic', () => {
    const count = (prefix: string) => specs.filter((l) => l.name.startsWith(prefix)).length;
    expect([count('cases.'), count('test_conv2d.'), count('test_conv2d_dw.'), count('test_conv2d_pw.')]).toEqual([33, 25, 18, 19]);
    expect([count('test_q8ta_conv2d_transposed['), count('conv2d_gemm_dynamic[')]).toEqual([8, 4]);
    expect(specs).toHaveLength(107);
  });

  it('covers transposed, depthwise, pointwise, grouped, dilated, padded and asymmetric cases', () => {
    const kinds = {
      transposed: specs.filter((l) => l.spec.transposed).length,
      depthwise: specs.filter((l) => !l.spec.transposed && l.spec.groups > 1 && l.spec.groups === l.spec.input[1] && l.spec.groups === l.spec.weight[0]).length,
      pointwise: specs.filter((l) => l.spec.weight[2] === 1 && l.spec.weight[3] === 1 && l.spec.groups === 1).length,
      grouped: specs.filter((l) => l.spec.groups > 1 && l.spec.weight[1] > 1).length,
      dilated: specs.filter((l) => l.spec.dilation[0] > 1 || l.spec.dilation[1] > 1).length,
      padded1x1: specs.filter((l) => l.spec.weight[2] === 1 && l.spec.padding.some((p) => p > 0)).length,
      asymmetricStride: specs.filter((l) => l.spec.stride[0] !== l.spec.stride[1]).length,
    };
    // Counted by hand from the sources: depthwise = 11 conv_dw + 2 conv1d + 18 test_conv2d_dw; pointwise = 12 conv_pw + 19
    // test_conv2d_pw; padded1x1 = 6 conv_pw + the 2 lifted conv1d with padding (kH = 1); asymmetric stride = 3 + 2 conv1d + 1 + 4.
    expect(kinds).toEqual({ transposed: 9, depthwise: 31, pointwise: 31, grouped: 5, dilated: 3, padded1x1: 8, asymmetricStride: 10 });
  });

  it('matches hand-checked shapes from the ExecuTorch sources', () => {
    // cases.conv[3]: transposed 6 -> 8, H = 39*1 - 4 + 2 + 0 + 1, W = 49*2 - 6 + 2 + 1 + 1.
    expect(conv2dOutputShape(at.get('cases.conv[3]')!)).toEqual([1, 8, 38, 96]);
    // cases.conv[6]: conv1d (2, 20, 30) * (10, 4, 6), stride 5, pad 5, dilation 3, groups 5.
    expect(conv2dOutputShape(at.get('cases.conv[6].conv1d')!)).toEqual([2, 10, 1, 5]);
    // cases.conv[9]: dilated 3x3 with pad 2 keeps 90x77.
    expect(conv2dOutputShape(at.get('cases.conv[9]')!)).toEqual([1, 1, 90, 77]);
    // The pair straddling PR #20059's C_out >= 128 rule.
    expect([at.get('test_conv2d.boundary[0]')!.weight[0], at.get('test_conv2d.boundary[1]')!.weight[0]]).toEqual([64, 128]);
    // Grouped transposed: OutInChannels(32, 64), groups 2 -> weight [64, 16, 3, 3], 8x8 -> 16x16.
    expect(conv2dOutputShape(at.get('test_q8ta_conv2d_transposed[4]')!)).toEqual([1, 32, 16, 16]);
    expect(conv2dOutputShape(at.get('test_conv2d_dw.perf[0]')!)).toEqual([1, 24, 256, 256]);
  });
});
