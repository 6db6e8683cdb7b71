import { ConvrouteError } from './errors.ts';
import { checkShape, shapeSize, Tensor } from './tensor.ts';

// NumPy .npy format 1.0-3.0 (numpy/lib/format.py): magic, version, header length, a Python dict
// literal header, then raw data. Only little-endian float32 in C order is accepted.
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

function fail(field: string, value: unknown, rule: string): never {
  throw new ConvrouteError('NPY_FORMAT', field, value, rule);
}

export function readNpy(bytes: Uint8Array): Tensor {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('npy.magic', Array.from(bytes.slice(0, 6)), 'not a .npy file (missing \\x93NUMPY)');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail('npy.header', bytes.length, 'file truncated inside the header length');
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    fail('npy.version', major, 'must be 1, 2 or 3');
  }
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.length) fail('npy.header', headerLen, `header runs past the end of the file (${bytes.length} bytes)`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const { descr, fortranOrder, shape } = parseHeader(header);
  if (descr !== '<f4') fail('npy.descr', descr, "only little-endian float32 ('<f4') is supported; convert with arr.astype('<f4')");
  if (fortranOrder) fail('npy.fortran_order', true, 'only C order is supported; use np.ascontiguousarray');
  checkShape(shape, 'npy.shape');
  const n = shapeSize(shape);
  const available = bytes.length - dataStart;
  if (available !== n * 4) fail('npy.data', available, `expected ${n * 4} bytes of data for shape (${shape.join(', ')})`);
  // Copy: the data offset need not be 4-byte aligned within the source buffer.
  const data = new Float32Array(n);
  new Uint8Array(data.buffer).set(bytes.subarray(dataStart, dataStart + n * 4));
  return Tensor.fromData(data, shape);
}

/** Parses the header dict, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } */
function parseHeader(header: string): { descr: string; fortranOrder: boolean; shape: number[] } {
  const body = header.trim();
  const m = /^\{\s*(.*?)\s*,?\s*\}$/s.exec(body);
  if (!m) fail('npy.header', body.slice(0, 80), 'must be a Python dict literal');
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(m[1]);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(m[1]);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(m[1]);
  if (!descr) fail('npy.header.descr', body.slice(0, 80), "missing 'descr'");
  if (!fortran) fail('npy.header.fortran_order', body.slice(0, 80), "missing 'fortran_order'");
  if (!shape) fail('npy.header.shape', body.slice(0, 80), "missing 'shape'");
  const dims = shape[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      if (!/^\d+L?$/.test(s)) fail('npy.header.shape', shape[1], 'must be a tuple of non-negative integers');
      return Number.parseInt(s, 10);
    });
  return { descr: descr[1], fortranOrder: fortran[1] === 'True', shape: dims };
}

/** The largest .npy writeNpy can make: one Uint8Array of at most 2^32 bytes (Node 20). */
export const MAX_NPY_BYTES = 2 ** 32;

/** Refuses (TOO_LARGE), before any work, an output of `shape` that writeNpy could not write. */
export function checkNpyWritable(field: string, shape: readonly number[]): void {
  const bytes = 4 * shape.reduce((a, b) => a * b, 1) + 4096;
  if (bytes > MAX_NPY_BYTES) {
    throw new ConvrouteError('TOO_LARGE', field, shape, `a .npy of this shape needs ${bytes} bytes; at most ${MAX_NPY_BYTES} can be written`);
  }
}

export function writeNpy(tensor: Tensor): Uint8Array {
  const shape = tensor.shape;
  checkNpyWritable('npy.shape', shape);
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  // Pad with spaces so the data starts on a 64-byte boundary, ending in '\n' (format 1.0).
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64);
  header += '\n';
  if (header.length > 0xffff) fail('npy.header', header.length, 'header too long for format 1.0');
  const data = tensor.data;
  const out = new Uint8Array(10 + header.length + data.length * 4);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.length * 4), 10 + header.length);
  return out;
}
