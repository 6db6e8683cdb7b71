import type { Conv2dAttrs, GemmAttrs, Graph, GraphDecl, Im2colAttrs } from './graph.ts';
import { validateGraph } from './graph.ts';
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
