// Bundled by Vite in test/pack.test.ts: backend 'auto' keeps the WebGPU backend reachable, which
// convroute must load lazily and without Dawn's Node binding.
import { conv2d, Tensor } from 'convroute';

const x = Tensor.fromData(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), [1, 1, 3, 3]);
const w = Tensor.fromData(new Float32Array([1, 0, -1, 2, 0, -2, 1, 0, -1]), [1, 1, 3, 3]);
const res = await conv2d(x, w, undefined, { padding: 1, backend: 'auto' });
document.getElementById('out').textContent = JSON.stringify({ y: Array.from(res.output.data), backend: res.backend.kind });
