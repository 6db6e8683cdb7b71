import { type Activation, CONV_METHODS, type Conv2dAttrs, type ConvMethod, ConvrouteError, PRECISIONS, type Precision } from '@convroute/core';
import type { Command } from 'commander';

/** Parses "a,b,..." into integers, naming the flag in errors. */
export function intList(flag: string, text: string, lengths: readonly number[]): number[] {
  const parts = text.split(',').map((s) => s.trim());
  if (!lengths.includes(parts.length) || parts.some((p) => !/^-?\d+$/.test(p))) {
    throw new ConvrouteError('INVALID_ARGUMENT', flag, text, `must be ${lengths.map((n) => `${n} comma-separated integers`).join(' or ')}`);
  }
  return parts.map((p) => Number.parseInt(p, 10));
}

export function parseActivation(text: string): Activation {
  if (text === 'none' || text === 'relu') return { kind: text };
  const m = /^clamp:([^,]+),([^,]+)$/.exec(text);
  const lo = m ? Number(m[1]) : Number.NaN;
  const hi = m ? Number(m[2]) : Number.NaN;
  if (!m || Number.isNaN(lo) || Number.isNaN(hi)) {
    throw new ConvrouteError('INVALID_ARGUMENT', '--activation', text, 'must be none, relu or clamp:LO,HI');
  }
  return { kind: 'clamp', min: lo, max: hi };
}

export function parseMethod(text: string): ConvMethod | 'auto' {
  if (text === 'auto' || (CONV_METHODS as readonly string[]).includes(text)) return text as ConvMethod | 'auto';
  throw new ConvrouteError('INVALID_ARGUMENT', '--method', text, `must be auto or one of ${CONV_METHODS.join(', ')}`);
}

/** The one `--backend` every command takes, defaulting like the library (auto). */
export function checkBackend(text: string, allowed: readonly string[] = ['auto', 'cpu', 'webgpu']): void {
  if (!allowed.includes(text)) throw new ConvrouteError('INVALID_ARGUMENT', '--backend', text, `must be ${allowed.join(', ')}`);
}

/** The one `--mode` every command takes (the CPU backend's exact or fast arithmetic). */
export function checkMode(text: string | undefined): void {
  if (text !== undefined && text !== 'exact' && text !== 'fast') throw new ConvrouteError('INVALID_ARGUMENT', '--mode', text, 'must be exact or fast');
}

/** The one `--precision` every command that runs convs takes (absent: f32). */
export function checkPrecision(text: string | undefined): Precision | undefined {
  if (text === undefined) return undefined;
  if (!(PRECISIONS as readonly string[]).includes(text)) throw new ConvrouteError('INVALID_ARGUMENT', '--precision', text, `must be ${PRECISIONS.join(', ')}`);
  return text as Precision;
}

/** The --precision option's help, one text for every command. */
export const PRECISION_HELP =
  'webgpu only: f32 (default); f16-storage (input, weights, bias stored as f16, f32 products and sums) or f16 (f16 products and sums too), on an adapter with shader-f16, for direct, pointwise and im2col-gemm';

/** The conv attribute flags shared by `conv2d`, `route` and `bench`. */
export function addConvAttributeFlags(cmd: Command): Command {
  return cmd
    .option('--stride <S|SH,SW>', 'stride: one for both axes or per axis (default 1)')
    .option(
      '--padding <P|PH,PW|T,L,B,R|same|valid>',
      "zero padding: all sides, symmetric per axis, four sides, or 'same' (ONNX SAME_UPPER) / 'valid' (0) (default 0)",
    )
    .option('--dilation <D|DH,DW>', 'dilation: one for both axes or per axis (default 1)')
    .option('--groups <G>', 'groups (default 1)')
    .option('--transposed', 'conv-transpose2d (weight [C_in, C_out/g, kH, kW])')
    .option('--output-padding <OH,OW>', 'transposed only: extra rows/columns at the end (default 0,0)')
    .option('--activation <none|relu|clamp:LO,HI>', 'applied after rounding (default none)');
}

export interface ConvAttributeFlags {
  stride?: string;
  padding?: string;
  dilation?: string;
  groups?: string;
  transposed?: boolean;
  outputPadding?: string;
  activation?: string;
}

/** One integer (the library's scalar form, both axes / all sides) or the listed lengths. */
function scalarOrList(flag: string, text: string, lengths: readonly number[]): number | number[] {
  const v = intList(flag, text, [1, ...lengths]);
  return v.length === 1 ? v[0] : v;
}

export function convAttrsFromFlags(f: ConvAttributeFlags): Conv2dAttrs {
  const attrs: Conv2dAttrs = {};
  if (f.stride !== undefined) attrs.stride = scalarOrList('--stride', f.stride, [2]);
  if (f.padding !== undefined) {
    attrs.padding = f.padding === 'same' || f.padding === 'valid' ? f.padding : scalarOrList('--padding', f.padding, [2, 4]);
  }
  if (f.dilation !== undefined) attrs.dilation = scalarOrList('--dilation', f.dilation, [2]);
  if (f.groups !== undefined) attrs.groups = intList('--groups', f.groups, [1])[0];
  if (f.transposed) attrs.transposed = true;
  if (f.outputPadding !== undefined) attrs.outputPadding = intList('--output-padding', f.outputPadding, [2]);
  if (f.activation !== undefined) attrs.activation = parseActivation(f.activation);
  return attrs;
}
