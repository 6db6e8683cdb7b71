import type { Family } from './device-family.ts';
import type { RuleTable } from './rule-types.ts';

/** Where TFLite GPU's Winograd rules are read from (the commit the table was checked against). */
const TFLITE = 'tensorflow/tensorflow@02ef3719757952ddccad972679dc245b8f0dbdba';
const SELECTOR = `${TFLITE} tensorflow/lite/delegates/gpu/common/selectors/operation_selector.cc`;

// IsSuitableForWinograd4x4To6x6 (common/winograd_util.cc): 3x3, stride 1, dilation 1, groups 1.
const WINOGRAD_SHAPE = { class: 'SlidingWindow', transposed: false, kernel: 3, stride: 1, dilation: 1, groups: 1 } as const;
const OTHER_FAMILIES: Family[] = ['mali', 'apple', 'nvidia', 'intel', 'powervr', 'swiftshader', 'llvmpipe', 'unknown'];

/**
 * TFLite GPU's conv selection as a rule table. IsRecommendedForWinograd4x4To6x6 counts
 * src_depth = ceil(C_in / 4) and dst_depth = ceil(C_out / 4) slices and tiles_x * tiles_y 4x4
 * output tiles: depths >= 16 (C >= 61) and 32 tiles; on Adreno depths >= 32 (C >= 125) and 64
 * tiles, 128 on Adreno 6xx; on AMD dst_depth >= 8 (C_out >= 29). Every other conv goes to
 * SelectConvolution / SelectDWConvolution / SelectConvolutionTransposed, whose kernels map to
 * convroute's direct (ConvGeneric), pointwise (1x1), depthwise and transposed. A Winograd rule
 * whose method this build or backend lacks (or that has no kernel at the session's precision)
 * falls through to the next rule.
 */
export const TFLITE_TABLE: RuleTable = {
  name: 'tflite',
  description: "TFLite GPU's selector: Winograd F(4x4, 3x3) for 3x3 stride-1 convs with enough channels and output tiles, else each class's kernel",
  source: `${SELECTOR} (IsRecommendedForWinograd4x4To6x6, GPUOperationFromNodePart0); ${TFLITE} tensorflow/lite/delegates/gpu/common/winograd_util.cc (IsSuitableForWinograd4x4To6x6)`,
  rules: [
    {
      name: 'winograd-adreno-6xx',
      why: 'Adreno 6xx: src/dst depth >= 32 and >= 128 tiles',
      when: { ...WINOGRAD_SHAPE, family: 'adreno', generation: '6xx', cIn: { min: 125 }, cOut: { min: 125 }, tiles4x4: { min: 128 } },
      method: 'winograd-4x3',
    },
    {
      // Without this, a 6xx with 64-127 tiles would fall to the next rule's 64-tile threshold.
      name: 'adreno-6xx-below-winograd',
      why: 'Adreno 6xx under the 128-tile or 125-channel threshold: no Winograd there (IsAdreno6xx), the generic conv',
      when: { ...WINOGRAD_SHAPE, family: 'adreno', generation: '6xx' },
      method: 'direct',
    },
    {
      name: 'winograd-adreno',
      why: 'other Adreno: src/dst depth >= 32 and >= 64 tiles',
      when: { ...WINOGRAD_SHAPE, family: 'adreno', cIn: { min: 125 }, cOut: { min: 125 }, tiles4x4: { min: 64 } },
      method: 'winograd-4x3',
    },
    {
      name: 'winograd-amd',
      why: 'AMD: src depth >= 16, dst depth >= 8, >= 32 tiles',
      when: { ...WINOGRAD_SHAPE, family: 'amd', cIn: { min: 61 }, cOut: { min: 29 }, tiles4x4: { min: 32 } },
      method: 'winograd-4x3',
    },
    {
      name: 'winograd',
      why: 'src/dst depth >= 16 and >= 32 tiles',
      when: { ...WINOGRAD_SHAPE, family: OTHER_FAMILIES, cIn: { min: 61 }, cOut: { min: 61 }, tiles4x4: { min: 32 } },
      method: 'winograd-4x3',
    },
    { name: 'depthwise', why: 'SelectDWConvolution', when: { class: 'Depthwise' }, method: 'depthwise' },
    { name: 'transposed', why: 'SelectConvolutionTransposed', when: { class: 'Transposed' }, method: 'transposed' },
    { name: 'pointwise', why: 'SelectConvolution: 1x1 kernels (ConvBuffer1x1 where the GPU has it)', when: { class: 'Pointwise' }, method: 'pointwise' },
    { name: 'generic', why: 'SelectConvolution: ConvGeneric, a direct conv', when: {}, method: 'direct' },
  ],
};
