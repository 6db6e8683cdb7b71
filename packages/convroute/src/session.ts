import {
  type Conv2dAttrs,
  type Conv2dSpec,
  type ConvMethod,
  ConvrouteError,
  type Graph,
  GraphBuilder,
  type NodeRecord,
  type Precision,
  type PreparedGraph,
  prepareGraph,
  type RouteFn,
  type RunOptions,
  runGraph,
  type Tensor,
} from '@convroute/core';
import { routerFor } from '@convroute/router';
import { type BackendOptions, type OpenedBackend, openBackend } from './backend-choice.ts';
import {
  asCallerErrors,
  BACKEND_OPTION_KEYS,
  CONV_OPTION_KEYS,
  checkConvArguments,
  checkMethodOption,
  checkOptions,
  PREPARE_OPTION_KEYS,
  ROUTING_OPTION_KEYS,
  RUN_OPTION_KEYS,
} from './options.ts';

export interface RoutingOptions {
  /** A built-in policy ('etvk', 'etvk-legacy', 'always:<method>', 'calibrated') or a rule-table
   * path/object as the router accepts it. Default: 'calibrated' when the session's device profile
   * carries a calibration (from `convroute calibrate`), else 'etvk'. */
  policy?: Parameters<typeof routerFor>[0];
  /** A global method override for every conv of a graph, recorded in each decision; where the
   * method cannot compute a conv the router says so and uses the class's kernel (as
   * `always:<method>`). The environment variable CONVROUTE_METHOD does the same. */
  override?: ConvMethod | 'auto';
}

export interface ConvOptions extends Conv2dAttrs, Omit<RoutingOptions, 'override'> {
  /** The kernel for this conv: 'auto' (default) asks the router; a method here is used as is,
   * and a method the backend cannot run for this spec is an UNSUPPORTED_METHOD error. */
  method?: ConvMethod | 'auto';
}

export interface ConvResult {
  output: Tensor;
  /** The node's record: method, reasons, backend, time. */
  record: NodeRecord;
  /** Which backend ran, in which mode (the one that actually ran), and why it was chosen. */
  backend: { kind: OpenedBackend['kind']; name: string; description: string; mode: OpenedBackend['mode']; precision: Precision; note: string };
}

export interface GraphRunResult {
  outputs: Record<string, Tensor>;
  records: NodeRecord[];
  backend: ConvResult['backend'];
}

/** An open backend plus the routing that goes with its device profile. Close it when done
 * (a WebGPU device holds the process open otherwise). */
export class Session {
  private closed = false;
  /** Prepared graphs not yet released: close releases them. */
  private readonly prepared = new Set<PreparedGraph>();
  private constructor(readonly opened: OpenedBackend) {}

  static async open(options: BackendOptions = {}): Promise<Session> {
    return new Session(await openBackend(checkOptions(options, BACKEND_OPTION_KEYS)));
  }

  get backendInfo(): ConvResult['backend'] {
    const { kind, mode, note, backend, precision } = this.opened;
    return { kind, name: backend.name, description: backend.description, mode, precision, note };
  }

  /** The routing function for this session's device profile and a policy. */
  router(options: RoutingOptions = {}): RouteFn {
    checkOptions(options, ROUTING_OPTION_KEYS);
    const profile = this.opened.profile;
    return routerFor(options.policy ?? (profile.calibration ? 'calibrated' : 'etvk'), profile, { override: options.override });
  }

  async conv2d(x: Tensor, w: Tensor, bias: Tensor | undefined, options: ConvOptions = {}): Promise<ConvResult> {
    this.assertOpen();
    // Checked as the caller wrote them, so errors name `weight` or `options.padding`.
    const { policy, method, ...attrs } = checkOptions(options, CONV_OPTION_KEYS);
    checkConvArguments(x, w, bias, attrs);
    const m = checkMethodOption(method);
    const b = new GraphBuilder();
    b.input('x', x.shape);
    b.input('w', w.shape);
    if (bias) b.input('b', bias.shape);
    b.conv2d('y', 'x', 'w', bias ? 'b' : undefined, attrs, { method: m });
    const graph = b.output('y').build();
    const feeds: Record<string, Tensor> = bias ? { x, w, b: bias } : { x, w };
    const res = await asCallerErrors('y', () => this.run(graph, feeds, { policy }));
    return { output: res.outputs.y, record: res.records[0], backend: res.backend };
  }

