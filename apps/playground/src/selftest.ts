import { conv2dInputs } from '@convroute/conformance';
import { type Backend, CONV_METHODS, type ConvMethod } from '@convroute/core';
import { h, num } from './dom.ts';
import { downloadJson } from './download.ts';
import { openGpu } from './gpu.ts';
import { type SelftestCase, selftestCases } from './selftest-cases.ts';
import { Verifier } from './verifier.ts';
import type { VerifyVerdict } from './verify-protocol.ts';
import { setBanner } from './views/device-view.ts';
import { describeConv } from './views/routes-view.ts';

type CaseStatus = 'passed' | 'failed' | 'error' | 'unsupported';

interface CaseResult {
  index: number;
  method: ConvMethod;
  kind: string;
  conv: string;
  status: CaseStatus;
  verdict?: VerifyVerdict;
  error?: string;
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function runCase(c: SelftestCase, backend: Backend, verifier: Verifier): Promise<CaseResult> {
  const base = { index: c.index, method: c.method, kind: c.kind, conv: describeConv(c.spec) };
  if (!backend.methodsFor({ op: 'conv2d', spec: c.spec }).includes(c.method)) return { ...base, status: 'unsupported' };
  try {
    const inputs = conv2dInputs(c.spec, c.kind, c.dataSeed);
    const y = await backend.run({ op: 'conv2d', spec: c.spec }, c.method, inputs);
    const verdict = await verifier.verify({
      spec: c.spec,
      inputs: inputs.map((t) => t.data.slice()),
      actual: y.data.slice(),
      label: `case ${c.index} ${c.method} ${c.kind}`,
      method: c.method,
      bitwise: c.kind === 'small-int',
    });
    return { ...base, status: verdict.ok ? 'passed' : 'failed', verdict };
  } catch (e) {
    return { ...base, status: 'error', error: errorText(e) };
  }
}

/**
 * `?selftest=1`: the WebGPU backend's differential tests in this browser. Every conv method runs
 * small random specs (conformance's arbitraries) against the exact CPU reference in a worker,
 * within the error bound, or bitwise on small-integer data. `seed` and `runs` replay or scale.
 */
export async function startSelftest(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const seed = params.has('seed') ? Number.parseInt(params.get('seed')!, 10) >>> 0 : (Math.random() * 2 ** 31) >>> 0;
  const runs = Math.max(1, Number.parseInt(params.get('runs') ?? '4', 10) || 4);
  const banner = h('div', { class: 'banner', testid: 'gpu-status' });
  const progress = h('progress', { testid: 'selftest-progress', max: 1, value: 0 });
  const body = h('tbody');
  const verdict = h('div', { class: 'verdict', testid: 'selftest-verdict', 'data-state': 'running' }, 'Running…');
  const download = h('button', { testid: 'download-selftest', disabled: true }, 'Download results (JSON)');
  const head = ['#', 'method', 'data', 'conv', 'error/bound', 'status'];
  root.replaceChildren(
    h(
      'section',
      {},
      h('h2', {}, 'WebGPU differential self-test'),
      h('p', { testid: 'selftest-seed' }, `seed ${seed}, ${runs} cases per method and data kind (replay with ?selftest=1&seed=${seed}&runs=${runs})`),
      banner,
      h('div', { class: 'controls' }, progress, download),
      h('table', { testid: 'selftest-table' }, h('thead', {}, h('tr', {}, ...head.map((t) => h('th', {}, t)))), body),
      verdict,
    ),
  );
  setBanner(banner, 'detecting', 'Looking for WebGPU…');
  let lostReason: string | null = null;
  const gpu = await openGpu((loss) => {
    lostReason = loss.reason;
    setBanner(banner, 'device-lost', `The GPU device was lost (${loss.reason}: ${loss.message}).`);
  });
  if (gpu.kind !== 'ready') {
    setBanner(banner, gpu.kind, gpu.message);
    verdict.dataset.state = 'failed';
    verdict.textContent = `selftest FAILED: ${gpu.message}`;
    return;
  }
  setBanner(banner, 'ready', `WebGPU ready: ${gpu.backend.description}`);
  const cases = selftestCases(seed, runs);
  progress.max = cases.length;
  const verifier = new Verifier();
  const results: CaseResult[] = [];
  for (const c of cases) {
    if (lostReason) break;
    const r = await runCase(c, gpu.backend, verifier);
    results.push(r);
    progress.value = results.length;
    const detail = r.error ?? (r.verdict && !r.verdict.ok ? r.verdict.message : '');
    body.append(
      h(
        'tr',
        { testid: 'selftest-row', 'data-status': r.status, 'data-method': r.method },
        ...[String(r.index), r.method, r.kind, r.conv, r.verdict ? num(r.verdict.maxRatio) : '-'].map((t) => h('td', {}, t)),
        h('td', { class: 'status' }, detail ? `${r.status}: ${detail}` : r.status),
      ),
    );
  }
  verifier.terminate();
  const count = (s: CaseStatus) => results.filter((r) => r.status === s).length;
  const ran = CONV_METHODS.filter((m) => results.some((r) => r.method === m && r.status !== 'unsupported'));
  const skipped = CONV_METHODS.filter((m) => !ran.includes(m));
  const passed = lostReason === null && results.length === cases.length && count('failed') + count('error') === 0 && count('passed') > 0;
  const summary = {
    passed,
    seed,
    runs,
    cases: cases.length,
    passedCases: count('passed'),
    failed: count('failed'),
    errors: count('error'),
    unsupported: count('unsupported'),
    methodsRun: ran,
    methodsSkipped: skipped,
  };
  verdict.dataset.state = passed ? 'passed' : 'failed';
  verdict.dataset.methods = ran.join(',');
  const skippedText = skipped.length ? `; not run by this backend: ${skipped.join(', ')}` : '';
  verdict.textContent = passed
    ? `selftest passed: ${summary.passedCases} cases over ${ran.join(', ')}${skippedText}`
    : `selftest FAILED: ${summary.failed} over the bound, ${summary.errors} errors${lostReason ? `, device lost (${lostReason})` : ''} (seed ${seed})`;
  download.disabled = false;
  download.onclick = () =>
    downloadJson(`convroute-selftest-${seed}.json`, { format: 'convroute-playground-selftest', version: 1, adapter: gpu.acquired.info, summary, results });
}
