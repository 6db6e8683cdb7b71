import { freezeLayers, type SuiteLayer } from './suite-layer.ts';

/**
 * Every conv of torchvision's ResNet-18 at batch 1, 224x224, in forward order.
 * Source: torchvision/models/resnet.py (`resnet18` = BasicBlock, layers [2, 2, 2, 2]; `conv3x3`
 * and `conv1x1` use bias=False because BatchNorm follows; the stem is 7x7/2 pad 3 then a 3x3/2
 * max-pool, so layer1 sees 56x56; the first block of layer2..4 has stride 2 on conv1 and a 1x1/2
 * `downsample.0` conv on the block input). He et al., "Deep Residual Learning", CVPR 2016, Table 1.
 * Activation is none: the ReLU follows BatchNorm, which sits between the conv and the ReLU.
 */
const SOURCE = 'torchvision/models/resnet.py resnet18';

/** 3x3 (pad 1) or 1x1 (pad 0) conv on a square map, as torchvision's conv3x3 / conv1x1. */
function conv(name: string, cIn: number, size: number, cOut: number, k: 1 | 3, stride: 1 | 2): SuiteLayer {
  return { name, source: SOURCE, init: { input: [1, cIn, size, size], weight: [cOut, cIn, k, k], stride, padding: k === 3 ? 1 : 0, bias: false } };
}

export const RESNET18: readonly SuiteLayer[] = freezeLayers([
  { name: 'conv1', source: SOURCE, init: { input: [1, 3, 224, 224], weight: [64, 3, 7, 7], stride: 2, padding: 3, bias: false } },
  // layer1: 64 channels at 56x56 (after the max-pool), no downsample.
  conv('layer1.0.conv1', 64, 56, 64, 3, 1),
  conv('layer1.0.conv2', 64, 56, 64, 3, 1),
  conv('layer1.1.conv1', 64, 56, 64, 3, 1),
  conv('layer1.1.conv2', 64, 56, 64, 3, 1),
  // layer2: 56 -> 28, 64 -> 128 channels.
  conv('layer2.0.conv1', 64, 56, 128, 3, 2),
  conv('layer2.0.conv2', 128, 28, 128, 3, 1),
  conv('layer2.0.downsample.0', 64, 56, 128, 1, 2),
  conv('layer2.1.conv1', 128, 28, 128, 3, 1),
  conv('layer2.1.conv2', 128, 28, 128, 3, 1),
  // layer3: 28 -> 14, 128 -> 256 channels.
  conv('layer3.0.conv1', 128, 28, 256, 3, 2),
  conv('layer3.0.conv2', 256, 14, 256, 3, 1),
  conv('layer3.0.downsample.0', 128, 28, 256, 1, 2),
  conv('layer3.1.conv1', 256, 14, 256, 3, 1),
  conv('layer3.1.conv2', 256, 14, 256, 3, 1),
  // layer4: 14 -> 7, 256 -> 512 channels.
  conv('layer4.0.conv1', 256, 14, 512, 3, 2),
  conv('layer4.0.conv2', 512, 7, 512, 3, 1),
  conv('layer4.0.downsample.0', 256, 14, 512, 1, 2),
  conv('layer4.1.conv1', 512, 7, 512, 3, 1),
  conv('layer4.1.conv2', 512, 7, 512, 3, 1),
]);
