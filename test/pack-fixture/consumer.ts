// Type-checked by test/pack.test.ts against the declarations in the installed tarballs.

import { createWebGpuBackend } from '@convroute/backend-webgpu';
import { main } from '@convroute/cli';
import { describeBackendConformance } from '@convroute/conformance/vitest';
import { type ConvResult, conv2d, type Graph, GraphBuilder, Session, Tensor } from 'convroute';

const x: Tensor = Tensor.fromData(new Float32Array(9), [1, 1, 3, 3]);
const res: ConvResult = await conv2d(x, x, undefined, { padding: 1, backend: 'cpu', mode: 'exact' });
const shape: readonly number[] = res.output.shape;
const builder = new GraphBuilder();
builder.input('x', [1, 1, 3, 3]);
const graph: Graph = builder.output('x').build();
const session: Session = await Session.open({ backend: 'cpu' });
const code: Promise<number> = main(['--help']);
// @ts-expect-error: the declarations are real types, not any: mode is 'exact' | 'fast'
await conv2d(x, x, undefined, { mode: 'exactly' });

export { code, createWebGpuBackend, describeBackendConformance, graph, session, shape };
