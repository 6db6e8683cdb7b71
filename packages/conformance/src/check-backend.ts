import { type Backend, type Conv2dSpec, conv2dReductionLength, type Method } from '@convroute/core';
import * as fc from 'fast-check';
import { ARITH_OP_NAMES, type ArithOpName, arithCaseArb } from './arbitraries/arith-ops.ts';
import { conv2dSpecArb } from './arbitraries/conv2d-spec.ts';
import { conv2dStrata } from './arbitraries/conv2d-strata.ts';
import { gemmSpecArb, im2colSpecArb } from './arbitraries/im2col-gemm.ts';
import { conv2dInputs, DATA_KINDS, type DataKind, dataSeedArb, gemmInputs, tensorData } from './arbitraries/tensor-data.ts';
import {
  type BackendCheck,
  type BackendReport,
  type CheckBackendOptions,
  type CheckContext,
  type CheckResult,
  ConformanceFailure,
  checkDescriptors,
  checkMethods,
  dataMaxExponent,
  describeConvFailure,
} from './check-core.ts';
import { checkOp, gemmTerms } from './check-ops.ts';
import { edgeCaseChecks } from './edge-case-checks.ts';
import { fcSettings, propertySeed } from './fc-params.ts';
import { referenceConv2d, referenceGemm, referenceIm2col } from './reference.ts';

/** Turns a finished fast-check run into a result with an actionable message. */
async function resultOf<T extends unknown[]>(
  ctx: CheckContext,
  name: string,
  seed: number,
  details: fc.RunDetails<T>,
  describe: (ex: T, method: Method | undefined) => Promise<{ text: string; spec?: Conv2dSpec; commandLine?: string }>,
): Promise<CheckResult> {
  if (!details.failed) return { name, ok: true, runs: details.numRuns, message: `${name}: ${details.numRuns} runs passed` };
  const err = details.errorInstance;
  const method = err instanceof ConformanceFailure ? err.method : undefined;
  const head = err instanceof Error ? err.message : String(err);
  const d = details.counterexample ? await describe(details.counterexample, method) : { text: '' };
  const message =
    `${name} FAILED after ${details.numRuns} runs, shrunk ${details.numShrinks} times\n  ${head}\n${d.text}` +
    `  replay: FC_SEED=${ctx.seed} (this property's seed ${seed}, fast-check path ${details.counterexamplePath})`;
  return { name, ok: false, runs: details.numRuns, message, spec: d.spec, commandLine: d.commandLine };
}

function conv2dCheck(kind: DataKind, first: boolean): BackendCheck {
  const name = `conv2d, ${kind} data`;
  return {
    name,
    async run(ctx) {
      const bitwise = kind === 'small-int' || !!ctx.options.bitwise;
      const property = (specs: fc.Arbitrary<Conv2dSpec>, checkRejections: boolean) =>
        fc.asyncProperty(specs, dataSeedArb, async (spec, seed) => {
          const inputs = conv2dInputs(spec, kind, seed, 8, dataMaxExponent(ctx.options));
          const ref = await referenceConv2d(spec, inputs);
          const expected = { ...ref, n: conv2dReductionLength(spec), bitwise, inputsFinite: kind !== 'specials' };
          await checkMethods(ctx, { op: 'conv2d', spec }, inputs, expected, checkRejections);
        });
      // The random cases, then one case of each stratum (activation x bias, larger sizes), each
      // with its own seed derived from the run's, so a failure shrinks within its stratum.
      const runs = [{ label: name, specs: conv2dSpecArb(ctx.options.specs), numRuns: ctx.numRuns, checkRejections: first }];
      for (const st of conv2dStrata(ctx.options.specs))
        runs.push({ label: `${name} [${st.name}]`, specs: conv2dSpecArb(st.options(ctx.options.specs ?? {})), numRuns: 1, checkRejections: false });
      let total = 0;
      for (const r of runs) {
        const seed = propertySeed(ctx.seed, r.label);
        const details = await fc.check(property(r.specs, r.checkRejections), { seed, numRuns: r.numRuns });
        total += details.numRuns;
        if (details.failed) {
          const failure = await resultOf(ctx, r.label, seed, details, async ([spec, dataSeed], method) =>
            describeConvFailure(ctx, spec, conv2dInputs(spec, kind, dataSeed, 8, dataMaxExponent(ctx.options)), method, `${r.label}-${dataSeed}`),
          );
          return { ...failure, name, runs: total };
        }
      }
      return { name, ok: true, runs: total, message: `${name}: ${total} runs passed (${runs.length - 1} strata included)` };
    },
  };
}

function gemmCheck(kind: DataKind): BackendCheck {
  const name = `gemm, ${kind} data`;
  return {
    name,
    async run(ctx) {
      const bitwise = kind === 'small-int' || !!ctx.options.bitwise;
      const prop = fc.asyncProperty(gemmSpecArb(ctx.options.gemm), dataSeedArb, async (spec, seed) => {
        const inputs = gemmInputs(spec, kind, seed);
        const ref = await referenceGemm(spec, inputs);
        await checkMethods(ctx, { op: 'gemm', spec }, inputs, { ...ref, n: gemmTerms(spec), bitwise, inputsFinite: kind !== 'specials' });
      });
      const seed = propertySeed(ctx.seed, name);
      const details = await fc.check(prop, { seed, numRuns: ctx.numRuns });
      return resultOf(ctx, name, seed, details, async ([spec]) => ({ text: `  spec: ${JSON.stringify(spec)}\n` }));
    },
  };
}

