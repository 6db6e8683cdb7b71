/**
 * What the kernels' defaults depend on about the adapter: `software` (lavapipe, SwiftShader: CPU
 * drivers, where the defaults were measured and dawn.node needs short submissions), `nvidia`
 * (measured on an H200: bench/results/h200-*), or `gpu` (any other hardware adapter: short
 * submissions are not needed, but no kernel was measured there, so it keeps the default kernels).
 * The router's profiles (packages/router/src/detect.ts) tell more families apart; the backend
 * cannot import the router (monorepo.json), and needs only this much.
 */
export type AdapterFamily = 'software' | 'nvidia' | 'gpu';

export interface AdapterInfoFields {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

export function adapterFamily(info: AdapterInfoFields | undefined): AdapterFamily {
  if (!info) return 'software'; // unknown: the cautious choice (short submissions, lavapipe's kernels)
  const all = [info.vendor, info.architecture, info.device, info.description].map((s) => (s ?? '').toLowerCase()).join(' ');
  // lavapipe through dawn.node 0.6.2: vendor 'mesa', architecture 'software', device 'llvmpipe-...',
  // isFallbackAdapter true (docs/decisions.md).
  if (info.isFallbackAdapter === true || /llvmpipe|lavapipe|swiftshader|\bsoftware\b/.test(all)) return 'software';
  if (/nvidia/.test(all)) return 'nvidia';
  return 'gpu';
}
