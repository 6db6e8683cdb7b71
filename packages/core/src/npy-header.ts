import { ConvrouteError } from './errors.ts';

// The .npy header is a Python dict literal, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// A real (small) parser rather than regexes: a regex takes a 'shape' found inside a string value.

type PyValue = string | boolean | number[];

export interface NpyHeaderDict {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

const KEYS = ['descr', 'fortran_order', 'shape'];

function fail(field: string, value: unknown, rule: string): never {
  throw new ConvrouteError('NPY_FORMAT', field, value, rule);
}

class Cursor {
  i = 0;
  constructor(readonly text: string) {}
  skipSpace(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i])) this.i++;
  }
  peek(): string {
    this.skipSpace();
    return this.text[this.i] ?? '';
  }
  expect(ch: string): void {
    if (this.peek() !== ch) this.fail(`expected '${ch}'`);
    this.i++;
  }
  fail(what: string): never {
    fail('npy.header', this.i, `not a Python dict literal at character ${this.i}: ${what}`);
  }
}

function parseString(c: Cursor): string {
  const quote = c.peek();
  if (quote !== "'" && quote !== '"') c.fail('expected a string');
  let out = '';
  for (c.i++; c.i < c.text.length; c.i++) {
    const ch = c.text[c.i];
    if (ch === quote) {
      c.i++;
      return out;
    }
    if (ch === '\\') {
      c.i++;
      out += c.text[c.i] ?? '';
    } else out += ch;
  }
  return c.fail('unterminated string');
}

function parseTuple(c: Cursor): number[] {
  c.expect('(');
  const dims: number[] = [];
  while (c.peek() !== ')') {
    const m = /^\d+L?/.exec(c.text.slice(c.i));
    if (!m) c.fail('shape must be a tuple of non-negative integers');
    dims.push(Number.parseInt(m[0], 10));
    c.i += m[0].length;
    if (c.peek() === ',') c.i++;
    else if (c.peek() !== ')') c.fail("expected ',' or ')' in the shape");
  }
  c.i++;
  return dims;
}

function parseValue(c: Cursor): PyValue {
  const ch = c.peek();
  if (ch === "'" || ch === '"') return parseString(c);
  if (ch === '(') return parseTuple(c);
  for (const [word, v] of [
    ['True', true],
    ['False', false],
  ] as const) {
    if (c.text.startsWith(word, c.i)) {
      c.i += word.length;
      return v;
    }
  }
  return c.fail('expected a string, True, False or a tuple');
}

/** Parses the header dict: exactly the keys descr, fortran_order and shape, each once. */
export function parseNpyHeaderDict(header: string): NpyHeaderDict {
  const c = new Cursor(header);
  const dict = new Map<string, PyValue>();
  c.expect('{');
  while (c.peek() !== '}') {
    const key = parseString(c);
    if (!KEYS.includes(key)) fail('npy.header', key, `unknown key; a .npy header holds ${KEYS.join(', ')}`);
    if (dict.has(key)) fail(`npy.header.${key}`, key, 'appears twice');
    c.expect(':');
    dict.set(key, parseValue(c));
    if (c.peek() === ',') c.i++;
    else if (c.peek() !== '}') c.fail("expected ',' or '}'");
  }
  c.i++;
  if (c.peek() !== '') c.fail('text after the closing brace');
  const descr = dict.get('descr');
  const fortran = dict.get('fortran_order');
  const shape = dict.get('shape');
  if (descr === undefined) fail('npy.header.descr', undefined, "missing 'descr'");
  if (fortran === undefined) fail('npy.header.fortran_order', undefined, "missing 'fortran_order'");
  if (shape === undefined) fail('npy.header.shape', undefined, "missing 'shape'");
  if (typeof descr !== 'string') fail('npy.header.descr', descr, 'must be a dtype string');
  if (typeof fortran !== 'boolean') fail('npy.header.fortran_order', fortran, 'must be True or False');
  if (!Array.isArray(shape)) fail('npy.header.shape', shape, 'must be a tuple of non-negative integers');
  return { descr, fortranOrder: fortran, shape };
}
