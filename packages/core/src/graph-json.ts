import { Ajv } from 'ajv';
import schema from '../schema/graph.schema.json' with { type: 'json' };
import { ConvrouteError } from './errors.ts';
import type { Graph, GraphDecl } from './graph.ts';
import { validateGraph } from './graph.ts';
import { parseJsonText } from './json-text.ts';
import { readNpy } from './npy.ts';
import { uniformData } from './random.ts';
import { schemaError } from './schema-errors.ts';
import { shapeSize, shapesEqual, Tensor } from './tensor.ts';

export const GRAPH_JSON_SCHEMA = schema;

// verbose: errors carry their schemas, so a refusal can say what is allowed (schema-errors.ts).
const ajv = new Ajv({ allErrors: false, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true });
const validateSchema = ajv.compile(schema);

export interface LoadGraphOptions {
  /** Reads a .npy referenced by a constant, given its path relative to the graph file.
   * Without it, a graph with .npy constants is refused unless `shapesOnly`. */
  readNpyFile?: (relativePath: string) => Promise<Uint8Array>;
  /** Load shapes only (for routing): constants get no data and nothing is read. */
  shapesOnly?: boolean;
  /** Refuse graphs whose constants hold more elements than this in total (untrusted input). */
  maxConstantElements?: number;
}

interface JsonConstant {
  name: string;
  shape: number[];
  npy?: string;
  data?: number[];
  fill?: { kind: 'uniform' | 'constant'; seed?: number; low?: number; high?: number; value?: number };
}

interface JsonGraph {
  inputs: { name: string; shape: number[] }[];
  constants?: JsonConstant[];
  nodes: GraphDecl['nodes'];
  outputs: string[];
}

/** Parses and validates a graph's JSON (text or an already-parsed value) before anything runs:
 * the schema, then names, references, cycles and every shape. Weights are read last. */
export async function loadGraphJson(json: string | unknown, options: LoadGraphOptions = {}): Promise<Graph> {
  let doc: unknown = json;
  if (typeof json === 'string') {
    doc = parseJsonText(json, 'INVALID_GRAPH', 'graph');
  }
  if (!validateSchema(doc)) throw schemaError(doc, validateSchema.errors!);
  const g = doc as unknown as JsonGraph;
  const constants = g.constants ?? [];
  const limit = options.maxConstantElements ?? 2 ** 28;
  const total = constants.reduce((s, c) => s + shapeSize(c.shape), 0);
  if (total > limit) throw new ConvrouteError('TOO_LARGE', 'constants', total, `the graph's constants hold more than ${limit} elements`);

  // Structure and shapes first, with no data read: a bad graph is refused before any I/O.
  const decl: GraphDecl = {
    inputs: g.inputs,
    constants: constants.map((c) => ({ name: c.name, shape: c.shape })),
    nodes: g.nodes,
    outputs: g.outputs,
  };
  const graph = validateGraph(decl);
  if (options.shapesOnly) return graph;
  // Validated once: the data only joins its constant (constantTensor checks it has the declared shape).
  const values = new Map(graph.values);
  for (const [i, c] of constants.entries()) values.set(c.name, { ...values.get(c.name)!, tensor: await constantTensor(c, i, options) });
  return { ...graph, values };
}

/** A constant's .npy path, checked again here (not only by the schema) because it reaches the
 * caller's file reader: relative, no '..' segment, no drive letter, no control character. */
export function checkNpyPath(field: string, p: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(p))
    throw new ConvrouteError('INVALID_GRAPH', field, p, 'must not contain control characters or line breaks');
  if (/^[/\\]/.test(p) || p.includes(':'))
    throw new ConvrouteError('INVALID_GRAPH', field, p, "must be relative to the graph's folder (no absolute path or drive letter)");
  if (p.split(/[/\\]/).includes('..')) throw new ConvrouteError('INVALID_GRAPH', field, p, "must stay inside the graph's folder (no '..' segment)");
  if (p.length === 0 || p.length > 1024) throw new ConvrouteError('INVALID_GRAPH', field, p, 'must be 1 to 1024 characters');
  return p;
}

async function constantTensor(c: JsonConstant, i: number, options: LoadGraphOptions): Promise<Tensor> {
  const field = `constants[${i}]`;
  const n = shapeSize(c.shape);
  if (c.data) {
    if (c.data.length !== n)
      throw new ConvrouteError('SHAPE_MISMATCH', `${field}.data`, c.data.length, `must hold ${n} numbers for shape [${c.shape.join(', ')}]`);
    return Tensor.fromData(Float32Array.from(c.data), c.shape);
  }
  if (c.fill) {
    const f = c.fill;
    if (f.kind === 'constant') return Tensor.fromData(new Float32Array(n).fill(f.value ?? 0), c.shape);
    const low = f.low ?? -1;
    const high = f.high ?? 1;
    if (!(low < high)) throw new ConvrouteError('INVALID_GRAPH', `${field}.fill`, f, 'uniform fill needs low < high');
    return Tensor.fromData(uniformData(n, f.seed ?? i, low, high), c.shape);
  }
  if (!options.readNpyFile) throw new ConvrouteError('INVALID_GRAPH', `${field}.npy`, c.npy, 'references a .npy file but no file reader was given');
  const path = checkNpyPath(`${field}.npy`, c.npy!);
  let t: Tensor;
  try {
    t = readNpy(await options.readNpyFile(path));
  } catch (e) {
    if (e instanceof ConvrouteError && !e.field.startsWith(field)) throw new ConvrouteError(e.code, `${field}.npy: ${e.field}`, e.value, e.rule);
    throw e;
  }
  if (!shapesEqual(t.shape, c.shape))
    throw new ConvrouteError('SHAPE_MISMATCH', `${field}.npy`, t.shape, `file shape must equal the declared shape [${c.shape.join(', ')}]`);
  return t;
}
