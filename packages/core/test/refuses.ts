import { expect } from 'vitest';
import { ConvrouteError } from '../src/index.ts';

/** Runs `f`, which must throw a ConvrouteError with this code and field (named in the message). */
export function refuses(f: () => unknown, code: string, field: string | RegExp): ConvrouteError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConvrouteError);
    const err = e as ConvrouteError;
    expect(err.code).toBe(code);
    if (typeof field === 'string') expect(err.field).toBe(field);
    else expect(err.field).toMatch(field);
    expect(err.message).toContain(err.field);
    return err;
  }
  throw new Error(`expected ${code} on ${field}`);
}
