import type { DepthwiseConfig } from '../kernels/depthwise.ts';
import type { DirectConfig } from '../kernels/direct.ts';
import type { TransposedConfig } from '../kernels/transposed.ts';
import type { GemmTuning } from './gemm-launch.ts';

/** Code-generation overrides per kernel (research and calibration: the defaults were chosen by
 * measurement on lavapipe; other GPUs reward other tiles). Fields left out keep the default. */
export interface KernelTuning {
  gemm?: Partial<GemmTuning>;
  direct?: Partial<Pick<DirectConfig, 'to' | 'tw' | 'wgX'>>;
  depthwise?: Partial<Pick<DepthwiseConfig, 'tw' | 'th' | 'wgX' | 'wgY' | 'wgZ'>>;
  transposed?: Partial<Pick<TransposedConfig, 'to' | 'tw' | 'wgX'>>;
}
