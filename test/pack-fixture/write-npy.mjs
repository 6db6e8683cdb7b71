// Writes the inputs of `npx convroute conv2d` in test/pack.test.ts: api.mjs's Sobel conv.
import { writeFileSync } from 'node:fs';
import { Tensor, writeNpy } from 'convroute';

writeFileSync('x.npy', writeNpy(Tensor.fromData(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), [1, 1, 3, 3])));
writeFileSync('w.npy', writeNpy(Tensor.fromData(new Float32Array([1, 0, -1, 2, 0, -2, 1, 0, -1]), [1, 1, 3, 3])));
writeFileSync('b.npy', writeNpy(Tensor.fromData(new Float32Array([0.5]), [1])));
