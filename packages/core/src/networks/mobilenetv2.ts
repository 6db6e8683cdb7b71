import type { Graph } from '../graph.ts';
import { NetworkBuilder } from './network-builder.ts';
import { type NetworkOptions, networkInput } from './network-options.ts';

/** torchvision's inverted_residual_setting: expansion t, output channels c, repeats n, stride s. */
const SETTING: readonly (readonly [number, number, number, number])[] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/**
 * torchvision's MobileNetV2 (torchvision/models/mobilenetv2.py, width_mult 1.0) with BatchNorm
 * unfolded and ReLU6 as clip(0, 6). Node ids are torchvision's module names: a
 * Conv2dNormActivation `p` is `p.0` (conv), `p.1` (bn), `p.2` (clip); an InvertedResidual's
 * linear projection is `conv.<k>` then its bn `conv.<k+1>`; a residual add is
 * `features.<i>.add`. The classifier's Dropout is the identity in inference and is left out.
 * Output `logits` [N, classes].
 */
export function mobilenetv2(options: NetworkOptions = {}): Graph {
  const { shape, classes, seed } = networkInput(options);
  const b = new NetworkBuilder(seed);
  const convBnRelu6 = (p: string, x: string, cIn: number, cOut: number, k: number, stride: number, groups = 1) =>
    b.relu6(`${p}.2`, b.batchnorm(`${p}.1`, b.conv(`${p}.0`, x, cIn, cOut, k, { stride, padding: (k - 1) / 2, groups }), cOut));

  let x = convBnRelu6('features.0', b.graph.input('input', shape), 3, 32, 3, 2);
  let cIn = 32;
  let index = 1;
  for (const [t, c, n, s] of SETTING) {
    for (let i = 0; i < n; i++, index++) {
      const stride = i === 0 ? s : 1;
      const hidden = cIn * t;
      const p = `features.${index}.conv`;
      let y = x;
      let k = 0;
      if (t !== 1) y = convBnRelu6(`${p}.${k++}`, y, cIn, hidden, 1, 1);
      y = convBnRelu6(`${p}.${k++}`, y, hidden, hidden, 3, stride, hidden);
      y = b.batchnorm(`${p}.${k + 1}`, b.conv(`${p}.${k}`, y, hidden, c, 1), c);
      x = stride === 1 && cIn === c ? b.graph.add(`features.${index}.add`, x, y) : y;
      cIn = c;
    }
  }
  x = convBnRelu6(`features.${index}`, x, cIn, 1280, 1, 1);
  x = b.graph.flatten('flatten', b.graph.unary('globalaveragepool', 'avgpool', x));
  b.linear('classifier.1', x, 1280, classes, 'logits');
  return b.graph.output('logits').build();
}
