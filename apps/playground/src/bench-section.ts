import { type DeviceProfile, profileFromJson } from '@convroute/router';
import { BENCH_TIMING, type BenchLayer, benchShapes } from './bench.ts';
import { toBenchFile } from './bench-file.ts';
import { type Calibration, calibrateFromBench } from './calibrate.ts';
import { h } from './dom.ts';
import { downloadJson } from './download.ts';
import type { GpuState } from './gpu.ts';
import type { RunControl } from './run-suite.ts';
import { type PageSuite, pageSuiteShapes } from './suites.ts';
import { benchTable, rulesView, scoresTable } from './views/bench-view.ts';

type ReadyGpu = Extract<GpuState, { kind: 'ready' }>;

export interface BenchContext {
  /** The ready GPU, or null (none, or lost). */
  gpu(): ReadyGpu | null;
  suite(): PageSuite;
  /** Whether another run holds the GPU. */
  busy(): boolean;
  /** Starts exclusive use of the GPU (null when busy); the control's abort is set on device loss. */
  begin(): RunControl | null;
  end(): void;
  /** The calibrated profile, for routing with the 'calibrated' policy. */
  onCalibrated(profile: DeviceProfile): void;
}

/**
 * "Bench and calibrate": times every method the backend can run on each distinct shape of the
 * suite, fits the router's calibration to the medians, compares policies on the measurements,
 * and offers the bench and the calibrated profile as JSON.
 */
export function benchSection(ctx: BenchContext, params: URLSearchParams): { section: HTMLElement; refresh(): void } {
  const button = h('button', { testid: 'bench-button', disabled: true }, 'Bench and calibrate');
  const reps = h('input', { testid: 'bench-reps', type: 'number', min: 1, value: params.get('reps') ?? '5', style: 'width:4rem' });
  const progress = h('progress', { testid: 'bench-progress', max: 1, value: 0 });
  const progressText = h('span', { testid: 'bench-progress-text' }, '');
  const status = h('div', { class: 'verdict', testid: 'bench-status', 'data-state': 'idle' });
  const out = h('div', {});
  const dlBench = h('button', { testid: 'download-bench', disabled: true }, 'Download bench (JSON)');
  const dlProfile = h('button', { testid: 'download-calibrated-profile', disabled: true }, 'Download calibrated profile (JSON)');
  const section = h(
    'section',
    {},
    h('h2', {}, 'Bench and calibrate'),
    h('p', {}, `Times each method on each distinct shape of the suite (${BENCH_TIMING}), then fits the router's calibration to the medians.`),
    h('div', { class: 'controls' }, button, h('label', {}, 'repetitions ', reps), progress, progressText, dlBench, dlProfile),
    status,
    out,
  );
  let bench: unknown = null;
  let calibration: Calibration | null = null;

  button.onclick = async () => {
    const gpu = ctx.gpu();
    const control = gpu && ctx.begin();
    if (!gpu || !control) return;
    button.disabled = dlBench.disabled = dlProfile.disabled = true;
    status.dataset.state = 'running';
    status.textContent = 'Benchmarking…';
    out.replaceChildren();
    const suite = ctx.suite();
    let layers: BenchLayer[] = [];
    try {
      layers = await benchShapes(pageSuiteShapes(suite), gpu.backend, {
        warmup: 1,
        reps: Math.max(1, Number.parseInt(reps.value, 10) || 5),
        control,
        onCase: (done, total) => {
          progress.max = total;
          progress.value = done;
          progressText.textContent = `${done} / ${total}`;
        },
      });
      const nReps = Math.max(1, Number.parseInt(reps.value, 10) || 5);
      bench = toBenchFile(layers, {
        suite,
        warmup: 1,
        reps: nReps,
        backend: { name: gpu.backend.name, description: gpu.backend.description },
        adapter: { info: { ...gpu.acquired.info }, features: [...gpu.acquired.adapter.features].sort(), limits: gpu.limits, profile: gpu.profile.name },
        userAgent: navigator.userAgent,
      });
      if (control.abort) (bench as Record<string, unknown>).aborted = control.abort;
      dlBench.disabled = false;
      out.append(benchTable(layers));
      if (control.abort) throw new Error(`bench stopped: ${control.abort}`);
      calibration = calibrateFromBench(layers, gpu.profile, gpu.acquired.info);
      ctx.onCalibrated(profileFromJson(JSON.parse(JSON.stringify(calibration.profileJson)), 'playground calibration'));
      out.append(h('h3', {}, 'Fitted rules'), rulesView(calibration.doc.table), h('h3', {}, 'Policies on these measurements'), scoresTable(calibration.scores));
      dlProfile.disabled = false;
      const cal = calibration.scores.find((s) => s.policy === 'calibrated')!;
      status.dataset.state = 'passed';
      status.textContent = `calibrated: ${calibration.doc.table.rules.length} rules from ${layers.length} shapes; calibrated policy regret ${(100 * cal.evaluation.regretFraction).toFixed(1)}% of the per-shape best`;
    } catch (e) {
      status.dataset.state = 'failed';
      status.textContent = `bench FAILED: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      ctx.end();
      refresh();
    }
  };
  dlBench.onclick = () => bench && downloadJson(`convroute-bench-${ctx.suite()}.json`, bench);
  dlProfile.onclick = () => calibration && downloadJson(`convroute-profile-${String(calibration.profileJson.name)}-calibrated.json`, calibration.profileJson);

  function refresh(): void {
    button.disabled = ctx.gpu() === null || ctx.busy();
  }
  return { section, refresh };
}
