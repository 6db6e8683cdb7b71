import { type Activation, applyActivation } from '@convroute/core';

/** Applies an activation in place, after rounding (docs/semantics.md, "Activations": exact on float32). */
export function activateInPlace(out: Float32Array, act: Activation): void {
  if (act.kind === 'none') return;
  for (let i = 0; i < out.length; i++) out[i] = applyActivation(act, out[i]);
}
