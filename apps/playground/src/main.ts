import { startApp } from './app.ts';
import { byTestId, h } from './dom.ts';

const params = new URLSearchParams(location.search);
const root = byTestId('app');

async function main(): Promise<void> {
  if (params.get('selftest') === '1') {
    const { startSelftest } = await import('./selftest.ts');
    await startSelftest(root, params);
  } else {
    await startApp(root, params);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  root.append(h('pre', { testid: 'fatal-error' }, e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e)));
});
