import { freezeLayers, type SuiteLayer } from './suite-layer.ts';

/**
 * Every conv of torchvision's MobileNetV2 (width_mult 1.0, round_nearest 8, 224x224, batch 1),
 * in forward order, named as in torchvision's state dict.
 * Source: torchvision/models/mobilenetv2.py: `features.0` is a 3x3/2 Conv2dNormActivation 3 -> 32;
 * each InvertedResidual has an expand 1x1 (only when t != 1), a depthwise 3x3 with the block's
 * stride (pad 1, groups = hidden), and a linear project 1x1; `features.18` is 1x1 320 -> 1280.
 * Sandler et al., "MobileNetV2", CVPR 2018, Table 2. All convs have bias=False (BatchNorm follows);
 * activation none because BatchNorm (then ReLU6) sits between the conv and the activation.
 */
const SOURCE = 'torchvision/models/mobilenetv2.py mobilenet_v2';

/** torchvision's inverted_residual_setting: expansion t, output channels c, repeats n, stride s. */
const INVERTED_RESIDUAL_SETTING: readonly (readonly [number, number, number, number])[] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

function pointwise(name: string, cIn: number, size: number, cOut: number): SuiteLayer {
  return { name, source: SOURCE, init: { input: [1, cIn, size, size], weight: [cOut, cIn, 1, 1], bias: false } };
}

function depthwise(name: string, c: number, size: number, stride: number): SuiteLayer {
  return { name, source: SOURCE, init: { input: [1, c, size, size], weight: [c, 1, 3, 3], stride, padding: 1, groups: c, bias: false } };
}

function buildMobileNetV2(): SuiteLayer[] {
  const layers: SuiteLayer[] = [
    { name: 'features.0.0', source: SOURCE, init: { input: [1, 3, 224, 224], weight: [32, 3, 3, 3], stride: 2, padding: 1, bias: false } },
  ];
  let cIn = 32;
  let size = 112;
  let index = 1;
  for (const [t, c, n, s] of INVERTED_RESIDUAL_SETTING) {
    for (let i = 0; i < n; i++, index++) {
      const stride = i === 0 ? s : 1;
      const hidden = cIn * t;
      const outSize = Math.floor((size + 2 - 3) / stride) + 1;
      const p = `features.${index}.conv`;
      // With t == 1 there is no expand conv, so the depthwise conv is conv.0 and the project conv.1.
      if (t !== 1) layers.push(pointwise(`${p}.0.0`, cIn, size, hidden));
      const base = t !== 1 ? 1 : 0;
      layers.push(depthwise(`${p}.${base}.0`, hidden, size, stride));
      layers.push(pointwise(`${p}.${base + 1}`, hidden, outSize, c));
      cIn = c;
      size = outSize;
    }
  }
  layers.push(pointwise(`features.${index}.0`, cIn, size, 1280));
  return layers;
}

export const MOBILENETV2: readonly SuiteLayer[] = freezeLayers(buildMobileNetV2());
