import { BUILTIN_POLICY_NAMES, type DeviceProfile, namedProfile, PROFILE_NAMES, profileToJson } from '@convroute/router';
import { benchSection } from './bench-section.ts';
import { byTestId, h } from './dom.ts';
import { downloadJson } from './download.ts';
import { type DeviceLoss, type GpuState, openGpu } from './gpu.ts';
import { type RouteRow, routeSuite } from './routing.ts';
import { type LayerResult, type RunControl, runSuite, summarize } from './run-suite.ts';
import { isPageSuite, PAGE_SUITES, type PageSuite, pageSuite } from './suites.ts';
import { Verifier } from './verifier.ts';
import { adapterTable, profileView, setBanner } from './views/device-view.ts';
import { ResultsView } from './views/results-view.ts';
import { routesTable } from './views/routes-view.ts';

const ADAPTER = 'this adapter';

function select(testid: string, options: readonly string[], value: string): HTMLSelectElement {
  const s = h('select', { testid }, ...options.map((o) => h('option', { value: o }, o)));
  s.value = value;
  return s;
}

/** The page: device, routing, run and verify. State lives here; views are rebuilt from it. */
export async function startApp(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const banner = h('div', { class: 'banner', testid: 'gpu-status' });
  setBanner(banner, 'detecting', 'Looking for WebGPU…');
  const adapterBox = h('div', {});
  const suiteSel = select('suite-select', PAGE_SUITES, isPageSuite(params.get('suite')) ? (params.get('suite') as PageSuite) : 'smoke');
  const policySel = select('policy-select', BUILTIN_POLICY_NAMES, params.get('policy') ?? 'etvk');
  const profileSel = select('profile-select', [ADAPTER, ...PROFILE_NAMES], params.get('profile') ?? ADAPTER);
  const routesBox = h('div', {});
  const runBtn = h('button', { testid: 'run-button', disabled: true }, 'Run and verify');
  const seedInput = h('input', { testid: 'seed-input', type: 'number', value: params.get('seed') ?? '1', style: 'width:6rem' });
  const progress = h('progress', { testid: 'run-progress', max: 1, value: 0 });
  const progressText = h('span', { testid: 'run-progress-text' }, '');
  const resultsBox = h('div', {});
  const verdict = h('div', { class: 'verdict', testid: 'verdict', 'data-state': 'idle' });
  const downloadResults = h('button', { testid: 'download-results', disabled: true }, 'Download results (JSON)');
  const downloadProfile = h('button', { testid: 'download-profile', disabled: true }, 'Download device profile (JSON)');

  root.replaceChildren(
    h('section', {}, h('h2', {}, 'Device'), banner, adapterBox, h('div', { class: 'controls' }, downloadProfile)),
    h(
      'section',
      {},
      h('h2', {}, 'Routes'),
      h('div', { class: 'controls' }, h('label', {}, 'suite ', suiteSel), h('label', {}, 'policy ', policySel), h('label', {}, 'route as ', profileSel)),
      routesBox,
    ),
    h(
      'section',
      {},
      h('h2', {}, 'Run on WebGPU and verify against the exact CPU reference'),
      h('div', { class: 'controls' }, runBtn, h('label', {}, 'data seed ', seedInput), progress, progressText, downloadResults),
      resultsBox,
      verdict,
    ),
  );

  let gpu: GpuState | null = null;
  let lost: DeviceLoss | null = null;
  let rows: RouteRow[] = [];
  let running: RunControl | null = null;
  let report: unknown = null;
  let calibrated: DeviceProfile | null = null;

  const routingProfile = (): DeviceProfile => {
    if (profileSel.value !== ADAPTER) return namedProfile(profileSel.value);
    if (calibrated) return calibrated;
    return gpu?.kind === 'ready' ? gpu.profile : namedProfile('unknown');
  };
  const controls = [suiteSel, policySel, profileSel];
  /** One run at a time holds the GPU: the verify run or the bench. */
  const begin = (): RunControl | null => {
    if (!canRun()) return null;
    running = { abort: null };
    runBtn.disabled = true;
    for (const c of controls) c.disabled = true;
    bench.refresh();
    return running;
  };
  const end = () => {
    running = null;
    for (const c of controls) c.disabled = false;
    runBtn.disabled = !canRun();
    bench.refresh();
  };
  const bench = benchSection(
    {
      gpu: () => (gpu?.kind === 'ready' && !lost ? gpu : null),
      suite: () => suiteSel.value as PageSuite,
      busy: () => running !== null,
      begin,
      end,
      onCalibrated: (p) => {
        calibrated = p;
        if (![...policySel.options].some((o) => o.value === 'calibrated')) policySel.append(h('option', { value: 'calibrated' }, 'calibrated'));
        reroute();
      },
    },
    params,
  );
  root.append(bench.section);
  const canRun = () => gpu?.kind === 'ready' && !lost && !running;
  const reroute = () => {
    const backend = gpu?.kind === 'ready' ? gpu.backend : null;
    rows = routeSuite(pageSuite(suiteSel.value as PageSuite), policySel.value, routingProfile(), backend);
    routesBox.replaceChildren(routesTable(rows));
  };
  for (const s of [suiteSel, policySel, profileSel]) s.addEventListener('change', reroute);

  const onLost = (loss: DeviceLoss) => {
    lost = loss;
    if (running) running.abort = `device lost (${loss.reason})`;
    setBanner(banner, 'device-lost', `The GPU device was lost (${loss.reason}: ${loss.message}). Reload the page to get a new device.`);
    runBtn.disabled = true;
    bench.refresh();
  };

  gpu = await openGpu(onLost);
  if (gpu.kind === 'ready') {
    const { info } = gpu.acquired;
    if (!lost)
      setBanner(banner, 'ready', `WebGPU ready: ${[info.vendor, info.architecture, info.device].filter(Boolean).join(' / ') || 'adapter with empty info'}`);
    adapterBox.replaceChildren(adapterTable(gpu), profileView(gpu.profile));
    downloadProfile.disabled = false;
    const profile = gpu.profile;
    downloadProfile.onclick = () => downloadJson(`convroute-profile-${profile.name}.json`, profileToJson(profile));
  } else {
    setBanner(banner, gpu.kind, gpu.message);
    adapterBox.replaceChildren(h('p', {}, 'Routes below use the profile chosen in "route as" (the unknown family when no adapter).'));
  }
  reroute();
  runBtn.disabled = !canRun();
  bench.refresh();

  const verifier = new Verifier();
  runBtn.onclick = async () => {
    const ready = gpu;
    const control = ready?.kind === 'ready' ? begin() : null;
    if (ready?.kind !== 'ready' || !control) return;
    downloadResults.disabled = true;
    setVerdict(verdict, 'running', 'Running…');
    const runRows = rows;
    const view = new ResultsView(runRows.map((r) => r.name));
    resultsBox.replaceChildren(view.table);
    const seed = Number.parseInt(seedInput.value, 10) || 1;
    const started = performance.now();
    let done = 0;
    progress.max = runRows.length;
    progress.value = 0;
    progressText.textContent = `0 / ${runRows.length}`;
    const results = await runSuite(runRows, ready.backend, verifier, {
      seed,
      control,
      onLayer: (i, r: LayerResult) => {
        view.update(i, r);
        if (r.status !== 'not-run') {
          done++;
          progress.value = done;
          progressText.textContent = `${done} / ${runRows.length}`;
        }
      },
      afterGpuLayer: params.get('simulate') === 'device-lost' ? (i) => i === 0 && ready.acquired.device.destroy() : undefined,
    });
    const summary = summarize(results, control.abort);
    for (const [i, r] of results.entries()) view.update(i, r);
    report = {
      format: 'convroute-playground-verify',
      version: 1,
      createdAt: new Date().toISOString(),
      userAgent: navigator.userAgent,
      suite: suiteSel.value,
      policy: policySel.value,
      routeAs: profileSel.value,
      seed,
      backend: { name: ready.backend.name, description: ready.backend.description },
      adapter: ready.acquired.info,
      deviceProfile: profileToJson(ready.profile),
      routingProfile: profileToJson(routingProfile()),
      aborted: control.abort,
      wallMs: performance.now() - started,
      summary,
      layers: results.map((r, i) => ({ ...r, reasons: runRows[i].reasons })),
    };
    if (summary.passed)
      setVerdict(
        verdict,
        'passed',
        `verification passed: ${summary.verified} of ${summary.layers} layers within the error bound (worst error/bound ${summary.worstRatio.toPrecision(3)})`,
      );
    else {
      const why = control.abort ? `run stopped: ${control.abort}; ` : '';
      setVerdict(
        verdict,
        'failed',
        `verification FAILED: ${why}${summary.verified} passed, ${summary.failed} over the bound, ${summary.errors} errors, ${summary.notRun} not run`,
      );
    }
    downloadResults.disabled = false;
    end();
  };
  downloadResults.onclick = () => report && downloadJson(`convroute-verify-${suiteSel.value}.json`, report);
  // Marks the page as interactive for tests and scripts.
  byTestId('app').dataset.ready = 'true';
}

function setVerdict(el: HTMLElement, state: string, text: string): void {
  el.dataset.state = state;
  el.textContent = text;
}
