import type { Backend, PreparedRun } from './backend.ts';
import { convMethodRejection, isConvMethod } from './conv-methods.ts';
import { ConvrouteError } from './errors.ts';
import { checkOpInputs, type Method, type OpSpec } from './ops.ts';
import type { Shape } from './tensor.ts';

/**
 * The validation `run` and `prepare` share, in the order a caller sees the errors: the inputs
 * against the op (SHAPE_MISMATCH), the method against what the backend runs for it
 * (UNSUPPORTED_METHOD, never a substitute), then the backend's own refusal (`checkRun`).
 */
export function checkRunRequest(
  backend: Pick<Backend, 'name' | 'methodsFor' | 'checkRun'>,
  op: OpSpec,
  method: Method,
  inputs: readonly { readonly shape: Shape }[],
): void {
  checkOpInputs(op, inputs);
  const available = backend.methodsFor(op);
  if (!available.includes(method)) {
    // The algorithm's own reason when it cannot compute this op at all, else the backend's list.
    const why = op.op === 'conv2d' && isConvMethod(method) ? convMethodRejection(method, op.spec) : null;
    const rule = why ?? `the ${backend.name} backend runs ${available.join(', ') || 'no method'} for this ${op.op}`;
    throw new ConvrouteError('UNSUPPORTED_METHOD', 'method', method, rule);
  }
  backend.checkRun?.(op, method);
}

/** The lifecycle checks of a PreparedRun: `execute` and `read` after `release` throw CLOSED,
 * `read` before the first `execute` throws NOT_EXECUTED. Backends wrap their prepared work in it. */
export function preparedRun(backendName: string, parts: PreparedRun): PreparedRun {
  let executed = false;
  let released = false;
  const open = (what: string) => {
    if (released) throw new ConvrouteError('CLOSED', 'prepared', what, `this ${backendName} prepared run was released`);
  };
  return {
    outputShape: parts.outputShape,
    clock: parts.clock,
    async execute(opts) {
      open('execute');
      const ms = await parts.execute(opts);
      executed = true;
      return ms;
    },
    async read() {
      open('read');
      if (!executed) throw new ConvrouteError('NOT_EXECUTED', 'prepared', 'read', 'call execute() before read()');
      return parts.read();
    },
    release() {
      if (released) return;
      released = true;
      parts.release();
    },
  };
}
