import { ConvrouteError } from '@convroute/core';
import { type ConstValue, readTensorProto } from './const-value.ts';
import { checkString, type OnnxLimits } from './limits.ts';
import { type AttributeProto, AttrType, type NodeProto, toInt } from './onnx-proto.ts';

/** Where a node sits, for error messages: its name, op type and the model's opset. */
export function nodeField(node: NodeProto, index: number, opset: number): string {
  const name = node.name ? JSON.stringify(node.name.slice(0, 80)) : `#${index}`;
  return `node ${name} (${node.op_type}, opset ${opset})`;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** A node's attributes, each checked against the names its op takes: an attribute the importer
 * does not know is UNSUPPORTED_ATTRIBUTE, never ignored. Subgraph attributes are refused. */
export class NodeAttrs {
  private readonly byName = new Map<string, AttributeProto>();

  constructor(
    node: NodeProto,
    readonly field: string,
    allowed: readonly string[],
    private readonly limits: OnnxLimits,
  ) {
    for (const a of node.attribute) {
      checkString(`${field}.attribute`, a.name, limits);
      if (a.type === AttrType.GRAPH || a.type === AttrType.GRAPHS || a.g || a.graphs.length > 0)
        throw new ConvrouteError('UNSUPPORTED_ATTRIBUTE', `${field}.${a.name}`, 'graph', 'subgraphs (If, Loop, Scan bodies) are not supported');
      if (a.ref_attr_name)
        throw new ConvrouteError('UNSUPPORTED_ATTRIBUTE', `${field}.${a.name}`, a.ref_attr_name, 'attribute references (functions) are not supported');
      if (!allowed.includes(a.name))
        throw new ConvrouteError(
          'UNSUPPORTED_ATTRIBUTE',
          `${field}.${a.name}`,
          a.name,
          allowed.length ? `unknown or unsupported attribute; supported: ${allowed.join(', ')}` : 'this op takes no attributes',
        );
      if (this.byName.has(a.name)) throw new ConvrouteError('ONNX_FORMAT', `${field}.${a.name}`, a.name, 'attribute given twice');
      this.byName.set(a.name, a);
    }
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  private get(name: string, type: number, what: string): AttributeProto | undefined {
    const a = this.byName.get(name);
    if (a && a.type !== type) throw new ConvrouteError('ONNX_FORMAT', `${this.field}.${name}`, a.type, `must be ${what} (AttributeType ${type})`);
    return a;
  }

  int(name: string, fallback: number): number {
    const a = this.get(name, AttrType.INT, 'an int');
    return a ? toInt(a.i, `${this.field}.${name}`) : fallback;
  }

  float(name: string, fallback: number): number {
    const a = this.get(name, AttrType.FLOAT, 'a float');
    return a ? a.f : fallback;
  }

  string(name: string, fallback: string): string {
    const a = this.get(name, AttrType.STRING, 'a string');
    if (!a) return fallback;
    if (a.s.length > this.limits.maxStringLength)
      throw new ConvrouteError('TOO_LARGE', `${this.field}.${name}`, a.s.length, 'string attribute too long (limits.maxStringLength)');
    return utf8.decode(a.s);
  }

  ints(name: string): number[] | undefined {
    const a = this.get(name, AttrType.INTS, 'a list of ints');
    if (a && a.ints.length > this.limits.maxTensorElements) throw new ConvrouteError('TOO_LARGE', `${this.field}.${name}`, a.ints.length, 'too many values');
    return a?.ints.map((v, i) => toInt(v, `${this.field}.${name}[${i}]`));
  }

  floats(name: string): number[] | undefined {
    return this.get(name, AttrType.FLOATS, 'a list of floats')?.floats.map((v) => Math.fround(v));
  }

  tensor(name: string): ConstValue | undefined {
    const a = this.get(name, AttrType.TENSOR, 'a tensor');
    return a?.t ? readTensorProto(a.t, `${this.field}.${name}`, this.limits) : undefined;
  }

  /** Refuses an attribute whose value is not one the importer supports (e.g. auto_pad=SAME_LOWER). */
  unsupported(name: string, value: unknown, rule: string): never {
    throw new ConvrouteError('UNSUPPORTED_ATTRIBUTE', `${this.field}.${name}`, value, rule);
  }
}
