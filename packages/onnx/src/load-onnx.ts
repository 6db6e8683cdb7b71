import { ConvrouteError, checkKnownKeys, type Graph, type GraphDecl, validateGraph } from '@convroute/core';
import { type ConstValue, constTensor, elementCount, readTensorProto } from './const-value.ts';
import { FOLD_ATTRS, foldNode } from './fold-ops.ts';
import { runGraphPasses } from './graph-passes.ts';
import { IMPORTERS, type OpContext } from './import-ops.ts';
import { checkLimits, checkString, type OnnxLimits } from './limits.ts';
import { NodeAttrs, nodeField } from './node-attrs.ts';
import { AttrType, DataType, decodeModelProto, type GraphProto, type NodeProto, readTensorDims, toInt } from './onnx-proto.ts';
import { ValueNames } from './value-names.ts';

export interface LoadOnnxOptions {
  /** Bounds on the untrusted model (defaults: DEFAULT_ONNX_LIMITS). */
  limits?: Partial<OnnxLimits>;
  /** Shapes for graph inputs with symbolic dims (e.g. a batch 'N'), by ONNX input name. */
  inputShapes?: Record<string, number[]>;
  /** Fold a BatchNormalization into the conv before it (default false): a different function,
   * the folded weights rounded once (docs/semantics.md). */
  foldBatchNorm?: boolean;
  /** Fuse conv + Relu/Clip into conv2d's activation (default true): the same function. */
  fuseActivations?: boolean;
  /** Remove a Transpose followed by its inverse (default true): the same function. */
  cancelTransposes?: boolean;
  /** Remove Identity and inference Dropout nodes that are no graph output (default true): the same function. */
  removeIdentities?: boolean;
}

const OPTION_KEYS = ['limits', 'inputShapes', 'foldBatchNorm', 'fuseActivations', 'cancelTransposes', 'removeIdentities'] as const;
export const MIN_OPSET = 11;
export const MAX_OPSET = 21;

/** Decodes an ONNX model (float32, ai.onnx opsets 11 to 21) into a validated graph: initializers
 * and Constant nodes become constants, shape subgraphs are folded into the attributes the IR
 * takes, and anything unsupported is refused at load, naming the node, op, opset and attribute. */
export async function loadOnnx(bytes: Uint8Array, options: LoadOnnxOptions = {}): Promise<Graph> {
  checkKnownKeys('options', options, OPTION_KEYS, 'INVALID_ARGUMENT');
  const limits = checkLimits(options.limits);
  if (!(bytes instanceof Uint8Array)) throw new ConvrouteError('INVALID_ARGUMENT', 'bytes', typeof bytes, 'must be a Uint8Array');
  if (bytes.length > limits.maxBytes)
    throw new ConvrouteError('TOO_LARGE', 'model', bytes.length, `the model is larger than ${limits.maxBytes} bytes (limits.maxBytes)`);
  const model = decodeModelProto(bytes);
  const opset = modelOpset(model.opset_import);
  if (!model.graph) throw new ConvrouteError('ONNX_FORMAT', 'model.graph', null, 'the model has no graph');
  const fields = new Map<string, string>();
  const decl = importGraph(model.graph, opset, limits, options.inputShapes ?? {}, fields);
  const passes = {
    foldBatchNorm: options.foldBatchNorm ?? false,
    fuseActivations: options.fuseActivations ?? true,
    cancelTransposes: options.cancelTransposes ?? true,
    removeIdentities: options.removeIdentities ?? true,
  };
  return validateNamingNodes(runGraphPasses(decl, passes), fields);
}

/** validateGraph, with a node's errors naming the ONNX node (its name, op type and opset) rather
 * than its index in the imported graph. */
function validateNamingNodes(decl: GraphDecl, fields: Map<string, string>): Graph {
  try {
    return validateGraph(decl);
  } catch (e) {
    const m = e instanceof ConvrouteError ? /^nodes\[(\d+)\](.*)$/.exec(e.field) : null;
    const field = m && fields.get(decl.nodes[Number(m[1])]?.id);
    if (!m || !field || !(e instanceof ConvrouteError)) throw e;
    throw new ConvrouteError(e.code, `${field}${m[2]}`, e.value, e.rule);
  }
}

