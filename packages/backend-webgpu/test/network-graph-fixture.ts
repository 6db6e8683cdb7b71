import { GraphBuilder, type Method, type Shape, Tensor } from '@convroute/core';
import { tensor } from './network-reference.ts';

/** A ResNet-style block with a classifier head, and a branch through every shape op. */
export function networkGraph() {
  const g = new GraphBuilder();
  const m = (method: Method) => ({ method });
  const c = (name: string, shape: Shape, seed: number, positive = false) =>
    g.constant(
      name,
      positive
        ? Tensor.fromData(
            tensor(shape, seed, { maxExponent: 3 }).data.map((v) => Math.abs(v) + 0.5),
            shape,
          )
        : tensor(shape, seed, { maxExponent: 3 }),
    );
  g.input('x', [1, 4, 12, 12]);
  const bn = (out: string, x: string, seed: number) =>
    g.batchnormalization(
      out,
      x,
      { scale: c(`${out}.s`, [4], seed), bias: c(`${out}.b`, [4], seed + 1), mean: c(`${out}.m`, [4], seed + 2), var: c(`${out}.v`, [4], seed + 3, true) },
      {},
      m('batchnormalization'),
    );
  g.conv2d('c1', 'x', c('w1', [4, 4, 3, 3], 1), undefined, { padding: 1 }, m('direct'));
  bn('b1', 'c1', 10);
  g.unary('relu', 'r1', 'b1', m('relu'));
  g.maxpool('p1', 'r1', { kernel: [3, 3], stride: 2, padding: 1 }, m('maxpool'));
  g.conv2d('c2', 'p1', c('w2', [4, 4, 3, 3], 2), undefined, { padding: 1 }, m('implicit-gemm'));
  bn('b2', 'c2', 20);
  g.add('s2', 'b2', 'p1', m('add'));
  g.clip('r2', 's2', { min: 0, max: 6 }, m('clip'));
  // Head: global pool, flatten, gemm with a bias, softmax.
  g.unary('globalaveragepool', 'gap', 'r2', m('globalaveragepool'));
  g.flatten('f', 'gap', {}, m('flatten'));
  g.gemm('logits', 'f', c('wf', [4, 5], 3), c('bf', [5], 4), {}, m('gemm'));
  g.softmax('prob', 'logits', {}, m('softmax'));
  // Branch: upsample, concat with the input, transpose there and back, pad, average pool, mean, matmul.
  g.resize('up', 'r2', { mode: 'linear', scales: [1, 1, 2, 2] }, m('resize'));
  g.concat('cat', ['up', 'x'], { axis: 1 }, m('concat'));
  g.transpose('t', 'cat', { perm: [0, 2, 3, 1] }, m('transpose'));
  g.unary('sigmoid', 'sg', 't', m('sigmoid'));
  g.transpose('tb', 'sg', { perm: [0, 3, 1, 2] }, m('transpose'));
  g.pad('pd', 'tb', { pads: [0, 0, 1, 1, 0, 0, 1, 1] }, m('pad'));
  g.averagepool('ap', 'pd', { kernel: [2, 2], stride: 2, countIncludePad: false }, m('averagepool'));
  g.reducemean('rm', 'ap', { axes: [2, 3], keepdims: false }, m('reducemean'));
  g.matmul('mm', 'rm', c('wm', [8, 3], 5), m('matmul'));
  g.unary('hardswish', 'hs', 'mm', m('hardswish'));
  g.output('prob', 'hs');
  return g.build();
}
