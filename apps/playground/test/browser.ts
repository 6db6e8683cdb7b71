import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that give headless Chromium WebGPU on SwiftShader without a GPU
 * (docs/webgpu-on-linux.md, "Browser: Debian's Chromium, headless"). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const MISSING_CHROMIUM = `no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium), which also ships SwiftShader; never 'npx playwright install'`;

export function haveChromium(): boolean {
  return existsSync(CHROMIUM);
}

/** CI must not pass silently without a browser; a developer machine may skip. */
export function mustRunBrowserTests(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
