import { freezeLayers, type SuiteLayer } from './suite-layer.ts';

/**
 * The conv shapes of ExecuTorch's Vulkan backend tests and benchmarks, transcribed from
 * pytorch/executorch at commit cff6f4dd32e630945b7188512c1f2b4f102b05ad (2026-08-22); the files'
 * last-changing commits are noted per source. Converted from PyTorch argument order: input NCHW,
 * weight [O, I/g, kH, kW] (transposed: [I, O/g, kH, kW]), padding [ph, pw] symmetric, stride,
 * dilation, output_padding and groups as given. Layer names say file, config list and index.
 *
 * Not transcribed, on purpose:
 * - cases.py's conv1d cases are 3-D; they are lifted to 2-D here (H = 1, kH = 1, unit stride,
 *   pad 0 and dilation 1 on H), which computes the same values, and marked `.conv1d`.
 * - The int8 quantized conv tests (test_q8ta_conv2d*.cpp, test_q8csw_conv2d.cpp) except the
 *   transposed one: their float geometry repeats model shapes, and their semantics (quantize,
 *   int8 dot products, requantize) are not conv2d over float32. test_q8ta_conv2d_transposed.cpp
 *   is kept for its geometry (the only transposed shapes beyond cases.py); its bias is a zero
 *   tensor, kept as bias: true. Its "easy" debugging case duplicates configs[0] and is left out.
 * - test_conv1d_dw.cpp / test_conv1d_pw.cpp: 1-D ops with their own shaders, not conv2d.
 * Every case ExecuTorch states uses zero padding, so none is skipped for padding mode.
 */

/** backends/vulkan/test/op_tests/cases.py, get_conv_inputs (last changed in e4f6748c4433). */
const CASES_PY = 'executorch backends/vulkan/test/op_tests/cases.py get_conv_inputs';
/** backends/vulkan/test/custom_ops/test_conv2d.cpp (last changed in caeb005e080d): general
 * groups=1 sliding-window conv; the boundary pair straddles #20059's C_out >= 128 im2col rule. */
const TEST_CONV2D = 'executorch backends/vulkan/test/custom_ops/test_conv2d.cpp';
/** backends/vulkan/test/custom_ops/test_conv2d_dw.cpp (last changed in 3699e53fbf29). */
const TEST_CONV2D_DW = 'executorch backends/vulkan/test/custom_ops/test_conv2d_dw.cpp';
/** backends/vulkan/test/custom_ops/test_conv2d_pw.cpp (last changed in 3699e53fbf29). */
const TEST_CONV2D_PW = 'executorch backends/vulkan/test/custom_ops/test_conv2d_pw.cpp';
/** backends/vulkan/test/custom_ops/test_q8ta_conv2d_transposed.cpp (last changed in 3699e53fbf29);
 * OutInChannels(out, in), input [1, in, H, W]. */
const TEST_Q8TA_CONV2D_TRANSPOSED = 'executorch backends/vulkan/test/custom_ops/test_q8ta_conv2d_transposed.cpp';
/** backends/vulkan/test/op_tests/conv2d_gemm_dynamic_test.cpp (last changed in 7af1a4c7a094):
 * 64 -> 64 3x3 s1 p1 with bias, built at 128x128 (3 im2col tiles under the 16 MiB budget) and
 * resized to H = 64, 56, 112 (W stays 128). */
const CONV2D_GEMM_DYNAMIC = 'executorch backends/vulkan/test/op_tests/conv2d_gemm_dynamic_test.cpp';

