import { checkKnownKeys } from './attrs.ts';
import { isConvMethod } from './conv-methods.ts';
import { ConvrouteError } from './errors.ts';
import { OP_INFERENCE, type OpAttrs } from './graph-ops.ts';
import { type Method, OP_NAMES, type OpName, type OpSpec, opOutputShape } from './ops.ts';
import { checkShape, shapesEqual, type Tensor } from './tensor.ts';

/** Value names double as JSON keys and CLI words: a safe identifier, never a prototype key. */
const NAME = /^[A-Za-z_][A-Za-z0-9_.:/-]{0,127}$/;
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/** A graph before validation: what the builder and the JSON loader both produce. */
export interface GraphDecl {
  inputs: { name: string; shape: readonly number[] }[];
  /** `tensor` may be absent when a graph is loaded for its shapes only (routing); running needs it. */
  constants: { name: string; shape: readonly number[]; tensor?: Tensor }[];
  nodes: { id: string; op: OpName; inputs: string[]; output: string; attrs?: OpAttrs; method?: Method | 'auto' }[];
  outputs: string[];
}

export interface GraphValue {
  name: string;
  shape: number[];
  kind: 'input' | 'constant' | 'node';
  tensor?: Tensor;
}

export interface GraphNode {
  id: string;
  inputs: string[];
  output: string;
  op: OpSpec;
  /** 'auto' asks the routing function; anything else is a per-node override. */
  method: Method | 'auto';
}

/** A validated graph: every name resolves, there is no cycle, every shape was inferred, and
 * `nodes` is in a topological order. Only `validateGraph` makes one. */
export interface Graph {
  readonly values: ReadonlyMap<string, GraphValue>;
  readonly nodes: readonly GraphNode[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

function bad(field: string, value: unknown, rule: string): never {
  throw new ConvrouteError('INVALID_GRAPH', field, value, rule);
}

function checkName(field: string, name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name) || RESERVED.has(name)) {
    bad(field, name, 'must match /^[A-Za-z_][A-Za-z0-9_.:/-]{0,127}$/ and not be __proto__, constructor or prototype');
  }
  return name;
}

export function validateGraph(decl: GraphDecl): Graph {
  const values = new Map<string, GraphValue>();
  const declare = (field: string, v: GraphValue) => {
    checkName(field, v.name);
    if (values.has(v.name)) bad(field, v.name, 'is defined twice; every value has one producer');
    values.set(v.name, v);
  };
  decl.inputs.forEach((inp, i) => {
    checkShape(inp.shape, `inputs[${i}].shape`);
    declare(`inputs[${i}].name`, { name: inp.name, shape: [...inp.shape], kind: 'input' });
  });
  decl.constants.forEach((c, i) => {
    checkShape(c.shape, `constants[${i}].shape`);
    if (c.tensor && !shapesEqual(c.tensor.shape, c.shape))
      bad(`constants[${i}].shape`, c.shape, `does not match its data's shape [${c.tensor.shape.join(', ')}]`);
    declare(`constants[${i}].name`, { name: c.name, shape: [...c.shape], kind: 'constant', tensor: c.tensor });
  });
  const ids = new Set<string>();
  const producer = new Map<string, number>();
  decl.nodes.forEach((n, i) => {
    checkName(`nodes[${i}].id`, n.id);
    if (ids.has(n.id)) bad(`nodes[${i}].id`, n.id, 'node ids must be unique');
    ids.add(n.id);
    if (!OP_NAMES.includes(n.op)) bad(`nodes[${i}].op`, n.op, `unknown op; known ops: ${OP_NAMES.join(', ')}`);
    const m = n.method ?? 'auto';
    if (m !== 'auto' && !isConvMethod(m) && m !== n.op) bad(`nodes[${i}].method`, m, `must be 'auto' or a method of ${n.op}`);
    if (n.op !== 'conv2d' && isConvMethod(m)) bad(`nodes[${i}].method`, m, `${m} is a conv2d method; ${n.op} has only '${n.op}'`);
    checkName(`nodes[${i}].output`, n.output);
    if (values.has(n.output) || producer.has(n.output)) bad(`nodes[${i}].output`, n.output, 'is defined twice; every value has one producer');
    producer.set(n.output, i);
  });
  const order = topologicalOrder(decl, values, producer);
  const nodes: GraphNode[] = [];
  for (const i of order) {
    const n = decl.nodes[i];
    const shapes = n.inputs.map((name) => values.get(name)!.shape);
    const op = inferOp(n.op, shapes, n.attrs ?? {}, `nodes[${i}]`);
    values.set(n.output, { name: n.output, shape: opOutputShape(op), kind: 'node' });
    nodes.push({ id: n.id, inputs: [...n.inputs], output: n.output, op, method: n.method ?? 'auto' });
  }
  if (decl.outputs.length === 0) bad('outputs', decl.outputs, 'a graph needs at least one output');
  decl.outputs.forEach((o, i) => {
    if (!values.has(o)) bad(`outputs[${i}]`, o, 'names no value of the graph');
  });
  return { values, nodes, inputs: decl.inputs.map((i) => i.name), outputs: [...decl.outputs] };
}

/** Kahn's algorithm, linear in nodes + edges (consumer lists grow in place and the queue is read
 * by index: a value with a fan-out of 100k must not cost 100k^2); reports dangling references
 * and cycles by node. */
function topologicalOrder(decl: GraphDecl, values: Map<string, GraphValue>, producer: Map<string, number>): number[] {
  const pending = decl.nodes.map(() => 0);
  const consumers: number[][] = decl.nodes.map(() => []);
  decl.nodes.forEach((n, i) => {
    if (!Array.isArray(n.inputs)) bad(`nodes[${i}].inputs`, n.inputs, 'must be an array of value names');
    n.inputs.forEach((name, j) => {
      if (values.has(name)) return;
      const p = producer.get(name);
      if (p === undefined) bad(`nodes[${i}].inputs[${j}]`, name, 'names no input, constant or node output (dangling)');
      pending[i]++;
      consumers[p].push(i);
    });
  });
  const ready = pending.flatMap((c, i) => (c === 0 ? [i] : []));
  const order: number[] = [];
  for (let head = 0; head < ready.length; head++) {
    const i = ready[head];
    order.push(i);
    for (const c of consumers[i]) if (--pending[c] === 0) ready.push(c);
  }
  if (order.length !== decl.nodes.length) {
    const stuck = decl.nodes.filter((_, i) => pending[i] > 0).map((n) => n.id);
    bad('nodes', stuck, 'these nodes form or depend on a cycle');
  }
  return order;
}

function inferOp(op: OpName, shapes: number[][], attrs: OpAttrs, field: string): OpSpec {
  if (attrs === null || typeof attrs !== 'object' || Array.isArray(attrs)) bad(`${field}.attrs`, attrs, 'must be an object');
  const inference = OP_INFERENCE[op];
  checkKnownKeys(`${field}.attrs`, attrs, inference.keys);
  const [min, max] = inference.arity;
  if (shapes.length < min || shapes.length > max) {
    bad(`${field}.inputs`, shapes.length, `${op} takes ${min === max ? min : max === min + 1 ? `${min} or ${max}` : `${min} to ${max}`} inputs`);
  }
  try {
    return inference.spec(shapes, attrs, field);
  } catch (e) {
    // Name the node in attribute and shape errors so a graph's author can find it.
    if (e instanceof ConvrouteError && !e.field.startsWith(field)) throw new ConvrouteError(e.code, `${field}.${e.field}`, e.value, e.rule);
    throw e;
  }
}
