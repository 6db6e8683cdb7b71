import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { convMethodsFor } from '@convroute/core';
import { profileFromJson, routerFor } from '@convroute/router';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMOKE } from '../src/smoke-suite.ts';
import { pageSuite } from '../src/suites.ts';
import { haveChromium, launchChromium, MISSING_CHROMIUM, mustRunBrowserTests } from './browser.ts';
import { buildSite, DIST_DIR } from './build-site.ts';
import { serveStatic } from './static-server.ts';

/**
 * The playground in a real browser: Debian's Chromium, headless, WebGPU on SwiftShader. Builds the
 * site, serves dist/ from localhost and drives the page like a user. Screenshots go to artifacts/.
 */
const ARTIFACTS = fileURLToPath(new URL('../artifacts', import.meta.url));
const available = haveChromium();
if (!available) {
  if (mustRunBrowserTests()) {
    it('needs Chromium', () => {
      throw new Error(MISSING_CHROMIUM);
    });
  } else {
    console.warn(`skipping the playground browser tests: ${MISSING_CHROMIUM}`);
  }
}

async function readDownload(d: Download): Promise<unknown> {
  const path = await d.path();
  return JSON.parse(readFileSync(path, 'utf8'));
}

async function download(page: Page, testid: string): Promise<{ name: string; json: unknown }> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return { name: d.suggestedFilename(), json: await readDownload(d) };
}