function im2colCheck(): BackendCheck {
  const name = 'im2col (a copy: bitwise)';
  return {
    name,
    async run(ctx) {
      const prop = fc.asyncProperty(im2colSpecArb(ctx.options.specs), dataSeedArb, async (spec, seed) => {
        const x = tensorData(spec.input, 'specials', seed);
        const y = await referenceIm2col(spec, x);
        await checkMethods(ctx, { op: 'im2col', spec }, [x], { y, n: 1, bitwise: true, inputsFinite: false });
      });
      const seed = propertySeed(ctx.seed, name);
      const details = await fc.check(prop, { seed, numRuns: ctx.numRuns });
      return resultOf(ctx, name, seed, details, async ([spec]) => ({ text: `  spec: ${JSON.stringify(spec)}\n` }));
    },
  };
}

/** An issue-13 arithmetic op under its per-element bound (op-error-model.ts), for every method
 * the backend declares for it (none declared: nothing to check). */
function arithCheck(op: ArithOpName): BackendCheck {
  const name = `${op}, float data`;
  return {
    name,
    async run(ctx) {
      const prop = fc.asyncProperty(arithCaseArb(op), async (c) => {
        for (const r of await checkOp(ctx.backend, c.op, c.inputs)) {
          const key = `${op}/${op}`;
          ctx.coverage[key] = (ctx.coverage[key] ?? 0) + 1;
          ctx.maxRatio[key] = Math.max(ctx.maxRatio[key] ?? 0, r.ok ? r.maxRatio : (r.worst?.ratio ?? Infinity));
          if (!r.ok) {
            ctx.failures[key] = (ctx.failures[key] ?? 0) + 1;
            throw new ConformanceFailure(r.message, op as Method, r);
          }
        }
      });
      const seed = propertySeed(ctx.seed, name);
      const details = await fc.check(prop, { seed, numRuns: ctx.numRuns });
      return resultOf(ctx, name, seed, details, async ([c]) => ({ text: `  op: ${JSON.stringify(c.op)}\n` }));
    },
  };
}

/** The checks `checkBackend` runs, one per property or edge case; the vitest helper makes one
 * test of each. */
export function backendChecks(options: CheckBackendOptions = {}): BackendCheck[] {
  const ops = options.ops ?? ['conv2d', 'im2col', 'gemm', ...ARITH_OP_NAMES];
  const kinds = options.dataKinds ?? DATA_KINDS;
  const checks: BackendCheck[] = [];
  if (ops.includes('conv2d')) {
    kinds.forEach((k, i) => {
      checks.push(conv2dCheck(k, i === 0));
    });
    if (options.edgeCases !== false)
      checks.push(...edgeCaseChecks(options.edgeCases === true || options.edgeCases === undefined ? undefined : options.edgeCases));
  }
  if (ops.includes('im2col')) checks.push(im2colCheck());
  if (ops.includes('gemm')) for (const k of kinds) checks.push(gemmCheck(k));
  for (const op of ARITH_OP_NAMES) if (ops.includes(op)) checks.push(arithCheck(op));
  return checks;
}

export function checkContext(backend: Backend, options: CheckBackendOptions = {}): CheckContext {
  const s = fcSettings({ seed: options.seed, numRuns: options.numRuns });
  return { backend, descriptors: checkDescriptors(options), seed: s.seed, numRuns: s.numRuns, options, coverage: {}, maxRatio: {}, failures: {} };
}

/**
 * Runs the differential suite against any `Backend`: every method it declares, against the exact
 * CPU reference, within the error bound (bitwise on small-integer data, and everywhere with
 * `bitwise: true`). Returns a report; never throws for a failing backend.
 */
export async function checkBackend(backend: Backend, options: CheckBackendOptions = {}): Promise<BackendReport> {
  const ctx = checkContext(backend, options);
  const log = options.log ?? ((l: string) => console.log(l));
  log(`[conformance] ${backend.name} (${backend.description}): seed=${ctx.seed} numRuns=${ctx.numRuns} (replay with FC_SEED=${ctx.seed})`);
  const checks: CheckResult[] = [];
  for (const c of backendChecks(options)) {
    const r = await c.run(ctx);
    checks.push(r);
    if (!r.ok) log(r.message);
  }
  return reportOf(ctx, checks);
}

/** The run's summary. A failure's full message is logged once as it happens (and kept in
 * `checks[i].message`); the summary names the failed checks without repeating them. */
export function reportOf(ctx: CheckContext, checks: CheckResult[]): BackendReport {
  const failed = checks.filter((c) => !c.ok);
  const ratios = Object.entries(ctx.maxRatio).map(([k, v]) => `${k} ${v.toPrecision(3)}${ctx.failures[k] ? ` (${ctx.failures[k]} failing cases)` : ''}`);
  const cover = Object.entries(ctx.coverage).map(([k, v]) => `${k} x${v}`);
  const summary =
    `${ctx.backend.name} (${ctx.backend.description}): ${checks.length - failed.length}/${checks.length} checks passed, seed ${ctx.seed}\n` +
    `  cases: ${cover.join(', ')}\n  max error/bound: ${ratios.join(', ')}` +
    (failed.length ? `\n  failed: ${failed.map((f) => f.name).join('; ')}` : '');
  return {
    backend: ctx.backend.name,
    description: ctx.backend.description,
    seed: ctx.seed,
    numRuns: ctx.numRuns,
    ok: failed.length === 0,
    checks,
    coverage: ctx.coverage,
    maxRatio: ctx.maxRatio,
    failures: ctx.failures,
    summary,
  };
}
