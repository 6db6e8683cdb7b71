import type { Graph } from '../graph.ts';
import { NetworkBuilder } from './network-builder.ts';
import { type NetworkOptions, networkInput } from './network-options.ts';

/** Fire(squeeze, expand1x1, expand3x3) modules of SqueezeNet 1.1, with max-pools before 3, 6, 9. */
const FIRES: readonly (readonly [number, number, number, number])[] = [
  [3, 16, 64, 64],
  [4, 16, 64, 64],
  [6, 32, 128, 128],
  [7, 32, 128, 128],
  [9, 48, 192, 192],
  [10, 48, 192, 192],
  [11, 64, 256, 256],
  [12, 64, 256, 256],
];
const POOLS = [2, 5, 8];

/**
 * torchvision's SqueezeNet 1.1 (torchvision/models/squeezenet.py, version '1_1'): conv 3x3/2 with
 * bias -> relu, max-pools 3x3/2 with ceil mode, Fire modules (squeeze 1x1 -> relu, then expand1x1
 * and expand3x3 (pad 1) each -> relu, concatenated on channels), classifier conv 1x1 -> relu ->
 * global average pool -> flatten. No BatchNorm; every conv has a bias. Node ids are torchvision's
 * module names (`features.3.squeeze`, `classifier.1`); a Fire's concat is `features.<i>.concat`.
 * The classifier's Dropout is the identity in inference and is left out. Output `logits` [N, classes].
 */
export function squeezenet11(options: NetworkOptions = {}): Graph {
  const { shape, classes, seed } = networkInput(options);
  const b = new NetworkBuilder(seed);
  let x = b.relu('features.1', b.conv('features.0', b.graph.input('input', shape), 3, 64, 3, { stride: 2, bias: true }));
  let cIn = 64;
  for (let i = 2; i <= 12; i++) {
    if (POOLS.includes(i)) {
      x = b.graph.maxpool(`features.${i}`, x, { kernel: 3, stride: 2, ceilMode: true });
      continue;
    }
    const [, sq, e1, e3] = FIRES.find((f) => f[0] === i)!;
    const p = `features.${i}`;
    const s = b.relu(`${p}.squeeze_activation`, b.conv(`${p}.squeeze`, x, cIn, sq, 1, { bias: true }));
    const a = b.relu(`${p}.expand1x1_activation`, b.conv(`${p}.expand1x1`, s, sq, e1, 1, { bias: true }));
    const c = b.relu(`${p}.expand3x3_activation`, b.conv(`${p}.expand3x3`, s, sq, e3, 3, { padding: 1, bias: true }));
    x = b.graph.concat(`${p}.concat`, [a, c], { axis: 1 });
    cIn = e1 + e3;
  }
  x = b.relu('classifier.2', b.conv('classifier.1', x, cIn, classes, 1, { bias: true }));
  x = b.graph.unary('globalaveragepool', 'classifier.3', x);
  b.graph.flatten('logits', x, {}, { id: 'flatten' });
  return b.graph.output('logits').build();
}