function modelOpset(imports: { domain: string; version: Parameters<typeof toInt>[0] }[]): number {
  const main = imports.filter((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (main.length !== 1) throw new ConvrouteError('ONNX_FORMAT', 'model.opset_import', main.length, 'must import the ai.onnx domain exactly once');
  const v = toInt(main[0].version, 'model.opset_import.version');
  if (v < MIN_OPSET || v > MAX_OPSET)
    throw new ConvrouteError('UNSUPPORTED_OP', 'model.opset_import', v, `ai.onnx opsets ${MIN_OPSET} to ${MAX_OPSET} are supported`);
  return v;
}

type DeclNode = GraphDecl['nodes'][number];

function importGraph(g: GraphProto, opset: number, limits: OnnxLimits, inputShapes: Record<string, number[]>, fields: Map<string, string>): GraphDecl {
  if (g.node.length > limits.maxNodes)
    throw new ConvrouteError('TOO_LARGE', 'graph.node', g.node.length, `more than ${limits.maxNodes} nodes (limits.maxNodes)`);
  if (g.sparse_initializer.length > 0)
    throw new ConvrouteError('ONNX_FORMAT', 'graph.sparse_initializer', g.sparse_initializer.length, 'sparse initializers are not supported');
  const names = new ValueNames([...g.input.map((v) => v.name), ...g.initializer.map((t) => t.name), ...g.node.flatMap((n) => n.output)]);
  const consts = new Map<string, ConstValue>();
  let totalElements = 0;
  const addConst = (name: string, v: ConstValue, field: string) => {
    totalElements += v.data.length;
    if (totalElements > limits.maxTotalElements)
      throw new ConvrouteError('TOO_LARGE', field, totalElements, `constants hold more than ${limits.maxTotalElements} elements (limits.maxTotalElements)`);
    consts.set(name, v);
  };
  g.initializer.forEach((t, i) => {
    checkString(`graph.initializer[${i}].name`, t.name, limits);
    if (consts.has(t.name)) throw new ConvrouteError('ONNX_FORMAT', `graph.initializer[${i}].name`, t.name, 'two initializers have this name');
    addConst(t.name, readTensorProto(t, `initializer ${JSON.stringify(t.name.slice(0, 80))}`, limits), `graph.initializer[${i}]`);
  });

  const decl: GraphDecl = { inputs: [], constants: [], nodes: [], outputs: [] };
  const irValues = new Set<string>();
  const shapes = new Map<string, number[]>();
  const graphInputs = new Set(g.input.map((v) => v.name).filter((n) => !consts.has(n)));
  const unknownShapes = Object.keys(inputShapes).filter((n) => !graphInputs.has(n));
  if (unknownShapes.length) throw new ConvrouteError('INVALID_ARGUMENT', 'inputShapes', unknownShapes, 'names no graph input of the model');
  // An input with an initializer is a constant (older exporters list weights as inputs).
  g.input.forEach((v, i) => {
    checkString(`graph.input[${i}].name`, v.name, limits);
    if (consts.has(v.name)) return;
    const shape = inputShape(v, i, inputShapes, limits);
    decl.inputs.push({ name: names.ir(v.name), shape });
    irValues.add(v.name);
    shapes.set(v.name, shape);
  });

  const irConsts = new Set<string>();
  const useConst = (name: string, field: string) => {
    if (irConsts.has(name)) return;
    const v = consts.get(name)!;
    decl.constants.push({ name: names.ir(name), shape: v.dims, tensor: constTensor(v, field) });
    irConsts.add(name);
  };
  const unavailable = new Map<string, string>();
  const shapeOf = (name: string): number[] => consts.get(name)?.dims ?? shapes.get(name)!;
  // Each IR node's output shape, inferred as it is imported by validating that node alone (its
  // inputs at their known shapes): linear in the graph, and errors name the ONNX node.
  const inferShape = (ir: DeclNode, onnxInputs: string[]): number[] => {
    const uniq = [...new Set(onnxInputs.filter((n) => n !== ''))];
    const mini: GraphDecl = {
      inputs: uniq.filter((n) => !consts.has(n)).map((n) => ({ name: names.ir(n), shape: shapes.get(n)! })),
      constants: uniq.filter((n) => consts.has(n)).map((n) => ({ name: names.ir(n), shape: consts.get(n)!.dims })),
      nodes: [ir],
      outputs: [ir.output],
    };
    return validateNamingNodes(mini, fields).values.get(ir.output)!.shape;
  };
  const nodeIds = new ValueNames([]);

  g.node.forEach((node, index) => {
    const field = nodeField(node, index, opset);
    checkString(`${field}.name`, node.name, limits);
    checkString(`${field}.op_type`, node.op_type, limits);
    if (node.domain !== '' && node.domain !== 'ai.onnx')
      throw new ConvrouteError('UNSUPPORTED_OP', `${field}.domain`, node.domain, 'only the ai.onnx domain is supported');
    // Subgraphs first (If/Loop/Scan bodies): refused by name, never recursed into.
    for (const a of node.attribute)
      if (a.g || a.graphs.length > 0 || a.type === AttrType.GRAPH || a.type === AttrType.GRAPHS)
        throw new ConvrouteError('UNSUPPORTED_ATTRIBUTE', `${field}.${a.name.slice(0, 80)}`, 'graph', 'subgraphs (If, Loop, Scan bodies) are not supported');
    node.input.forEach((name, j) => {
      checkString(`${field}.input[${j}]`, name, limits);
      if (name === '') return;
      if (unavailable.has(name))
        throw new ConvrouteError('UNSUPPORTED_OP', `${field}.input[${j}]`, name, `reads ${unavailable.get(name)}, which is not supported`);
      if (!consts.has(name) && !irValues.has(name))
        throw new ConvrouteError(
          'INVALID_GRAPH',
          `${field}.input[${j}]`,
          name,
          'is defined by no input, initializer or earlier node (nodes must be in topological order)',
        );
    });
    if (node.output.length === 0 || node.output[0] === '') throw new ConvrouteError('ONNX_FORMAT', `${field}.output`, node.output, 'a node needs an output');
    node.output.forEach((name, j) => {
      checkString(`${field}.output[${j}]`, name, limits);
      if (j > 0 && name !== '') unavailable.set(name, `output ${j} of ${node.op_type}`);
    });
    const out = node.output[0];
    if (consts.has(out) || irValues.has(out))
      throw new ConvrouteError('INVALID_GRAPH', `${field}.output[0]`, out, 'is defined twice (by an input, initializer or earlier node)');
    const allConst = node.input.every((n) => n === '' || consts.has(n));
    const op = node.op_type;
    if (op === 'Shape') {
      const a = new NodeAttrs(node, field, opset >= 15 ? ['start', 'end'] : [], limits);
      if (!node.input[0]) throw new ConvrouteError('ONNX_FORMAT', `${field}.input[0]`, node.input[0] ?? null, 'Shape needs its input');
      const dims = shapeOf(node.input[0]);
      const clampIndex = (v: number) => Math.min(Math.max(v < 0 ? v + dims.length : v, 0), dims.length);
      const sel = dims.slice(clampIndex(a.int('start', 0)), clampIndex(a.int('end', dims.length)));
      addConst(out, { dims: [sel.length], dtype: 'int64', data: Float64Array.from(sel) }, field);
    } else if (FOLD_ATTRS[op] && allConst) {
      const attrs = new NodeAttrs(node, field, FOLD_ATTRS[op], limits);
      const inputs = node.input.map((n) => (n === '' ? undefined : consts.get(n)));
      const v = foldNode(op, { attrs, opset, limits, inputs });
      elementCount(v.dims, field, limits);
      addConst(out, v, field);
    } else if (IMPORTERS[op]) {
      const ir = importNode(node, field, opset, limits, consts, shapeOf, names, nodeIds, useConst, index);
      fields.set(ir.id, field);
      decl.nodes.push(ir);
      irValues.add(out);
      shapes.set(out, inferShape(ir, node.input));
    } else if (FOLD_ATTRS[op]) {
      throw new ConvrouteError('UNSUPPORTED_OP', field, op, `${op} is supported on constant inputs only (folded at import)`);
    } else {
      throw new ConvrouteError('UNSUPPORTED_OP', field, op, 'this op is not supported');
    }
  });

  g.output.forEach((v, i) => {
    if (unavailable.has(v.name))
      throw new ConvrouteError('UNSUPPORTED_OP', `graph.output[${i}]`, v.name, `is ${unavailable.get(v.name)}, which is not supported`);
    if (consts.has(v.name)) useConst(v.name, `graph.output[${i}]`);
    else if (!irValues.has(v.name)) throw new ConvrouteError('INVALID_GRAPH', `graph.output[${i}]`, v.name, 'names no value of the graph');
    decl.outputs.push(names.ir(v.name));
  });
  return decl;
}

function inputShape(v: GraphProto['input'][number], i: number, given: Record<string, number[]>, limits: OnnxLimits): number[] {
  const field = `graph.input[${i}] ${JSON.stringify(v.name.slice(0, 80))}`;
  const t = v.type?.tensor_type;
  if (!t) throw new ConvrouteError('ONNX_FORMAT', `${field}.type`, null, 'graph inputs must be tensors');
  if (t.elem_type !== DataType.FLOAT) throw new ConvrouteError('ONNX_FORMAT', `${field}.elem_type`, t.elem_type, 'graph inputs must be FLOAT (float32)');
  const override = given[v.name];
  if (!t.shape) {
    // No shape at all: the rank is unknown too, so only inputShapes can give it.
    if (override === undefined)
      throw new ConvrouteError(
        'INVALID_ARGUMENT',
        `${field}.shape`,
        null,
        `the input has no shape: give it (options.inputShapes / --input-shape ${v.name}=...)`,
      );
    if (!Array.isArray(override) || override.length > limits.maxRank || override.some((d) => !Number.isSafeInteger(d) || d < 1))
      throw new ConvrouteError('INVALID_ARGUMENT', `inputShapes.${v.name}`, override, 'must be positive integers');
    return [...override];
  }
  const declared = readTensorDims(t.shape.dim, `${field}.shape`);
  if (declared.length > limits.maxRank) throw new ConvrouteError('TOO_LARGE', `${field}.shape`, declared.length, `rank is limited to ${limits.maxRank}`);
  if (override !== undefined) {
    if (
      !Array.isArray(override) ||
      override.length !== declared.length ||
      override.some((d, k) => !Number.isSafeInteger(d) || d < 1 || (typeof declared[k] === 'number' && declared[k] !== d))
    )
      throw new ConvrouteError(
        'INVALID_ARGUMENT',
        `inputShapes.${v.name}`,
        override,
        `must be positive integers matching the declared dims [${declared.join(', ')}]`,
      );
    return [...override];
  }
  return declared.map((d, k) => {
    if (typeof d !== 'number')
      throw new ConvrouteError(
        'INVALID_ARGUMENT',
        `${field}.shape[${k}]`,
        d,
        `a symbolic dim: give the input's shape (options.inputShapes / --input-shape ${v.name}=...)`,
      );
    return d;
  });
}

function importNode(
  node: NodeProto,
  field: string,
  opset: number,
  limits: OnnxLimits,
  consts: Map<string, ConstValue>,
  shapeOf: (name: string) => number[],
  names: ValueNames,
  nodeIds: ValueNames,
  useConst: (name: string, field: string) => void,
  index: number,
): DeclNode {
  const spec = IMPORTERS[node.op_type];
  const attrs = new NodeAttrs(node, field, spec.attrs, limits);
  const ctx: OpContext = {
    attrs,
    opset,
    field,
    arity: node.input.length,
    constInput: (i, what) => {
      const name = node.input[i];
      if (name === undefined || name === '') return undefined;
      const v = consts.get(name);
      if (!v)
        throw new ConvrouteError(
          'UNSUPPORTED_ATTRIBUTE',
          `${field}.${what}`,
          name,
          `must be a constant (an initializer, a Constant or a foldable shape computation)`,
        );
      return v;
    },
    shape: (i) => {
      const name = node.input[i];
      if (name === undefined || name === '') throw new ConvrouteError('ONNX_FORMAT', `${field}.input[${i}]`, name ?? null, 'this input is required');
      return shapeOf(name);
    },
  };
  const ir = spec.run(ctx);
  // Trailing omitted optional inputs ('') are dropped; one in the middle cannot be expressed.
  const inputs = ir.inputs.map((i) => node.input[i] ?? '');
  while (inputs.length && inputs[inputs.length - 1] === '') inputs.pop();
  inputs.forEach((name, j) => {
    if (name === '')
      throw new ConvrouteError('UNSUPPORTED_ATTRIBUTE', `${field}.input[${ir.inputs[j]}]`, '', 'an omitted input before a given one is not supported');
    if (consts.has(name)) useConst(name, `${field}.input[${ir.inputs[j]}]`);
  });
  const id = nodeIds.fresh(node.name && /^[A-Za-z_][A-Za-z0-9_.:/-]{0,127}$/.test(node.name) ? node.name : `${node.op_type}_${index}`);
  return { id, op: ir.op as DeclNode['op'], inputs: inputs.map((n) => names.ir(n)), output: names.ir(node.output[0]), attrs: ir.attrs as DeclNode['attrs'] };
}
