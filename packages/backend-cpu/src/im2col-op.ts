import { checkOpInputs, type Im2colSpec, im2colConvView, im2colOutputShape, shapeSize, Tensor } from '@convroute/core';
import { convGeometry } from './conv/geometry.ts';
import { im2colImage } from './conv/im2col.ts';

/** im2col, [N, g, K, L] in PyTorch `unfold` order. A copy, so exact (and the same in fast mode). */
export function im2colExact(spec: Im2colSpec, x: Tensor): Tensor {
  checkOpInputs({ op: 'im2col', spec }, [x]);
  const g = convGeometry(im2colConvView(spec));
  const shape = im2colOutputShape(spec);
  const out = new Float32Array(shapeSize(shape));
  const perImage = shape[1] * shape[2] * shape[3];
  const xv = x.data;
  for (let n = 0; n < g.n; n++) im2colImage(g, xv, n, out, n * perImage);
  return Tensor.fromData(out, shape);
}
