import { applyActivation, type Backend, checkRunRequest, conv2dOutputShape, type Method, type OpSpec, Tensor } from '@convroute/core';

export function createNaiveBackend(): Backend {
  const methodsFor = (op: OpSpec): readonly Method[] => (op.op === 'conv2d' && !op.spec.transposed ? ['direct'] : []);
  const backend: Backend = {
    name: 'naive',
    description: 'naive float32 direct conv',
    methodsFor,
    async run(op, method, inputs) {
      // Inputs against the op (SHAPE_MISMATCH), then the method (UNSUPPORTED_METHOD, never another).
      checkRunRequest(backend, op, method, inputs);
      if (op.op !== 'conv2d') throw new Error('unreachable: methodsFor lists nothing else');
      const s = op.spec;
      const [x, w, b] = inputs.map((t) => t.data);
      const [N, C, H, W] = s.input;
      const [O, Cg, kH, kW] = s.weight;
      const shape = conv2dOutputShape(s);
      const [, , Ho, Wo] = shape;
      const y = new Float32Array(N * O * Ho * Wo);
      const perGroup = O / s.groups;
      let at = 0;
      for (let n = 0; n < N; n++)
        for (let o = 0; o < O; o++)
          for (let i = 0; i < Ho; i++)
            for (let j = 0; j < Wo; j++) {
              let acc = s.bias ? b[o] : 0;
              for (let c = 0; c < Cg; c++)
                for (let p = 0; p < kH; p++)
                  for (let q = 0; q < kW; q++) {
                    const r = i * s.stride[0] - s.padding[0] + p * s.dilation[0];
                    const col = j * s.stride[1] - s.padding[1] + q * s.dilation[1];
                    const inside = r >= 0 && r < H && col >= 0 && col < W;
                    const xv = inside ? x[((n * C + Math.floor(o / perGroup) * Cg + c) * H + r) * W + col] : 0;
                    acc = Math.fround(acc + Math.fround(w[((o * Cg + c) * kH + p) * kW + q] * xv));
                  }
              y[at++] = applyActivation(s.activation, acc);
            }
      return Tensor.fromData(y, shape);
    },
  };
  return backend;
}
