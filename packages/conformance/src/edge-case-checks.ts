import { conv2dReductionLength } from '@convroute/core';
import { conv2dInputs, type DataKind } from './arbitraries/tensor-data.ts';
import { type BackendCheck, ConformanceFailure, checkMethods, dataMaxExponent, describeConvFailure } from './check-core.ts';
import { EDGE_CASES, type EdgeCase, edgeCaseSpec } from './edge-cases.ts';
import { referenceConv2d } from './reference.ts';

/** One check per named edge case: float and small-integer data (or the case's own data),
 * every declared method, the same comparison as the random suites. */
function edgeCaseCheck(c: EdgeCase): BackendCheck {
  const name = `edge case: ${c.name}`;
  return {
    name,
    async run(ctx) {
      const spec = edgeCaseSpec(c);
      const kinds: (DataKind | 'custom')[] = c.data ? ['custom'] : ['float', 'small-int'];
      for (const kind of kinds) {
        const inputs = kind === 'custom' ? c.data!(spec, ctx.seed) : conv2dInputs(spec, kind, ctx.seed, 8, dataMaxExponent(ctx.options));
        try {
          const ref = await referenceConv2d(spec, inputs);
          if (c.expectAllPositiveInfinity && !ref.y.data.every((v) => v === Number.POSITIVE_INFINITY)) {
            throw new ConformanceFailure(`the reference is not +inf everywhere although the exact sums overflow (${c.why})`, 'direct');
          }
          const bitwise = kind === 'small-int' || !!ctx.options.bitwise;
          await checkMethods(ctx, { op: 'conv2d', spec }, inputs, { ...ref, n: conv2dReductionLength(spec), bitwise, inputsFinite: true });
          if (c.expectAllPositiveInfinity) {
            // At an f16 precision the operands themselves are +inf in f16, and an infinite weight
            // times a padded zero is NaN: every output is +inf or NaN (docs/error-model.md, "fp16").
            const f16 = (ctx.options.precision ?? 'f32') !== 'f32';
            const expected = f16 ? '+inf or NaN (the operands overflow f16)' : '+inf (every summation order overflows)';
            for (const m of ctx.backend.methodsFor({ op: 'conv2d', spec })) {
              const out = await ctx.backend.run({ op: 'conv2d', spec }, m, inputs);
              const i = out.data.findIndex((v) => v !== Number.POSITIVE_INFINITY && !(f16 && Number.isNaN(v)));
              if (i >= 0) throw new ConformanceFailure(`${ctx.backend.name} conv2d ${m}: element ${i} is ${out.data[i]}, expected ${expected}`, m);
            }
          }
        } catch (e) {
          const method = e instanceof ConformanceFailure ? e.method : undefined;
          const d = await describeConvFailure(ctx, spec, inputs, method, `${name}-${kind}`);
          const head = e instanceof Error ? e.message : String(e);
          return {
            name,
            ok: false,
            runs: 1,
            message: `${name} (${kind} data; ${c.why}) FAILED\n  ${head}\n${d.text}  data seed ${ctx.seed}`,
            spec,
            commandLine: d.commandLine,
          };
        }
      }
      return { name, ok: true, runs: kinds.length, message: `${name}: passed` };
    },
  };
}

export function edgeCaseChecks(names?: readonly string[]): BackendCheck[] {
  const chosen = names ? EDGE_CASES.filter((c) => names.includes(c.name)) : EDGE_CASES;
  return chosen.map(edgeCaseCheck);
}
