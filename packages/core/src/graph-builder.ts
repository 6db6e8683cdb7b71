import type { Graph, GraphDecl } from './graph.ts';
import { validateGraph } from './graph.ts';
import type {
  AveragepoolAttrs,
  BatchnormalizationAttrs,
  ClipAttrs,
  ConcatAttrs,
  Conv2dAttrs,
  FlattenAttrs,
  GemmAttrs,
  HardsigmoidAttrs,
  Im2colAttrs,
  LeakyreluAttrs,
  MaxpoolAttrs,
  PadAttrs,
  ReducemeanAttrs,
  ReshapeAttrs,
  ResizeAttrs,
  SoftmaxAttrs,
  SqueezeAttrs,
  TransposeAttrs,
  UnsqueezeAttrs,
} from './graph-ops.ts';
import type { Method } from './ops.ts';
import type { Tensor } from './tensor.ts';

interface NodeOptions {
  /** Node id; defaults to the output name. */
  id?: string;
  /** 'auto' (default) asks the routing function; a method here is a per-node override. */
  method?: Method | 'auto';
}

/** Builds a graph value by value; `build()` validates it exactly as the JSON loader does. */
export class GraphBuilder {
  private readonly decl: GraphDecl = { inputs: [], constants: [], nodes: [], outputs: [] };

  input(name: string, shape: readonly number[]): string {
    this.decl.inputs.push({ name, shape: [...shape] });
    return name;
  }

  constant(name: string, tensor: Tensor): string {
    this.decl.constants.push({ name, shape: tensor.shape, tensor });
    return name;
  }

  conv2d(output: string, x: string, w: string, bias: string | undefined, attrs: Conv2dAttrs = {}, opts: NodeOptions = {}): string {
    return this.node('conv2d', output, bias === undefined ? [x, w] : [x, w, bias], attrs, opts);
  }

  im2col(output: string, x: string, attrs: Im2colAttrs, opts: NodeOptions = {}): string {
    return this.node('im2col', output, [x], attrs, opts);
  }

  gemm(output: string, a: string, b: string, bias: string | undefined, attrs: GemmAttrs = {}, opts: NodeOptions = {}): string {
    return this.node('gemm', output, bias === undefined ? [a, b] : [a, b, bias], attrs, opts);
  }

  /** Binary elementwise ops (broadcasting): output = a (op) b. */
  add(output: string, a: string, b: string, opts: NodeOptions = {}): string {
    return this.node('add', output, [a, b], {}, opts);
  }

  sub(output: string, a: string, b: string, opts: NodeOptions = {}): string {
    return this.node('sub', output, [a, b], {}, opts);
  }

  mul(output: string, a: string, b: string, opts: NodeOptions = {}): string {
    return this.node('mul', output, [a, b], {}, opts);
  }

  div(output: string, a: string, b: string, opts: NodeOptions = {}): string {
    return this.node('div', output, [a, b], {}, opts);
  }

  matmul(output: string, a: string, b: string, opts: NodeOptions = {}): string {
    return this.node('matmul', output, [a, b], {}, opts);
  }

  /** Unary ops without attributes. */
  unary(op: 'relu' | 'sigmoid' | 'hardswish' | 'identity' | 'globalaveragepool', output: string, x: string, opts: NodeOptions = {}): string {
    return this.node(op, output, [x], {}, opts);
  }

  hardsigmoid(output: string, x: string, attrs: HardsigmoidAttrs = {}, opts: NodeOptions = {}): string {
    return this.node('hardsigmoid', output, [x], attrs, opts);
  }

  leakyrelu(output: string, x: string, attrs: LeakyreluAttrs = {}, opts: NodeOptions = {}): string {
    return this.node('leakyrelu', output, [x], attrs, opts);
  }

  clip(output: string, x: string, attrs: ClipAttrs = {}, opts: NodeOptions = {}): string {
    return this.node('clip', output, [x], attrs, opts);
  }

  batchnormalization(
    output: string,
    x: string,
    params: { scale: string; bias: string; mean: string; var: string },
    attrs: BatchnormalizationAttrs = {},
    opts: NodeOptions = {},
  ): string {
    return this.node('batchnormalization', output, [x, params.scale, params.bias, params.mean, params.var], attrs, opts);
  }

  softmax(output: string, x: string, attrs: SoftmaxAttrs = {}, opts: NodeOptions = {}): string {
    return this.node('softmax', output, [x], attrs, opts);
  }

  maxpool(output: string, x: string, attrs: MaxpoolAttrs, opts: NodeOptions = {}): string {
    return this.node('maxpool', output, [x], attrs, opts);
  }

  averagepool(output: string, x: string, attrs: AveragepoolAttrs, opts: NodeOptions = {}): string {
    return this.node('averagepool', output, [x], attrs, opts);
  }

  reducemean(output: string, x: string, attrs: ReducemeanAttrs = {}, opts: NodeOptions = {}): string {
    return this.node('reducemean', output, [x], attrs, opts);
  }

  concat(output: string, inputs: string[], attrs: ConcatAttrs, opts: NodeOptions = {}): string {
    return this.node('concat', output, [...inputs], attrs, opts);
  }

  reshape(output: string, x: string, attrs: ReshapeAttrs, opts: NodeOptions = {}): string {
    return this.node('reshape', output, [x], attrs, opts);
  }

  flatten(output: string, x: string, attrs: FlattenAttrs = {}, opts: NodeOptions = {}): string {
    return this.node('flatten', output, [x], attrs, opts);
  }

  transpose(output: string, x: string, attrs: TransposeAttrs = {}, opts: NodeOptions = {}): string {
    return this.node('transpose', output, [x], attrs, opts);
  }

  squeeze(output: string, x: string, attrs: SqueezeAttrs = {}, opts: NodeOptions = {}): string {
    return this.node('squeeze', output, [x], attrs, opts);
  }

  unsqueeze(output: string, x: string, attrs: UnsqueezeAttrs, opts: NodeOptions = {}): string {
    return this.node('unsqueeze', output, [x], attrs, opts);
  }

  pad(output: string, x: string, attrs: PadAttrs, opts: NodeOptions = {}): string {
    return this.node('pad', output, [x], attrs, opts);
  }

  resize(output: string, x: string, attrs: ResizeAttrs, opts: NodeOptions = {}): string {
    return this.node('resize', output, [x], attrs, opts);
  }

  output(...names: string[]): this {
    this.decl.outputs.push(...names);
    return this;
  }

  build(): Graph {
    return validateGraph(this.decl);
  }

  private node(op: GraphDecl['nodes'][number]['op'], output: string, inputs: string[], attrs: object, opts: NodeOptions): string {
    this.decl.nodes.push({ id: opts.id ?? output, op, inputs, output, attrs, method: opts.method ?? 'auto' });
    return output;
  }
}
