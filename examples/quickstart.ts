import { conv2d, Tensor, uniformData } from 'convroute';

// A 3x3 conv, 8 -> 16 channels, stride 1, padding 1, on a 1x8x32x32 input.
const x = Tensor.fromData(uniformData(8 * 32 * 32, 1), [1, 8, 32, 32]);
const w = Tensor.fromData(uniformData(16 * 8 * 3 * 3, 2), [16, 8, 3, 3]);
const res = await conv2d(x, w, undefined, { padding: 1, backend: 'cpu', mode: 'exact' });

console.log(res.output.shape); // [1, 16, 32, 32]
console.log(res.record.method, res.backend.description); // e.g. "direct cpu (exact)"
for (const r of res.record.reasons) console.log(`${r.holds ? 'yes' : 'no '} ${r.rule}: ${r.detail}`);
