import {
  CONV_METHODS,
  type Conv2dSpec,
  type ConvMethod,
  ConvrouteError,
  conv2dChannels,
  convMethodRejection,
  isConvMethod,
  type Reason,
} from '@convroute/core';
import { calibratedFromProfile } from './calibrate/calibration-doc.ts';
import { classifyWithReasons } from './classify.ts';
import { classMethod, fittingMethod, type Policy, type RouteDecision } from './decision.ts';
import type { DeviceProfile } from './profile.ts';
import { parseRuleTable, tablePolicy } from './rule-table.ts';
import { TFLITE_TABLE } from './tflite-policy.ts';

/** PR #20059: on Adreno (texture path) im2col pays for its gather only from this many output
 * channels on; below it the direct shader is faster. */
const ETVK_COUT_THRESHOLD = 128;

/**
 * ExecuTorch Vulkan after PR #20059 (`should_use_conv2d_im2col` in Convolution.cpp): a
 * SlidingWindow conv with groups == 1, dilation 1 and a kernel larger than 1x1 goes to im2col +
 * GEMM when the GPU is a Mali or C_out >= 128. Only SlidingWindow convs are considered: the PR
 * review found transposed convs slipping into im2col, and the landed code guards on the class.
 * A method whose buffers exceed the device's binding limits gives way to one that fits
 * (fittingMethod): ExecuTorch's rule ignores them, and Mali's 128 MiB binding refused im2col.
 */
function etvkDecide(spec: Conv2dSpec, profile: DeviceProfile): RouteDecision {
  const { class: cls, reasons } = classifyWithReasons(spec);
  const done = (method: ConvMethod): RouteDecision => ({
    method: fittingMethod(method, spec, profile, reasons),
    class: cls,
    policy: 'etvk',
    storage: profile.storage,
    reasons,
  });
  if (cls !== 'SlidingWindow') return done(classMethod(cls, spec, reasons));

  const [, , kH, kW] = spec.weight;
  const [dH, dW] = spec.dilation;
  const checks: Reason[] = [
    { rule: 'etvk.groups', holds: spec.groups === 1, detail: 'groups == 1', values: { groups: spec.groups } },
    { rule: 'etvk.dilation', holds: dH === 1 && dW === 1, detail: 'dilation == (1, 1)', values: { dilation: [dH, dW] } },
    { rule: 'etvk.kernel', holds: kH * kW > 1, detail: 'kH * kW > 1 (1x1 has the pointwise shader)', values: { kH, kW } },
  ];
  // Preconditions are tested in order and stop at the first that fails, as the C++ returns early.
  for (const c of checks) {
    reasons.push(c);
    if (!c.holds) return done('direct');
  }
  const mali = profile.family === 'mali';
  reasons.push({ rule: 'etvk.mali', holds: mali, detail: 'device is a Mali (buffer storage)', values: { family: profile.family } });
  if (mali) return done('im2col-gemm');
  const { cOut } = conv2dChannels(spec);
  const wide = cOut >= ETVK_COUT_THRESHOLD;
  reasons.push({ rule: 'etvk.cout', holds: wide, detail: `C_out >= ${ETVK_COUT_THRESHOLD}`, values: { cOut, threshold: ETVK_COUT_THRESHOLD } });
  return done(wide ? 'im2col-gemm' : 'direct');
}

export const etvk: Policy = {
  name: 'etvk',
  description: 'ExecuTorch Vulkan after PR #20059: im2col-gemm for SlidingWindow convs on Mali or with C_out >= 128',
  decide: etvkDecide,
};

/** ExecuTorch Vulkan before PR #20059: each class's own shader, SlidingWindow always direct. */
export const etvkLegacy: Policy = {
  name: 'etvk-legacy',
  description: 'ExecuTorch Vulkan before PR #20059: every SlidingWindow conv runs the direct shader',
  decide(spec, profile) {
    const { class: cls, reasons } = classifyWithReasons(spec);
    if (cls === 'SlidingWindow') {
      reasons.push({ rule: 'etvk-legacy.direct', holds: true, detail: 'before PR #20059 every SlidingWindow conv ran the direct shader', values: {} });
    }
    return { method: classMethod(cls, spec, reasons, profile), class: cls, policy: 'etvk-legacy', storage: profile.storage, reasons };
  },
};

/**
 * `always:<method>`: that method for every conv it can compute. Where it cannot (im2col-gemm for
 * a transposed conv, pointwise for a 3x3), it falls back to the class's own kernel, as
 * etvk-legacy would choose, and the reason `always.fallback` says why; where its buffers exceed
 * the device's limits, to the class's kernel or another that fits (reason `limits.fallback`).
 */
export function alwaysPolicy(method: ConvMethod): Policy {
  const name = `always:${method}`;
  return {
    name,
    description: `${method} wherever it can compute the conv; elsewhere the class's own kernel`,
    insists: method,
    decide(spec, profile) {
      const { class: cls, reasons } = classifyWithReasons(spec);
      const done = (m: ConvMethod): RouteDecision => ({
        method: fittingMethod(m, spec, profile, reasons),
        class: cls,
        policy: name,
        storage: profile.storage,
        reasons,
      });
      const rejection = convMethodRejection(method, spec);
      if (rejection === null) {
        reasons.push({ rule: 'always', holds: true, detail: `${method} can compute this conv`, values: { method } });
        return done(method);
      }
      reasons.push({ rule: 'always.fallback', holds: true, detail: `${rejection}; falling back to the ${cls} kernel`, values: { method } });
      return done(classMethod(cls, spec, reasons));
    },
  };
}

export const BUILTIN_POLICY_NAMES = ['etvk', 'etvk-legacy', 'tflite', ...CONV_METHODS.map((m) => `always:${m}`)];

/** TFLite GPU's selector as data (tflite-policy.ts), run by the rule-table engine. */
export const tflite: Policy = tablePolicy(parseRuleTable(TFLITE_TABLE, 'tflite'));

/** A built-in policy by name: `etvk`, `etvk-legacy`, `tflite`, `always:<method>`. */
export function builtinPolicy(name: string): Policy {
  if (name === 'etvk') return etvk;
  if (name === 'etvk-legacy') return etvkLegacy;
  if (name === 'tflite') return tflite;
  if (name === 'calibrated') return calibratedFromProfile;
  if (name.startsWith('always:')) {
    const m = name.slice('always:'.length);
    if (!isConvMethod(m)) throw new ConvrouteError('INVALID_POLICY', 'policy', name, `unknown method "${m}" in always:<method>`);
    return alwaysPolicy(m);
  }
  throw new ConvrouteError('INVALID_POLICY', 'policy', name, `unknown policy; built in: ${BUILTIN_POLICY_NAMES.join(', ')}, or a rule-table file`);
}
