import type { Backend } from '@convroute/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendChecks, checkContext, reportOf } from './check-backend.ts';
import type { CheckBackendOptions, CheckContext, CheckResult } from './check-core.ts';

export interface DescribeConformanceOptions extends CheckBackendOptions {
  /** Per-test timeout in ms (default 120 s: GPU backends are slow under software drivers). */
  timeout?: number;
}

/**
 * One vitest `describe` with one test per check of `checkBackend` (the differential properties
 * and each named edge case), so a failure names the property and prints the shrunk conv with its
 * command line. `makeBackend` runs once, in beforeAll; the backend is disposed in afterAll.
 * The only entry point of this package that imports vitest (`@convroute/conformance/vitest`).
 */
export function describeBackendConformance(name: string, makeBackend: () => Backend | Promise<Backend>, options: DescribeConformanceOptions = {}): void {
  describe(`conformance: ${name}`, () => {
    let ctx: CheckContext | undefined;
    const results: CheckResult[] = [];
    beforeAll(async () => {
      const backend = await makeBackend();
      ctx = checkContext(backend, options);
      console.log(`[conformance] ${backend.name} (${backend.description}): seed=${ctx.seed} numRuns=${ctx.numRuns} (replay with FC_SEED=${ctx.seed})`);
    });
    afterAll(async () => {
      if (ctx) console.log(reportOf(ctx, results).summary.split('\n').slice(0, 3).join('\n'));
      await ctx?.backend.dispose?.();
    });
    for (const check of backendChecks(options)) {
      it(
        check.name,
        async () => {
          if (!ctx) throw new Error('backend was not created');
          const r = await check.run(ctx);
          results.push(r);
          expect(r.ok, r.message).toBe(true);
        },
        options.timeout ?? 120_000,
      );
    }
  });
}
