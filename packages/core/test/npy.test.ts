import { describe, expect, it } from 'vitest';
import { ConvrouteError, npyDataOffset, readNpy, readNpyHeader, Tensor, writeNpy } from '../src/index.ts';

function header(dict: string, major = 1): Uint8Array {
  const h = `${dict}\n`;
  const out = new Uint8Array(10 + h.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0], 0);
  new DataView(out.buffer).setUint16(8, h.length, true);
  for (let i = 0; i < h.length; i++) out[10 + i] = h.charCodeAt(i);
  return out;
}

/** A header followed by n float32 zeros. */
function withData(h: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(h.length + 4 * n);
  out.set(h);
  return out;
}

describe('.npy', () => {
  it('round-trips float32 in C order with a 64-byte aligned header', () => {
    const t = Tensor.fromData([1, -2.5, 3e-40, Number.POSITIVE_INFINITY, -0, 6], [2, 3]);
    const bytes = writeNpy(t);
    expect(((bytes[8] | (bytes[9] << 8)) + 10) % 64).toBe(0);
    const back = readNpy(bytes);
    expect(back.shape).toEqual([2, 3]);
    expect(Array.from(back.data)).toEqual(Array.from(t.data));
    expect(readNpy(writeNpy(Tensor.fromData([7], [1]))).shape).toEqual([1]);
  });

  it('writes strided views in logical order', () => {
    const t = Tensor.fromData([1, 2, 3, 4, 5, 6], [2, 3]).transpose(1, 0);
    expect(Array.from(readNpy(writeNpy(t)).data)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('reads a header as numpy writes it', () => {
    const h = header("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }");
    const bytes = new Uint8Array(h.length + 8);
    bytes.set(h);
    new DataView(bytes.buffer).setFloat32(h.length, 1.5, true);
    new DataView(bytes.buffer).setFloat32(h.length + 4, -2, true);
    expect(Array.from(readNpy(bytes).data)).toEqual([1.5, -2]);
  });

  it.each([
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", 'npy.descr'],
    ["{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", 'npy.descr'],
    ["{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", 'npy.fortran_order'],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }", 'npy.shape[0]'],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 'npy.data'],
    ["{'descr': '<f4', 'shape': (1,), }", 'npy.header.fortran_order'],
  ])('rejects %s', (dict, field) => {
    try {
      readNpy(header(dict));
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ConvrouteError);
      expect((e as ConvrouteError).field).toBe(field);
    }
  });

  it('rejects a file that is not .npy without echoing its content', () => {
    const secret = 'root:x:0:0:root:/root:/bin/bash';
    expect(() => readNpy(new TextEncoder().encode(secret))).toThrow(/NPY_FORMAT: npy.magic/);
    try {
      readNpy(new TextEncoder().encode(secret));
    } catch (e) {
      expect(String((e as Error).message)).not.toMatch(/root|114|111/);
      expect((e as ConvrouteError).value).toBeUndefined();
    }
  });

  it("parses the header dict: a 'shape' inside a string is not the shape", () => {
    // The regex parser took the first 'shape' it saw, here inside another key's string value.
    const planted = "{'descr': '<f4', 'fortran_order': False, 'note': \"'shape': (2,)\", 'shape': (1,), }";
    expect(() => readNpy(withData(header(planted), 1))).toThrow(/npy.header = "note": unknown key/);
    const inDescr = "{'descr': \"<f4', 'shape': (2,), '\", 'fortran_order': False, 'shape': (1,), }";
    expect(() => readNpy(withData(header(inDescr), 1))).toThrow(/npy.descr/);
    const doubleQuoted = '{"descr": "<f4", "fortran_order": False, "shape": (2, 1)}';
    expect(readNpy(withData(header(doubleQuoted), 2)).shape).toEqual([2, 1]);
  });

  it.each([
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'shape': (1,)}", 'npy.header.shape'],
    ["{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}", 'npy.header'],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': '(1,)'}", 'npy.header.shape'],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} trailing", 'npy.header'],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (1, -2)}", 'npy.header'],
    ["{'descr': '<f4, 'fortran_order': False, 'shape': (1,)}", 'npy.header'],
  ])('refuses the malformed header %s', (dict, field) => {
    expect(() => readNpy(withData(header(dict), 1))).toThrow(ConvrouteError);
    try {
      readNpy(withData(header(dict), 1));
    } catch (e) {
      expect((e as ConvrouteError).field).toBe(field);
    }
  });

  it('reports the data size a header declares, so a reader can read exactly that', () => {
    const bytes = writeNpy(Tensor.fromData([1, 2, 3, 4, 5, 6], [2, 3]));
    const offset = bytes.length - 24;
    expect(offset % 64).toBe(0);
    expect(npyDataOffset(bytes.subarray(0, 12))).toBe(offset);
    expect(readNpyHeader(bytes.subarray(0, offset))).toEqual({ shape: [2, 3], dataOffset: offset, dataBytes: 24 });
    const v2 = new Uint8Array(12);
    v2.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]);
    new DataView(v2.buffer).setUint32(8, 2 ** 31, true);
    expect(() => npyDataOffset(v2)).toThrow(/npy.header = 2147483648: header longer than/);
  });
});
