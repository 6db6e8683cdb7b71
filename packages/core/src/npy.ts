import { ConvrouteError } from './errors.ts';
import { parseNpyHeaderDict } from './npy-header.ts';
import { checkShape, shapeSize, Tensor } from './tensor.ts';

// NumPy .npy format 1.0-3.0 (numpy/lib/format.py): magic, version, header length, a Python dict
// literal header, then raw data. Only little-endian float32 in C order is accepted.
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

function fail(field: string, value: unknown, rule: string): never {
  throw new ConvrouteError('NPY_FORMAT', field, value, rule);
}

/** Where a .npy's data starts and how many bytes it must hold, from its header alone. */
export interface NpyHeader {
  shape: number[];
  /** Byte offset of the data (after magic, version, header length and header). */
  dataOffset: number;
  /** Bytes of float32 data the shape declares. */
  dataBytes: number;
}

/** Enough leading bytes to know a header's length in every format version. */
export const NPY_PREAMBLE_BYTES = 12;

/** Longest header accepted (numpy itself refuses more than 10000 bytes by default). */
const NPY_MAX_HEADER_BYTES = 1 << 16;

/** The offset where the header ends and the data begins, from the first NPY_PREAMBLE_BYTES bytes
 * (fewer for a short version-1 file). Lets a file reader read the header, then exactly the data. */
export function npyDataOffset(preamble: Uint8Array): number {
  // Never echo the bytes of a file that is not a .npy: it may be anything (a password file).
  if (preamble.length < 10 || MAGIC.some((b, i) => preamble[i] !== b)) fail('npy.magic', undefined, 'not a .npy file (no \\x93NUMPY magic; content not shown)');
  const major = preamble[6];
  const view = new DataView(preamble.buffer, preamble.byteOffset, preamble.byteLength);
  if (major === 1) return 10 + view.getUint16(8, true);
  if (major !== 2 && major !== 3) fail('npy.version', major, 'must be 1, 2 or 3');
  if (preamble.length < 12) fail('npy.header', preamble.length, 'file truncated inside the header length');
  const headerLen = view.getUint32(8, true);
  if (headerLen > NPY_MAX_HEADER_BYTES) fail('npy.header', headerLen, `header longer than ${NPY_MAX_HEADER_BYTES} bytes`);
  return 12 + headerLen;
}

/** Parses the magic and header (bytes must hold at least the whole header): the dtype and order
 * are checked, and the shape says how many data bytes must follow. */
export function readNpyHeader(bytes: Uint8Array): NpyHeader {
  const dataOffset = npyDataOffset(bytes.subarray(0, NPY_PREAMBLE_BYTES));
  if (dataOffset > bytes.length) fail('npy.header', dataOffset, `header runs past the end of the file (${bytes.length} bytes)`);
  const headerStart = bytes[6] === 1 ? 10 : 12;
  const header = new TextDecoder(bytes[6] === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataOffset));
  const { descr, fortranOrder, shape } = parseNpyHeaderDict(header);
  if (descr !== '<f4') fail('npy.descr', descr, "only little-endian float32 ('<f4') is supported; convert with arr.astype('<f4')");
  if (fortranOrder) fail('npy.fortran_order', true, 'only C order is supported; use np.ascontiguousarray');
  checkShape(shape, 'npy.shape');
  return { shape, dataOffset, dataBytes: shapeSize(shape) * 4 };
}

export function readNpy(bytes: Uint8Array): Tensor {
  const { shape, dataOffset, dataBytes } = readNpyHeader(bytes);
  const available = bytes.length - dataOffset;
  if (available !== dataBytes) fail('npy.data', available, `expected ${dataBytes} bytes of data for shape (${shape.join(', ')})`);
  // Copy: the data offset need not be 4-byte aligned within the source buffer.
  const data = new Float32Array(dataBytes / 4);
  new Uint8Array(data.buffer).set(bytes.subarray(dataOffset, dataOffset + dataBytes));
  return Tensor.fromData(data, shape);
}

/** The largest .npy writeNpy can make: one Uint8Array of at most 2^32 bytes (Node 20). */
const MAX_NPY_BYTES = 2 ** 32;

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
