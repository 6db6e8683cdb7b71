import { uniformData } from '@convroute/core';
import { encodeOnnx, type OnnxModelInit, type OnnxNodeInit, type OnnxTensorInit } from '@convroute/onnx';

/**
 * ONNX models of the ResNet-18, MobileNetV2 and SqueezeNet 1.1 topologies (torchvision's layer
 * lists) with random weights, written with @convroute/onnx's encoder. BatchNormalization keeps
 * random statistics and stays unfolded in the file; heads as torchvision's: global average pool,
 * flatten, Gemm (SqueezeNet: a 1x1 conv classifier, then the pool and flatten). Weights are
 * uniform with He-like scale so activations stay O(1) through the depth.
 */
export interface NetOptions {
  /** Input height = width (224 for the real networks; tests use 32). */
  size: number;
  classes?: number;
  seed?: number;
  /** Also list every intermediate value as a graph output (per-node comparisons). */
  exposeAll?: boolean;
}

export const NET_NAMES = ['resnet18', 'mobilenetv2', 'squeezenet1_1'] as const;
export type NetName = (typeof NET_NAMES)[number];

class NetWriter {
  readonly nodes: OnnxNodeInit[] = [];
  readonly inits: (OnnxTensorInit & { name: string })[] = [];
  private seed: number;
  private count = 0;

  constructor(seed: number) {
    this.seed = seed;
  }

  private name(prefix: string): string {
    return `${prefix}_${this.count++}`;
  }

  private param(prefix: string, dims: number[], low: number, high: number): string {
    const name = this.name(prefix);
    const n = dims.reduce((p, d) => p * d, 1);
    this.inits.push({ name, dims, data: uniformData(n, this.seed++, low, high), raw: true });
    return name;
  }

  private node(op: string, inputs: string[], attrs: OnnxNodeInit['attrs'] = {}): string {
    const out = this.name(op.toLowerCase());
    this.nodes.push({ op, name: `${op}_${this.count}`, inputs, outputs: [out], attrs });
    return out;
  }

  conv(x: string, cin: number, cout: number, k: number, opts: { stride?: number; pad?: number; group?: number; bias?: boolean } = {}): string {
    const group = opts.group ?? 1;
    const fanIn = (cin / group) * k * k;
    const a = Math.sqrt(6 / fanIn);
    const w = this.param('w', [cout, cin / group, k, k], -a, a);
    const inputs = opts.bias ? [x, w, this.param('b', [cout], -0.1, 0.1)] : [x, w];
    const p = opts.pad ?? 0;
    const s = opts.stride ?? 1;
    return this.node('Conv', inputs, { kernel_shape: [k, k], strides: [s, s], pads: [p, p, p, p], dilations: [1, 1], group });
  }

  bn(x: string, c: number): string {
    const inputs = [
      x,
      this.param('gamma', [c], 0.5, 1.5),
      this.param('beta', [c], -0.2, 0.2),
      this.param('mean', [c], -0.2, 0.2),
      this.param('var', [c], 0.5, 1.5),
    ];
    return this.node('BatchNormalization', inputs, { epsilon: { float: 1e-5 } });
  }

  relu(x: string): string {
    return this.node('Relu', [x]);
  }

  relu6(x: string): string {
    if (!this.inits.some((t) => t.name === 'zero')) {
      this.inits.push({ name: 'zero', dims: [], data: new Float32Array([0]) }, { name: 'six', dims: [], data: new Float32Array([6]) });
    }
    return this.node('Clip', [x, 'zero', 'six']);
  }

  add(a: string, b: string): string {
    return this.node('Add', [a, b]);
  }

  maxpool(x: string, k: number, s: number, pad: number, ceil = 0): string {
    return this.node('MaxPool', [x], { kernel_shape: [k, k], strides: [s, s], pads: [pad, pad, pad, pad], ceil_mode: ceil });
  }

  /** GlobalAveragePool then Flatten, as torchvision's AdaptiveAvgPool2d(1) + flatten export. */
  poolFlatten(x: string): string {
    return this.node('Flatten', [this.node('GlobalAveragePool', [x])], { axis: 1 });
  }

  head(x: string, c: number, classes: number): string {
    const flat = this.poolFlatten(x);
    const a = Math.sqrt(1 / c);
    return this.node('Gemm', [flat, this.param('fc_w', [classes, c], -a, a), this.param('fc_b', [classes], -a, a)], {
      transB: 1,
      alpha: { float: 1 },
      beta: { float: 1 },
    });
  }

