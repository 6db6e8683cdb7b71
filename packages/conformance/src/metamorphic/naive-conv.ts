import { applyActivation, type Conv2dSpec, conv2dChannels, conv2dOutputShape, shapeSize, Tensor } from '@convroute/core';

/**
 * docs/semantics.md's formulas transcribed literally, summed in float64: a second, independent reference
 * that is exact whenever every partial sum is an integer below 2^53 (small-integer data), so the
 * CPU reference can be checked bitwise against it. The transposed conv is written as a scatter
 * (each input tap adds to the output it reaches), unlike the gather of the definition.
 */
export function naiveConv2d(spec: Conv2dSpec, x: Tensor, w: Tensor, bias?: Tensor): Tensor {
  const [n, cOut, hOut, wOut] = conv2dOutputShape(spec);
  const [, cIn, h, wd] = spec.input;
  const [, , kH, kW] = spec.weight;
  const { cInPerGroup, cOutPerGroup } = conv2dChannels(spec);
  const [sH, sW] = spec.stride;
  const [dH, dW] = spec.dilation;
  const [top, left] = spec.padding;
  const acc = new Float64Array(n * cOut * hOut * wOut);
  const X = (b: number, c: number, i: number, j: number) => x.get(b, c, i, j);
  const Y = (b: number, o: number, i: number, j: number) => ((b * cOut + o) * hOut + i) * wOut + j;
  for (let b = 0; b < n; b++) {
    if (!spec.transposed) {
      for (let o = 0; o < cOut; o++) {
        const g = Math.floor(o / cOutPerGroup);
        for (let i = 0; i < hOut; i++)
          for (let j = 0; j < wOut; j++)
            for (let c = 0; c < cInPerGroup; c++)
              for (let p = 0; p < kH; p++)
                for (let q = 0; q < kW; q++) {
                  const r = i * sH - top + p * dH;
                  const s = j * sW - left + q * dW;
                  if (r >= 0 && r < h && s >= 0 && s < wd) acc[Y(b, o, i, j)] += w.get(o, c, p, q) * X(b, g * cInPerGroup + c, r, s);
                }
      }
    } else {
      for (let c = 0; c < cIn; c++) {
        const g = Math.floor(c / cInPerGroup);
        for (let a = 0; a < h; a++)
          for (let e = 0; e < wd; e++)
            for (let o = 0; o < cOutPerGroup; o++)
              for (let p = 0; p < kH; p++)
                for (let q = 0; q < kW; q++) {
                  const i = a * sH - top + p * dH;
                  const j = e * sW - left + q * dW;
                  if (i >= 0 && i < hOut && j >= 0 && j < wOut) acc[Y(b, g * cOutPerGroup + o, i, j)] += X(b, c, a, e) * w.get(c, o, p, q);
                }
      }
    }
  }
  const out = new Float32Array(shapeSize([n, cOut, hOut, wOut]));
  for (let k = 0; k < out.length; k++) {
    const o = Math.floor(k / (hOut * wOut)) % cOut;
    out[k] = applyActivation(spec.activation, Math.fround(acc[k] + (bias ? bias.get(o) : 0)));
  }
  return Tensor.fromData(out, [n, cOut, hOut, wOut]);
}