  /** Runs a graph; on WebGPU device-resident with residual fusion unless `deviceResident` or
   * `fuse` is false (core's RunOptions). */
  async run(
    graph: Graph,
    feeds: Record<string, Tensor>,
    options: RoutingOptions & Pick<RunOptions, 'onNode' | 'deviceResident' | 'fuse'> = {},
  ): Promise<GraphRunResult> {
    this.assertOpen();
    const { onNode, deviceResident, fuse, ...routing } = checkOptions(options, RUN_OPTION_KEYS);
    const res = await runGraph(graph, this.opened.backend, feeds, { route: this.router(routing), onNode, deviceResident, fuse });
    return { ...res, backend: this.backendInfo };
  }

  /**
   * Prepares a graph for repeated runs on this session's backend (core's prepareGraph): routed
   * now, the constants' data taken now (change a constant afterwards: prepare again), uploaded
   * once, every pipeline compiled. The prepared graph's `run(feeds)` writes the feeds, repeats the
   * dispatches and reads back the outputs; `release()` frees it (also done by `close`), after
   * which `run` throws CLOSED.
   */
  async prepare(graph: Graph, options: RoutingOptions & { fuse?: boolean } = {}): Promise<PreparedGraph> {
    this.assertOpen();
    const { fuse, ...routing } = checkOptions(options, PREPARE_OPTION_KEYS);
    const p = await prepareGraph(graph, this.opened.backend, { route: this.router(routing), fuse });
    const release = () => {
      this.prepared.delete(handle);
      p.release();
    };
    const handle: PreparedGraph = { records: p.records, run: (feeds) => p.run(feeds), release };
    this.prepared.add(handle);
    return handle;
  }

  private assertOpen(): void {
    if (this.closed) throw new ConvrouteError('CLOSED', 'session', 'closed', 'this Session was closed; open a new one with Session.open');
  }

  /** Frees the backend; later conv2d/run calls are refused with CLOSED. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const p of [...this.prepared]) p.release();
    await this.opened.close();
  }
}

/** The spec of a session's single conv, for callers that want shapes before running. */
export type { Conv2dSpec };

/** One call: opens the backend, runs one conv (routed unless `method` says otherwise), closes. */
export async function conv2d(x: Tensor, w: Tensor, bias?: Tensor, options: ConvOptions & BackendOptions = {}): Promise<ConvResult> {
  const { backend, mode, profile, memoryBudget, precision, ...rest } = checkOptions(options, [...CONV_OPTION_KEYS, ...BACKEND_OPTION_KEYS]);
  // Bad arguments are refused before a device is opened.
  const { policy, method, ...attrs } = rest;
  checkConvArguments(x, w, bias, attrs);
  checkMethodOption(method);
  const s = await Session.open({ backend, mode, profile, memoryBudget, precision });
  try {
    return await s.conv2d(x, w, bias, { ...attrs, policy, method });
  } finally {
    await s.close();
  }
}

/** One call: opens the backend, runs a graph, closes. */
export async function runModel(graph: Graph, feeds: Record<string, Tensor>, options: RoutingOptions & BackendOptions = {}): Promise<GraphRunResult> {
  const { backend, mode, profile, memoryBudget, precision, ...rest } = checkOptions(options, [...ROUTING_OPTION_KEYS, ...BACKEND_OPTION_KEYS]);
  const s = await Session.open({ backend, mode, profile, memoryBudget, precision });
  try {
    return await s.run(graph, feeds, rest);
  } finally {
    await s.close();
  }
}