  concat(xs: string[]): string {
    return this.node('Concat', xs, { axis: 1 });
  }

  dropout(x: string): string {
    return this.node('Dropout', [x]);
  }
}

function resnet18(n: NetWriter, classes: number): string {
  let x = n.maxpool(n.relu(n.bn(n.conv('input', 3, 64, 7, { stride: 2, pad: 3 }), 64)), 3, 2, 1);
  let c = 64;
  for (const [i, width] of [64, 128, 256, 512].entries()) {
    for (let b = 0; b < 2; b++) {
      const stride = i > 0 && b === 0 ? 2 : 1;
      const h = n.relu(n.bn(n.conv(x, c, width, 3, { stride, pad: 1 }), width));
      const y = n.bn(n.conv(h, width, width, 3, { pad: 1 }), width);
      const skip = stride !== 1 || c !== width ? n.bn(n.conv(x, c, width, 1, { stride }), width) : x;
      x = n.relu(n.add(y, skip));
      c = width;
    }
  }
  return n.head(x, 512, classes);
}

function mobilenetv2(n: NetWriter, classes: number): string {
  let x = n.relu6(n.bn(n.conv('input', 3, 32, 3, { stride: 2, pad: 1 }), 32));
  let c = 32;
  const settings = [
    [1, 16, 1, 1],
    [6, 24, 2, 2],
    [6, 32, 3, 2],
    [6, 64, 4, 2],
    [6, 96, 3, 1],
    [6, 160, 3, 2],
    [6, 320, 1, 1],
  ];
  for (const [t, out, reps, s] of settings) {
    for (let r = 0; r < reps; r++) {
      const stride = r === 0 ? s : 1;
      const hidden = c * t;
      let h = t === 1 ? x : n.relu6(n.bn(n.conv(x, c, hidden, 1), hidden));
      h = n.relu6(n.bn(n.conv(h, hidden, hidden, 3, { stride, pad: 1, group: hidden }), hidden));
      h = n.bn(n.conv(h, hidden, out, 1), out);
      x = stride === 1 && c === out ? n.add(x, h) : h;
      c = out;
    }
  }
  x = n.relu6(n.bn(n.conv(x, c, 1280, 1), 1280));
  return n.head(n.dropout(x), 1280, classes);
}

function squeezenet11(n: NetWriter, classes: number): string {
  const fire = (x: string, cin: number, sq: number, e: number) => {
    const s = n.relu(n.conv(x, cin, sq, 1, { bias: true }));
    return n.concat([n.relu(n.conv(s, sq, e, 1, { bias: true })), n.relu(n.conv(s, sq, e, 3, { pad: 1, bias: true }))]);
  };
  let x = n.maxpool(n.relu(n.conv('input', 3, 64, 3, { stride: 2, bias: true })), 3, 2, 0, 1);
  x = fire(fire(x, 64, 16, 64), 128, 16, 64);
  x = n.maxpool(x, 3, 2, 0, 1);
  x = fire(fire(x, 128, 32, 128), 256, 32, 128);
  x = n.maxpool(x, 3, 2, 0, 1);
  x = fire(fire(fire(fire(x, 256, 48, 192), 384, 48, 192), 384, 64, 256), 512, 64, 256);
  return n.poolFlatten(n.relu(n.conv(n.dropout(x), 512, classes, 1, { bias: true })));
}

/** The ONNX model of a network topology (opset 17), its input 'input' [1, 3, size, size]. */
export function netModel(name: NetName, options: NetOptions): { bytes: Uint8Array; output: string; values: string[] } {
  const classes = options.classes ?? 1000;
  const n = new NetWriter(options.seed ?? 1);
  const output = { resnet18, mobilenetv2, squeezenet1_1: squeezenet11 }[name](n, classes);
  const values = n.nodes.map((node) => node.outputs[0]);
  const model: OnnxModelInit = {
    opset: 17,
    inputs: [{ name: 'input', dims: [1, 3, options.size, options.size] }],
    outputs: (options.exposeAll ? values : [output]).map((v) => ({ name: v })),
    initializers: n.inits,
    nodes: n.nodes,
  };
  return { bytes: encodeOnnx(model), output, values };
}
