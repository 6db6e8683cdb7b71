import { type DeviceProfile, profileToJson } from '@convroute/router';
import { h } from '../dom.ts';
import type { GpuState } from '../gpu.ts';

export type DeviceBannerState = 'detecting' | 'ready' | 'no-webgpu' | 'adapter-failed' | 'device-lost';

/** The banner that says what the page found: every state has its own data-state for tests. */
export function setBanner(el: HTMLElement, state: DeviceBannerState, text: string): void {
  el.dataset.state = state;
  el.textContent = text;
}

/** Adapter strings, limits and features as the browser reported them. */
export function adapterTable(gpu: Extract<GpuState, { kind: 'ready' }>): HTMLElement {
  const { info } = gpu.acquired;
  const rows: [string, string][] = [
    ['vendor', info.vendor],
    ['architecture', info.architecture],
    ['device', info.device],
    ['description', info.description],
    ['features', [...gpu.acquired.adapter.features].sort().join(', ')],
    ...Object.entries(gpu.limits).map(([k, v]): [string, string] => [k, String(v)]),
  ];
  return h(
    'table',
    { testid: 'adapter-info' },
    h('tbody', {}, ...rows.map(([k, v]) => h('tr', { 'data-field': k }, h('th', {}, k), h('td', {}, v || '(empty)')))),
  );
}

/** The profile the router derives (family, generation, storage, evidence) and its JSON. */
export function profileView(profile: DeviceProfile): HTMLElement {
  return h(
    'div',
    {},
    h(
      'p',
      { testid: 'profile-summary' },
      'family ',
      h('strong', { testid: 'profile-family' }, profile.family),
      `, generation ${profile.generation ?? 'unknown'}, storage ${profile.storage} (${profile.evidence})`,
    ),
    h('pre', { testid: 'profile-json' }, JSON.stringify(profileToJson(profile), null, 2)),
  );
}