describe.skipIf(!available)('playground in headless Chromium (SwiftShader)', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveStatic>>;
  const consoleLines: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    if (process.env.PLAYGROUND_PREBUILT !== '1') await buildSite();
    server = await serveStatic(DIST_DIR);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(query = '', init?: string): Promise<Page> {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    if (init) await context.addInitScript(init);
    const page = await context.newPage();
    page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
    await page.goto(`${server.url}${query}`);
    return page;
  }

  it('detects SwiftShader, routes, runs and verifies the smoke suite, and offers JSON downloads', async () => {
    const page = await open('?suite=smoke&policy=etvk');
    const banner = page.getByTestId('gpu-status');
    await expect.poll(() => banner.getAttribute('data-state'), { timeout: 30_000 }).not.toBe('detecting');
    expect(await banner.getAttribute('data-state'), `${await banner.textContent()}\n${consoleLines.join('\n')}`).toBe('ready');
    expect(await page.getByTestId('profile-family').textContent()).toBe('swiftshader');

    const routes = page.getByTestId('route-row');
    expect(await routes.count()).toBe(SMOKE.length);
    // ExecuTorch's C_out >= 128 rule (PR #20059) on a non-Mali device; the 32-filter twin stays direct.
    expect(await page.locator('[data-testid=route-row][data-layer=sw3x3_c128]').getAttribute('data-method')).toBe('im2col-gemm');
    expect(await page.locator('[data-testid=route-row][data-layer=sw3x3_c32]').getAttribute('data-method')).toBe('direct');
    expect(await page.locator('[data-testid=route-row][data-layer=dw3x3_s1]').getAttribute('data-method')).toBe('depthwise');
    expect(await page.getByTestId('routes-table').textContent()).toContain('C_out');

    const t0 = Date.now();
    await page.getByTestId('run-button').click();
    const verdict = page.getByTestId('verdict');
    await expect.poll(() => verdict.getAttribute('data-state'), { timeout: 150_000, interval: 500 }).not.toMatch(/idle|running/);
    const text = (await verdict.textContent()) ?? '';
    await page.screenshot({ path: `${ARTIFACTS}/playground-smoke.png`, fullPage: true });
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText keeps table rows on separate lines for the failure message
    expect(text, `${text}\n${await page.getByTestId('results-table').innerText()}\n${consoleLines.join('\n')}`).toContain('verification passed');
    console.log(`smoke suite on SwiftShader: ${Date.now() - t0} ms; ${text}`);
    expect(await page.locator('[data-testid=result-row][data-status=passed]').count()).toBe(SMOKE.length);

    const results = await download(page, 'download-results');
    expect(results.name).toBe('convroute-verify-smoke.json');
    const r = results.json as { format: string; summary: { passed: boolean; verified: number }; layers: { method: string; verdict: { ok: boolean } }[] };
    expect(r.format).toBe('convroute-playground-verify');
    expect(r.summary.passed).toBe(true);
    expect(r.layers).toHaveLength(SMOKE.length);
    expect(r.layers.every((l) => l.verdict.ok)).toBe(true);

    const profile = await download(page, 'download-profile');
    expect(profile.name).toMatch(/^convroute-profile-swiftshader.*\.json$/);
    expect((profile.json as { family: string }).family).toBe('swiftshader');
    await page.context().close();
  });

  it('passes the WebGPU differential self-test in the browser (?selftest=1)', async () => {
    const seed = process.env.FC_SEED ?? String((Math.random() * 2 ** 31) >>> 0);
    const runs = process.env.FC_NUM_RUNS ?? '3';
    console.log(`[playground selftest] seed=${seed} runs=${runs} (replay with FC_SEED=${seed})`);
    const page = await open(`?selftest=1&seed=${seed}&runs=${runs}`);
    const verdict = page.getByTestId('selftest-verdict');
    await expect.poll(() => verdict.getAttribute('data-state'), { timeout: 150_000, interval: 500 }).not.toBe('running');
    await page.screenshot({ path: `${ARTIFACTS}/playground-selftest.png`, fullPage: true });
    const failures = await page.locator('[data-testid=selftest-row]:not([data-status=passed]):not([data-status=unsupported])').allTextContents();
    const text = (await verdict.textContent()) ?? '';
    console.log(`[playground selftest] ${text}`);
    expect(text, `${failures.join('\n')}\n${consoleLines.join('\n')}`).toContain('selftest passed');
    // Every method the WebGPU backend has must have run at least one case.
    const ran = ((await verdict.getAttribute('data-methods')) ?? '').split(',');
    for (const m of ['direct', 'pointwise', 'depthwise', 'transposed', 'im2col-gemm']) expect(ran).toContain(m);
    await page.context().close();
  });

  it('benches the smoke suite, calibrates, and offers the bench and a calibrated profile that loads', async () => {
    const page = await open('?suite=smoke&reps=2');
    await expect.poll(() => page.getByTestId('gpu-status').getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');
    const t0 = Date.now();
    await page.getByTestId('bench-button').click();
    const status = page.getByTestId('bench-status');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 200_000, interval: 500 }).not.toMatch(/idle|running/);
    const text = (await status.textContent()) ?? '';
    await page.screenshot({ path: `${ARTIFACTS}/playground-bench.png`, fullPage: true });
    console.log(`bench + calibration of smoke on SwiftShader: ${Date.now() - t0} ms; ${text}`);
    expect(text, consoleLines.join('\n')).toMatch(/^calibrated:/);
    expect(await page.getByTestId('bench-row').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=policy-score][data-policy=calibrated]').count()).toBe(1);

    const bench = await download(page, 'download-bench');
    // The CLI's bench format, so `convroute calibrate --bench` and `convroute compare --bench` read it.
    const b = bench.json as {
      format: string;
      version: number;
      layers: { id: string }[];
      results: { layer: string; status: string; stats?: { median: number } }[];
    };
    expect(b.format).toBe('convroute-bench');
    expect(b.version).toBe(1);
    for (const l of b.layers) expect(b.results.some((r) => r.layer === l.id && r.status === 'ok' && r.stats!.median > 0)).toBe(true);
    writeFileSync(`${ARTIFACTS}/playground-bench-smoke.json`, JSON.stringify(b, null, 2));

    const cal = await download(page, 'download-calibrated-profile');
    expect(cal.name).toMatch(/-calibrated\.json$/);
    writeFileSync(`${ARTIFACTS}/playground-profile-calibrated.json`, JSON.stringify(cal.json, null, 2));
    // The calibrated profile must load where --profile reads it, and route with policy 'calibrated'.
    const profile = profileFromJson(cal.json, cal.name);
    expect(profile.family).toBe('swiftshader');
    expect(profile.calibration?.rules.length).toBeGreaterThan(0);
    const route = routerFor('calibrated', profile);
    for (const e of pageSuite('smoke')) expect(route(e.spec, { nodeId: e.name, available: convMethodsFor(e.spec) }).policy).toBe('calibrated');

    // The page can now route with the calibrated policy.
    await page.getByTestId('policy-select').selectOption('calibrated');
    expect(await page.locator('[data-testid=route-row][data-method=error]').count()).toBe(0);
    await page.context().close();
  });

  it('says so when the browser has no WebGPU', async () => {
    const page = await open('', "Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });");
    const banner = page.getByTestId('gpu-status');
    await expect.poll(() => banner.getAttribute('data-state'), { timeout: 30_000 }).toBe('no-webgpu');
    expect(await banner.textContent()).toContain('no WebGPU');
    // Routing still works without a GPU (the unknown family), running does not.
    expect(await page.getByTestId('route-row').count()).toBe(SMOKE.length);
    expect(await page.getByTestId('run-button').isDisabled()).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/playground-no-webgpu.png` });
    await page.context().close();
  });

  it('says so when the adapter request fails', async () => {
    const page = await open('', 'if (navigator.gpu) navigator.gpu.requestAdapter = async () => null;');
    const banner = page.getByTestId('gpu-status');
    await expect.poll(() => banner.getAttribute('data-state'), { timeout: 30_000 }).toBe('adapter-failed');
    expect(await banner.textContent()).toContain('no usable GPU device');
    expect(await page.getByTestId('run-button').isDisabled()).toBe(true);
    await page.context().close();
  });

  it('stops the run and says so when the device is lost mid-run', async () => {
    const page = await open('?suite=smoke&simulate=device-lost');
    const banner = page.getByTestId('gpu-status');
    await expect.poll(() => banner.getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');
    await page.getByTestId('run-button').click();
    const verdict = page.getByTestId('verdict');
    await expect.poll(() => verdict.getAttribute('data-state'), { timeout: 60_000 }).toBe('failed');
    expect(await banner.getAttribute('data-state')).toBe('device-lost');
    expect(await verdict.textContent()).toContain('device lost');
    expect(await page.getByTestId('run-button').isDisabled()).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/playground-device-lost.png`, fullPage: true });
    await page.context().close();
  });
});
