import { GraphBuilder } from '../graph-builder.ts';
import { uniformData } from '../random.ts';
import { shapeSize, Tensor } from '../tensor.ts';

/** BatchNorm's running statistics are state, not trainable parameters: torchvision's parameter
 * counts leave them out, and so does `trainableParameterCount`. */
export const RUNNING_STAT_SUFFIXES = ['.running_mean', '.running_var'] as const;

export interface ConvOptions {
  stride?: number;
  padding?: number;
  groups?: number;
  bias?: boolean;
}

/**
 * A GraphBuilder that also makes each layer's weights from one seed, named as torchvision's state
 * dict names them (`<module>.weight`, `.bias`, `.running_mean`, `.running_var`), so a node id is
 * the torchvision module name and a constant its parameter name. Weights are uniform with a
 * He-style bound (sqrt(6 / fan_in)) so activations stay O(1) through the depth of the net.
 */
export class NetworkBuilder {
  readonly graph = new GraphBuilder();
  private next: number;

  constructor(seed: number) {
    // Each constant draws its own stream: seed * 7919 + k keeps nets of nearby seeds apart.
    this.next = (seed >>> 0) * 7919;
  }

  /** A constant of uniform values in [low, high). */
  param(name: string, shape: readonly number[], low: number, high: number): string {
    return this.graph.constant(name, Tensor.fromData(uniformData(shapeSize(shape), this.next++, low, high), shape));
  }

  /** A conv2d node with id `name` (its output value has the same name); weights He-uniform, the
   * optional bias small. */
  conv(name: string, x: string, cIn: number, cOut: number, k: number, o: ConvOptions = {}): string {
    const groups = o.groups ?? 1;
    const fanIn = (cIn / groups) * k * k;
    const bound = Math.sqrt(6 / fanIn);
    const w = this.param(`${name}.weight`, [cOut, cIn / groups, k, k], -bound, bound);
    const b = o.bias ? this.param(`${name}.bias`, [cOut], -0.1, 0.1) : undefined;
    return this.graph.conv2d(name, x, w, b, { stride: o.stride ?? 1, padding: o.padding ?? 0, groups });
  }

  /** An unfolded batchnormalization node with random statistics (running var in [0.5, 1.5), so > 0). */
  batchnorm(name: string, x: string, channels: number): string {
    const c = [channels];
    return this.graph.batchnormalization(name, x, {
      scale: this.param(`${name}.weight`, c, 0.5, 1.5),
      bias: this.param(`${name}.bias`, c, -0.1, 0.1),
      mean: this.param(`${name}.running_mean`, c, -0.1, 0.1),
      var: this.param(`${name}.running_var`, c, 0.5, 1.5),
    });
  }

  relu(name: string, x: string): string {
    return this.graph.unary('relu', name, x);
  }

  /** torchvision's ReLU6 is ONNX Clip(0, 6). */
  relu6(name: string, x: string): string {
    return this.graph.clip(name, x, { min: 0, max: 6 });
  }

  /** torchvision's Linear(fanIn, fanOut) as gemm(x, W^T) + b with its default init bound 1/sqrt(fan_in). */
  linear(name: string, x: string, fanIn: number, fanOut: number, output: string): string {
    const bound = 1 / Math.sqrt(fanIn);
    const w = this.param(`${name}.weight`, [fanOut, fanIn], -bound, bound);
    const b = this.param(`${name}.bias`, [fanOut], -bound, bound);
    return this.graph.gemm(output, x, w, b, { transB: true }, { id: name });
  }
}
