import { ConvrouteError, type Graph } from '@convroute/core';
import { DEFAULT_ONNX_LIMITS, loadOnnx } from '@convroute/onnx';
import { intList } from './conv-flags.ts';
import { readBytes } from './files.ts';

/** The flags `run --model` and `inspect` share. */
export interface ModelFlags {
  model?: string;
  /** name=N,C,H,W for inputs with symbolic dims. */
  inputShape?: string[];
  foldBatchNorm?: boolean;
}

/** Reads and imports the ONNX model a command names (`--model`, or inspect's argument). */
export async function loadModelFromFlags(flags: ModelFlags, flag = '--model'): Promise<Graph> {
  const path = flags.model!;
  const inputShapes: Record<string, number[]> = Object.create(null);
  for (const item of flags.inputShape ?? []) {
    const i = item.indexOf('=');
    if (i <= 0) throw new ConvrouteError('INVALID_ARGUMENT', '--input-shape', item, 'must be NAME=D1,D2,...');
    const name = item.slice(0, i);
    if (name in inputShapes) throw new ConvrouteError('INVALID_ARGUMENT', '--input-shape', item, `names ${name} twice`);
    inputShapes[name] = intList(`--input-shape ${name}`, item.slice(i + 1), [1, 2, 3, 4, 5, 6, 7, 8]);
  }
  const bytes = await readBytes(flag, path, DEFAULT_ONNX_LIMITS.maxBytes);
  return loadOnnx(bytes, { inputShapes, foldBatchNorm: !!flags.foldBatchNorm });
}