export const ETVK: readonly SuiteLayer[] = freezeLayers([
  // cases.py: test_cases (grouped, padded, transposed, conv1d, dilated).
  { name: 'cases.conv[0]', source: CASES_PY, init: { input: [1, 64, 256, 256], weight: [64, 32, 3, 3], padding: [1, 1], groups: 2 } },
  { name: 'cases.conv[1]', source: CASES_PY, init: { input: [1, 16, 3, 3], weight: [16, 8, 3, 3], padding: [1, 1], groups: 2 } },
  { name: 'cases.conv[2]', source: CASES_PY, init: { input: [1, 6, 40, 50], weight: [8, 6, 3, 3], bias: true, stride: [1, 2], padding: [2, 3] } },
  {
    name: 'cases.conv[3]',
    source: CASES_PY,
    init: { input: [1, 6, 40, 50], weight: [6, 8, 3, 3], bias: true, stride: [1, 2], padding: [2, 3], transposed: true, outputPadding: [0, 1] },
  },
  { name: 'cases.conv[4]', source: CASES_PY, init: { input: [1, 6, 40, 50], weight: [8, 6, 3, 3], stride: [1, 2], padding: [2, 3] } },
  { name: 'cases.conv[5].conv1d', source: CASES_PY, init: { input: [1, 6, 1, 7], weight: [6, 1, 1, 3], bias: true, groups: 6 } },
  {
    name: 'cases.conv[6].conv1d',
    source: CASES_PY,
    init: { input: [2, 20, 1, 30], weight: [10, 4, 1, 6], bias: true, stride: [1, 5], padding: [0, 5], dilation: [1, 3], groups: 5 },
  },
  { name: 'cases.conv[7].conv1d', source: CASES_PY, init: { input: [1, 9, 1, 11], weight: [9, 1, 1, 3], groups: 9 } },
  {
    name: 'cases.conv[8].conv1d',
    source: CASES_PY,
    init: { input: [5, 15, 1, 30], weight: [20, 3, 1, 3], stride: [1, 3], padding: [0, 5], dilation: [1, 7], groups: 5 },
  },
  { name: 'cases.conv[9]', source: CASES_PY, init: { input: [1, 8, 90, 77], weight: [1, 8, 3, 3], bias: true, padding: [2, 2], dilation: [2, 2] } },
  { name: 'cases.conv_pw[0]', source: CASES_PY, init: { input: [1, 16, 3, 5], weight: [4, 16, 1, 1], bias: true } },
  { name: 'cases.conv_pw[1]', source: CASES_PY, init: { input: [1, 5, 3, 5], weight: [4, 5, 1, 1], bias: true } },
  { name: 'cases.conv_pw[2]', source: CASES_PY, init: { input: [1, 5, 3, 5], weight: [3, 5, 1, 1], bias: true } },
  { name: 'cases.conv_pw[3]', source: CASES_PY, init: { input: [1, 5, 3, 5], weight: [3, 5, 1, 1], bias: true, padding: [1, 0] } },
  { name: 'cases.conv_pw[4]', source: CASES_PY, init: { input: [1, 5, 3, 5], weight: [3, 5, 1, 1], bias: true, padding: [0, 1] } },
  { name: 'cases.conv_pw[5]', source: CASES_PY, init: { input: [1, 5, 3, 5], weight: [3, 5, 1, 1], bias: true, stride: [2, 1], padding: [1, 0] } },
  { name: 'cases.conv_pw[6]', source: CASES_PY, init: { input: [1, 8, 72, 96], weight: [8, 8, 1, 1], bias: true, padding: [1, 1] } },
  { name: 'cases.conv_pw[7]', source: CASES_PY, init: { input: [1, 16, 240, 320], weight: [64, 16, 1, 1], bias: true } },
  { name: 'cases.conv_pw[8]', source: CASES_PY, init: { input: [1, 16, 240, 320], weight: [64, 16, 1, 1], bias: true, stride: [2, 2] } },
  { name: 'cases.conv_pw[9]', source: CASES_PY, init: { input: [1, 16, 240, 320], weight: [64, 16, 1, 1], bias: true, stride: [4, 4], padding: [1, 1] } },
  { name: 'cases.conv_pw[10]', source: CASES_PY, init: { input: [1, 16, 240, 320], weight: [64, 16, 1, 1], bias: true, padding: [4, 4] } },
  { name: 'cases.conv_pw[11]', source: CASES_PY, init: { input: [1, 16, 672, 512], weight: [64, 16, 1, 1], bias: true } },
  { name: 'cases.conv_dw[0]', source: CASES_PY, init: { input: [1, 3, 5, 7], weight: [3, 1, 3, 3], bias: true, padding: [1, 1], groups: 3 } },
  { name: 'cases.conv_dw[1]', source: CASES_PY, init: { input: [1, 3, 5, 7], weight: [3, 1, 5, 5], bias: true, padding: [2, 2], groups: 3 } },
  { name: 'cases.conv_dw[2]', source: CASES_PY, init: { input: [1, 3, 5, 7], weight: [3, 1, 3, 3], bias: true, stride: [2, 1], padding: [1, 1], groups: 3 } },
  { name: 'cases.conv_dw[3]', source: CASES_PY, init: { input: [1, 3, 5, 7], weight: [3, 1, 5, 5], bias: true, stride: [1, 2], padding: [2, 2], groups: 3 } },
  { name: 'cases.conv_dw[4]', source: CASES_PY, init: { input: [1, 11, 5, 7], weight: [11, 1, 3, 3], bias: true, padding: [1, 1], groups: 11 } },
  { name: 'cases.conv_dw[5]', source: CASES_PY, init: { input: [1, 11, 5, 7], weight: [11, 1, 5, 5], bias: true, padding: [2, 2], groups: 11 } },
  { name: 'cases.conv_dw[6]', source: CASES_PY, init: { input: [1, 8, 72, 96], weight: [8, 1, 3, 3], bias: true, padding: [1, 1], groups: 8 } },
  { name: 'cases.conv_dw[7]', source: CASES_PY, init: { input: [1, 8, 72, 96], weight: [8, 1, 5, 5], bias: true, padding: [2, 2], groups: 8 } },
  {
    name: 'cases.conv_dw[8]',
    source: CASES_PY,
    init: { input: [1, 4, 234, 234], weight: [4, 1, 3, 3], bias: true, stride: [2, 1], padding: [1, 1], groups: 4 },
  },
  {
    name: 'cases.conv_dw[9]',
    source: CASES_PY,
    init: { input: [1, 4, 234, 234], weight: [4, 1, 3, 3], bias: true, stride: [1, 2], padding: [1, 1], groups: 4 },
  },
  {
    name: 'cases.conv_dw[10]',
    source: CASES_PY,
    init: { input: [1, 4, 234, 234], weight: [4, 1, 3, 3], bias: true, stride: [2, 2], padding: [1, 1], groups: 4 },
  },
  // test_conv2d.cpp: accuracy_configs, perf_configs (TinyCNN depth estimator), per_variant_configs, boundary_configs.
  { name: 'test_conv2d.accu[0]', source: TEST_CONV2D, init: { input: [1, 8, 8, 8], weight: [8, 8, 3, 3], padding: [1, 1] } },
  { name: 'test_conv2d.accu[1]', source: TEST_CONV2D, init: { input: [1, 8, 8, 8], weight: [8, 8, 3, 3], bias: true, padding: [1, 1] } },
  { name: 'test_conv2d.accu[2]', source: TEST_CONV2D, init: { input: [1, 16, 16, 16], weight: [16, 16, 3, 3], bias: true, padding: [1, 1] } },
  { name: 'test_conv2d.accu[3]', source: TEST_CONV2D, init: { input: [1, 8, 16, 16], weight: [16, 8, 3, 3], stride: [2, 2], padding: [1, 1] } },
  { name: 'test_conv2d.accu[4]', source: TEST_CONV2D, init: { input: [1, 16, 8, 8], weight: [8, 16, 3, 3], padding: [1, 1] } },
  { name: 'test_conv2d.accu[5]', source: TEST_CONV2D, init: { input: [1, 11, 8, 8], weight: [13, 11, 3, 3], padding: [1, 1] } },
  { name: 'test_conv2d.accu[6]', source: TEST_CONV2D, init: { input: [1, 3, 16, 16], weight: [8, 3, 3, 3], stride: [2, 2], padding: [1, 1] } },
  { name: 'test_conv2d.perf[0]', source: TEST_CONV2D, init: { input: [1, 128, 36, 48], weight: [128, 128, 3, 3], bias: true, padding: [1, 1] } },
  { name: 'test_conv2d.perf[1]', source: TEST_CONV2D, init: { input: [1, 256, 18, 24], weight: [256, 256, 3, 3], bias: true, padding: [1, 1] } },
  { name: 'test_conv2d.perf[2]', source: TEST_CONV2D, init: { input: [1, 64, 72, 96], weight: [64, 64, 3, 3], bias: true, padding: [1, 1] } },
  { name: 'test_conv2d.perf[3]', source: TEST_CONV2D, init: { input: [1, 32, 144, 192], weight: [32, 32, 3, 3], bias: true, padding: [1, 1] } },
  { name: 'test_conv2d.perf[4]', source: TEST_CONV2D, init: { input: [1, 64, 36, 48], weight: [64, 64, 3, 3], bias: true, padding: [1, 1] } },
  { name: 'test_conv2d.perf[5]', source: TEST_CONV2D, init: { input: [1, 32, 72, 96], weight: [32, 32, 3, 3], bias: true, padding: [1, 1] } },
  { name: 'test_conv2d.perf[6]', source: TEST_CONV2D, init: { input: [1, 32, 72, 96], weight: [128, 32, 3, 3], stride: [2, 2], padding: [1, 1] } },
  { name: 'test_conv2d.perf[7]', source: TEST_CONV2D, init: { input: [1, 128, 18, 24], weight: [128, 128, 3, 3], bias: true, padding: [1, 1] } },
  { name: 'test_conv2d.perf[8]', source: TEST_CONV2D, init: { input: [1, 128, 18, 24], weight: [64, 128, 3, 3], padding: [1, 1] } },
  { name: 'test_conv2d.perf[9]', source: TEST_CONV2D, init: { input: [1, 64, 36, 48], weight: [32, 64, 3, 3], padding: [1, 1] } },
  { name: 'test_conv2d.perf[10]', source: TEST_CONV2D, init: { input: [1, 32, 72, 96], weight: [32, 32, 3, 3], stride: [2, 2], padding: [1, 1] } },
  { name: 'test_conv2d.perf[11]', source: TEST_CONV2D, init: { input: [1, 64, 36, 48], weight: [64, 64, 3, 3], stride: [2, 2], padding: [1, 1] } },
  { name: 'test_conv2d.perf[12]', source: TEST_CONV2D, init: { input: [1, 3, 144, 192], weight: [32, 3, 3, 3], stride: [2, 2], padding: [1, 1] } },
  { name: 'test_conv2d.variant[0]', source: TEST_CONV2D, init: { input: [1, 16, 16, 16], weight: [16, 16, 3, 3], bias: true, padding: [1, 1] } },
  { name: 'test_conv2d.variant[1]', source: TEST_CONV2D, init: { input: [1, 11, 12, 12], weight: [13, 11, 3, 3], padding: [1, 1] } },
  { name: 'test_conv2d.variant[2]', source: TEST_CONV2D, init: { input: [1, 16, 48, 48], weight: [16, 16, 3, 3], bias: true, padding: [1, 1] } },
  { name: 'test_conv2d.boundary[0]', source: TEST_CONV2D, init: { input: [1, 16, 8, 8], weight: [64, 16, 3, 3], padding: [1, 1] } },
  { name: 'test_conv2d.boundary[1]', source: TEST_CONV2D, init: { input: [1, 16, 8, 8], weight: [128, 16, 3, 3], padding: [1, 1] } },
  // test_conv2d_dw.cpp: accuracy_configs, perf_configs (EdgeTAM depthwise).
  { name: 'test_conv2d_dw.accu[0]', source: TEST_CONV2D_DW, init: { input: [1, 8, 16, 16], weight: [8, 1, 3, 3], padding: [1, 1], groups: 8 } },
  { name: 'test_conv2d_dw.accu[1]', source: TEST_CONV2D_DW, init: { input: [1, 8, 16, 16], weight: [8, 1, 3, 3], bias: true, padding: [1, 1], groups: 8 } },
  { name: 'test_conv2d_dw.accu[2]', source: TEST_CONV2D_DW, init: { input: [1, 8, 16, 16], weight: [8, 1, 5, 5], padding: [2, 2], groups: 8 } },
  { name: 'test_conv2d_dw.accu[3]', source: TEST_CONV2D_DW, init: { input: [1, 8, 16, 16], weight: [8, 1, 3, 3], stride: [2, 2], padding: [1, 1], groups: 8 } },
  { name: 'test_conv2d_dw.accu[4]', source: TEST_CONV2D_DW, init: { input: [1, 11, 16, 16], weight: [11, 1, 3, 3], padding: [1, 1], groups: 11 } },
  { name: 'test_conv2d_dw.accu[5]', source: TEST_CONV2D_DW, init: { input: [1, 3, 16, 16], weight: [3, 1, 3, 3], padding: [1, 1], groups: 3 } },
  {
    name: 'test_conv2d_dw.perf[0]',
    source: TEST_CONV2D_DW,
    init: { input: [1, 24, 512, 512], weight: [24, 1, 3, 3], stride: [2, 2], padding: [1, 1], groups: 24 },
  },
  { name: 'test_conv2d_dw.perf[1]', source: TEST_CONV2D_DW, init: { input: [1, 48, 256, 256], weight: [48, 1, 3, 3], padding: [1, 1], groups: 48 } },
  {
    name: 'test_conv2d_dw.perf[2]',
    source: TEST_CONV2D_DW,
    init: { input: [1, 48, 256, 256], weight: [48, 1, 3, 3], stride: [2, 2], padding: [1, 1], groups: 48 },
  },
  { name: 'test_conv2d_dw.perf[3]', source: TEST_CONV2D_DW, init: { input: [1, 96, 128, 128], weight: [96, 1, 3, 3], padding: [1, 1], groups: 96 } },
  {
    name: 'test_conv2d_dw.perf[4]',
    source: TEST_CONV2D_DW,
    init: { input: [1, 96, 128, 128], weight: [96, 1, 3, 3], stride: [2, 2], padding: [1, 1], groups: 96 },
  },
  { name: 'test_conv2d_dw.perf[5]', source: TEST_CONV2D_DW, init: { input: [1, 192, 64, 64], weight: [192, 1, 3, 3], padding: [1, 1], groups: 192 } },
  {
    name: 'test_conv2d_dw.perf[6]',
    source: TEST_CONV2D_DW,
    init: { input: [1, 192, 64, 64], weight: [192, 1, 3, 3], stride: [2, 2], padding: [1, 1], groups: 192 },
  },
  { name: 'test_conv2d_dw.perf[7]', source: TEST_CONV2D_DW, init: { input: [1, 384, 32, 32], weight: [384, 1, 3, 3], padding: [1, 1], groups: 384 } },
  { name: 'test_conv2d_dw.perf[8]', source: TEST_CONV2D_DW, init: { input: [1, 48, 256, 256], weight: [48, 1, 5, 5], padding: [2, 2], groups: 48 } },
  { name: 'test_conv2d_dw.perf[9]', source: TEST_CONV2D_DW, init: { input: [1, 96, 128, 128], weight: [96, 1, 5, 5], padding: [2, 2], groups: 96 } },
  { name: 'test_conv2d_dw.perf[10]', source: TEST_CONV2D_DW, init: { input: [1, 256, 256, 256], weight: [256, 1, 3, 3], padding: [1, 1], groups: 256 } },
  { name: 'test_conv2d_dw.perf[11]', source: TEST_CONV2D_DW, init: { input: [1, 256, 128, 128], weight: [256, 1, 3, 3], padding: [1, 1], groups: 256 } },
  // test_conv2d_pw.cpp: accuracy_configs, perf_configs (EdgeTAM backbone and FPN).
  { name: 'test_conv2d_pw.accu[0]', source: TEST_CONV2D_PW, init: { input: [1, 16, 8, 8], weight: [32, 16, 1, 1] } },
  { name: 'test_conv2d_pw.accu[1]', source: TEST_CONV2D_PW, init: { input: [1, 32, 8, 8], weight: [16, 32, 1, 1] } },
  { name: 'test_conv2d_pw.accu[2]', source: TEST_CONV2D_PW, init: { input: [1, 16, 8, 8], weight: [32, 16, 1, 1], bias: true } },
  { name: 'test_conv2d_pw.accu[3]', source: TEST_CONV2D_PW, init: { input: [1, 48, 16, 16], weight: [96, 48, 1, 1] } },
  { name: 'test_conv2d_pw.accu[4]', source: TEST_CONV2D_PW, init: { input: [1, 96, 16, 16], weight: [48, 96, 1, 1] } },
  { name: 'test_conv2d_pw.accu[5]', source: TEST_CONV2D_PW, init: { input: [1, 13, 8, 8], weight: [27, 13, 1, 1] } },
  { name: 'test_conv2d_pw.accu[6]', source: TEST_CONV2D_PW, init: { input: [1, 33, 8, 8], weight: [17, 33, 1, 1] } },
  { name: 'test_conv2d_pw.perf[0]', source: TEST_CONV2D_PW, init: { input: [1, 48, 256, 256], weight: [96, 48, 1, 1] } },
  { name: 'test_conv2d_pw.perf[1]', source: TEST_CONV2D_PW, init: { input: [1, 96, 256, 256], weight: [48, 96, 1, 1] } },
  { name: 'test_conv2d_pw.perf[2]', source: TEST_CONV2D_PW, init: { input: [1, 96, 128, 128], weight: [192, 96, 1, 1] } },
  { name: 'test_conv2d_pw.perf[3]', source: TEST_CONV2D_PW, init: { input: [1, 192, 128, 128], weight: [96, 192, 1, 1] } },
  { name: 'test_conv2d_pw.perf[4]', source: TEST_CONV2D_PW, init: { input: [1, 192, 64, 64], weight: [384, 192, 1, 1] } },
  { name: 'test_conv2d_pw.perf[5]', source: TEST_CONV2D_PW, init: { input: [1, 384, 64, 64], weight: [192, 384, 1, 1] } },
  { name: 'test_conv2d_pw.perf[6]', source: TEST_CONV2D_PW, init: { input: [1, 384, 32, 32], weight: [768, 384, 1, 1] } },
  { name: 'test_conv2d_pw.perf[7]', source: TEST_CONV2D_PW, init: { input: [1, 768, 32, 32], weight: [384, 768, 1, 1] } },
  { name: 'test_conv2d_pw.perf[8]', source: TEST_CONV2D_PW, init: { input: [1, 48, 256, 256], weight: [256, 48, 1, 1] } },
  { name: 'test_conv2d_pw.perf[9]', source: TEST_CONV2D_PW, init: { input: [1, 256, 256, 256], weight: [32, 256, 1, 1] } },
  { name: 'test_conv2d_pw.perf[10]', source: TEST_CONV2D_PW, init: { input: [1, 96, 128, 128], weight: [256, 96, 1, 1] } },
  { name: 'test_conv2d_pw.perf[11]', source: TEST_CONV2D_PW, init: { input: [1, 256, 128, 128], weight: [64, 256, 1, 1] } },
  // test_q8ta_conv2d_transposed.cpp: configs (geometry only, see above).
  {
    name: 'test_q8ta_conv2d_transposed[0]',
    source: TEST_Q8TA_CONV2D_TRANSPOSED,
    init: { input: [1, 32, 8, 8], weight: [32, 16, 3, 3], bias: true, stride: [2, 2], padding: [1, 1], transposed: true, outputPadding: [1, 1] },
  },
  {
    name: 'test_q8ta_conv2d_transposed[1]',
    source: TEST_Q8TA_CONV2D_TRANSPOSED,
    init: { input: [1, 64, 4, 4], weight: [64, 32, 3, 3], bias: true, stride: [2, 2], padding: [1, 1], transposed: true, outputPadding: [1, 1] },
  },
  {
    name: 'test_q8ta_conv2d_transposed[2]',
    source: TEST_Q8TA_CONV2D_TRANSPOSED,
    init: { input: [1, 32, 8, 8], weight: [32, 16, 4, 4], bias: true, stride: [2, 2], padding: [1, 1], transposed: true },
  },
  {
    name: 'test_q8ta_conv2d_transposed[3]',
    source: TEST_Q8TA_CONV2D_TRANSPOSED,
    init: { input: [1, 16, 8, 8], weight: [16, 16, 3, 3], bias: true, padding: [1, 1], transposed: true },
  },
  {
    name: 'test_q8ta_conv2d_transposed[4]',
    source: TEST_Q8TA_CONV2D_TRANSPOSED,
    init: { input: [1, 64, 8, 8], weight: [64, 16, 3, 3], bias: true, stride: [2, 2], padding: [1, 1], groups: 2, transposed: true, outputPadding: [1, 1] },
  },
  {
    name: 'test_q8ta_conv2d_transposed[5]',
    source: TEST_Q8TA_CONV2D_TRANSPOSED,
    init: { input: [1, 128, 16, 16], weight: [128, 64, 4, 4], bias: true, stride: [2, 2], padding: [1, 1], transposed: true },
  },
  {
    name: 'test_q8ta_conv2d_transposed[6]',
    source: TEST_Q8TA_CONV2D_TRANSPOSED,
    init: { input: [1, 128, 32, 32], weight: [128, 64, 3, 3], bias: true, stride: [2, 2], padding: [1, 1], transposed: true, outputPadding: [1, 1] },
  },
  {
    name: 'test_q8ta_conv2d_transposed[7]',
    source: TEST_Q8TA_CONV2D_TRANSPOSED,
    init: { input: [1, 256, 16, 16], weight: [256, 128, 4, 4], bias: true, stride: [2, 2], padding: [1, 1], transposed: true },
  },
  // conv2d_gemm_dynamic_test.cpp: the build shape and each resized shape (128x128 repeats the build).
  {
    name: 'conv2d_gemm_dynamic[128x128]',
    source: CONV2D_GEMM_DYNAMIC,
    init: { input: [1, 64, 128, 128], weight: [64, 64, 3, 3], bias: true, padding: [1, 1] },
  },
  { name: 'conv2d_gemm_dynamic[64x128]', source: CONV2D_GEMM_DYNAMIC, init: { input: [1, 64, 64, 128], weight: [64, 64, 3, 3], bias: true, padding: [1, 1] } },
  { name: 'conv2d_gemm_dynamic[56x128]', source: CONV2D_GEMM_DYNAMIC, init: { input: [1, 64, 56, 128], weight: [64, 64, 3, 3], bias: true, padding: [1, 1] } },
  {
    name: 'conv2d_gemm_dynamic[112x128]',
    source: CONV2D_GEMM_DYNAMIC,
    init: { input: [1, 64, 112, 128], weight: [64, 64, 3, 3], bias: true, padding: [1, 1] },
  },
]);
