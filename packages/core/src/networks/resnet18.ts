import type { Graph } from '../graph.ts';
import { NetworkBuilder } from './network-builder.ts';
import { type NetworkOptions, networkInput } from './network-options.ts';

/**
 * torchvision's ResNet-18 (torchvision/models/resnet.py: BasicBlock, layers [2, 2, 2, 2]) with
 * BatchNorm unfolded: conv1 7x7/2 -> bn1 -> relu -> maxpool 3x3/2 pad 1 -> layer1..4 -> global
 * average pool -> flatten -> fc. Node ids are torchvision's module names (`layer2.0.conv1`,
 * `layer2.0.downsample.0`, ...); the residual adds and second ReLUs of a block are
 * `<block>.add` and `<block>.relu2`. Output `logits` [N, classes].
 */
export function resnet18(options: NetworkOptions = {}): Graph {
  const { shape, classes, seed } = networkInput(options);
  const b = new NetworkBuilder(seed);
  const input = b.graph.input('input', shape);
  let x = b.relu('relu', b.batchnorm('bn1', b.conv('conv1', input, 3, 64, 7, { stride: 2, padding: 3 }), 64));
  x = b.graph.maxpool('maxpool', x, { kernel: 3, stride: 2, padding: 1 });
  let cIn = 64;
  [64, 128, 256, 512].forEach((cOut, li) => {
    for (let i = 0; i < 2; i++) {
      const p = `layer${li + 1}.${i}`;
      const stride = li > 0 && i === 0 ? 2 : 1;
      let y = b.relu(`${p}.relu1`, b.batchnorm(`${p}.bn1`, b.conv(`${p}.conv1`, x, cIn, cOut, 3, { stride, padding: 1 }), cOut));
      y = b.batchnorm(`${p}.bn2`, b.conv(`${p}.conv2`, y, cOut, cOut, 3, { padding: 1 }), cOut);
      const identity = stride !== 1 || cIn !== cOut ? b.batchnorm(`${p}.downsample.1`, b.conv(`${p}.downsample.0`, x, cIn, cOut, 1, { stride }), cOut) : x;
      x = b.relu(`${p}.relu2`, b.graph.add(`${p}.add`, y, identity));
      cIn = cOut;
    }
  });
  x = b.graph.flatten('flatten', b.graph.unary('globalaveragepool', 'avgpool', x));
  b.linear('fc', x, 512, classes, 'logits');
  return b.graph.output('logits').build();
}
