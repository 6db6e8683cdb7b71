/** IR value names are safe identifiers (core's graph NAME rule); ONNX names are any string
 * ('/layer1/Conv_output_0', '123'). A valid ONNX name is kept; any other becomes 'v_' + the name
 * with each unsafe character replaced by '_', made unique with a numeric suffix. */
const NAME = /^[A-Za-z_][A-Za-z0-9_.:/-]{0,127}$/;
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

export function isIrName(name: string): boolean {
  return NAME.test(name) && !RESERVED.has(name);
}

export class ValueNames {
  private readonly map = new Map<string, string>();
  private readonly used = new Set<string>();

  /** Registers every name once: valid names first, so a renamed one can never take theirs. */
  constructor(names: Iterable<string>) {
    const all = [...new Set(names)].filter((n) => n !== '');
    for (const n of all)
      if (isIrName(n)) {
        this.map.set(n, n);
        this.used.add(n);
      }
    for (const n of all) if (!this.map.has(n)) this.map.set(n, this.fresh(`v_${n.replace(/[^A-Za-z0-9_.:/-]/g, '_').slice(0, 100)}`));
  }

  /** The IR name of an ONNX name (registered in the constructor or here). */
  ir(name: string): string {
    let v = this.map.get(name);
    if (v === undefined) {
      v = isIrName(name) && !this.used.has(name) ? name : this.fresh(`v_${name.replace(/[^A-Za-z0-9_.:/-]/g, '_').slice(0, 100)}`);
      this.used.add(v);
      this.map.set(name, v);
    }
    return v;
  }

  /** A new name not used by any value. */
  fresh(base: string): string {
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base.slice(0, 120)}_${k}`;
    this.used.add(name);
    return name;
  }
}
