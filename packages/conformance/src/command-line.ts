import { activationToString, type Conv2dSpec } from '@convroute/core';

export interface CommandLineOptions {
  /** File names for the tensors (default x.npy, w.npy, b.npy). */
  files?: { input?: string; weight?: string; bias?: string; output?: string };
  /** Append `--method <m>`. */
  method?: string;
  /** Append `--backend <name>`. */
  backend?: string;
  /** Append `--mode <exact|fast>` (the CPU backend's modes). */
  mode?: 'exact' | 'fast';
}

const quote = (s: string): string => (/^[\w./:,=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** A ready-to-run `convroute conv2d` command line that reproduces a spec (docs/semantics.md;
 * padding as top,left,bottom,right). */
export function specToCommandLine(spec: Conv2dSpec, options: CommandLineOptions = {}): string {
  const f = options.files ?? {};
  const parts = ['pnpm', 'convroute', 'conv2d', '--input', quote(f.input ?? 'x.npy'), '--weight', quote(f.weight ?? 'w.npy')];
  if (spec.bias) parts.push('--bias', quote(f.bias ?? 'b.npy'));
  parts.push('--stride', spec.stride.join(','), '--padding', spec.padding.join(','), '--dilation', spec.dilation.join(','), '--groups', String(spec.groups));
  if (spec.transposed) parts.push('--transposed', '--output-padding', spec.outputPadding.join(','));
  if (spec.activation.kind !== 'none') parts.push('--activation', activationToString(spec.activation));
  if (options.method) parts.push('--method', options.method);
  if (options.backend) parts.push('--backend', options.backend);
  if (options.mode) parts.push('--mode', options.mode);
  parts.push('--output', quote(f.output ?? 'y.npy'));
  return parts.join(' ');
}

/** A compact one-line description of a spec for messages and test names. */
export function describeSpec(spec: Conv2dSpec): string {
  const act = spec.activation.kind === 'none' ? '' : ` act=${activationToString(spec.activation)}`;
  const tr = spec.transposed ? ` transposed op=${spec.outputPadding.join(',')}` : '';
  return (
    `x=[${spec.input.join(',')}] w=[${spec.weight.join(',')}]${spec.bias ? ' bias' : ''} stride=${spec.stride.join(',')} ` +
    `pad=${spec.padding.join(',')} dil=${spec.dilation.join(',')} groups=${spec.groups}${tr}${act}`
  );
}
