import { constants, type FileHandle, open } from 'node:fs/promises';
import { ConvrouteError, NPY_PREAMBLE_BYTES, npyDataOffset, parseJsonText, readNpy, readNpyHeader, type Tensor } from '@convroute/core';
import { type DeviceProfile, profileFromJson } from '@convroute/router';
import { type BackendName, type CpuMode, parseByteSize, Session } from 'convroute';
import { checkPrecision } from './conv-flags.ts';

/** Largest text file (graph, profile, policy, bench JSON) read: a bound for untrusted paths. */
export const MAX_TEXT_BYTES = 256 * 1024 * 1024;

// O_NONBLOCK: opening a FIFO must not wait for a writer (it is then refused as not regular).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Opens a file only if it is a regular file (not a directory, device such as /dev/zero, or FIFO). */
async function openRegular(flag: string, path: string): Promise<{ fh: FileHandle; size: number }> {
  let fh: FileHandle;
  try {
    fh = await open(path, OPEN_FLAGS);
  } catch (e) {
    throw new ConvrouteError('INVALID_ARGUMENT', flag, path, `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const st = await fh.stat();
  if (!st.isFile()) {
    await fh.close();
    const kind = st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a FIFO' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'not a regular file';
    throw new ConvrouteError('INVALID_ARGUMENT', flag, path, `must be a regular file (it is ${kind})`);
  }
  return { fh, size: st.size };
}

/** Reads exactly into `into` from `position`, then checks the file ends there (it did not grow,
 * and a /proc file whose stat size is 0 is refused rather than read without bound). */
async function readExactly(fh: FileHandle, into: Uint8Array, position: number, mustEnd: boolean): Promise<boolean> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await fh.read(into, done, into.length - done, position + done);
    if (bytesRead === 0) return false;
    done += bytesRead;
  }
  if (!mustEnd) return true;
  const { bytesRead } = await fh.read(new Uint8Array(1), 0, 1, position + done);
  return bytesRead === 0;
}

async function readBounded(flag: string, path: string, maxBytes: number): Promise<Uint8Array> {
  const { fh, size } = await openRegular(flag, path);
  try {
    if (size > maxBytes) throw new ConvrouteError('TOO_LARGE', flag, path, `is ${size} bytes; at most ${maxBytes} are read`);
    const bytes = new Uint8Array(size);
    if (!(await readExactly(fh, bytes, 0, true))) throw new ConvrouteError('INVALID_ARGUMENT', flag, path, `changed size while read (stat said ${size} bytes)`);
    return bytes;
  } finally {
    await fh.close();
  }
}

/** A binary file (an ONNX model) of at most `maxBytes`, refused before it is read when larger. */
export async function readBytes(flag: string, path: string, maxBytes: number): Promise<Uint8Array> {
  return readBounded(flag, path, maxBytes);
}

export async function readText(flag: string, path: string): Promise<string> {
  return new TextDecoder().decode(await readBounded(flag, path, MAX_TEXT_BYTES));
}

/** A .npy's bytes, read as its header declares: the header first, then exactly the data it
 * declares; a file larger or smaller than that is refused before its data is read. */
export async function readNpyBytes(flag: string, path: string): Promise<Uint8Array> {
  const { fh, size } = await openRegular(flag, path);
  try {
    const preamble = new Uint8Array(Math.min(size, NPY_PREAMBLE_BYTES));
    await readExactly(fh, preamble, 0, false);
    const dataOffset = npyDataOffset(preamble);
    if (dataOffset > size) throw new ConvrouteError('NPY_FORMAT', 'npy.header', dataOffset, `header runs past the end of the file (${size} bytes)`);
    const head = new Uint8Array(dataOffset);
    await readExactly(fh, head, 0, false);
    const { shape, dataBytes } = readNpyHeader(head);
    if (size !== dataOffset + dataBytes)
      throw new ConvrouteError('NPY_FORMAT', 'npy.data', size - dataOffset, `expected ${dataBytes} bytes of data for shape (${shape.join(', ')})`);
    const bytes = new Uint8Array(size);
    bytes.set(head);
    if (!(await readExactly(fh, bytes.subarray(dataOffset), dataOffset, true)))
      throw new ConvrouteError('NPY_FORMAT', 'npy.data', path, `changed size while read (stat said ${size} bytes)`);
    return bytes;
  } finally {
    await fh.close();
  }
}

/** A float32 .npy named by a flag; format errors name the flag and the file too. */
export async function readTensor(flag: string, path: string): Promise<Tensor> {
  try {
    return readNpy(await readNpyBytes(flag, path));
  } catch (e) {
    if (e instanceof ConvrouteError && e.field.startsWith('npy')) throw new ConvrouteError(e.code, `${flag} ${path}: ${e.field}`, e.value, e.rule);
    throw e;
  }
}

/** JSON from a file named by a flag; a parse error says where, never what the file holds
 * (it may be any file: `--policy /etc/passwd`). */
export function parseJsonFile(flag: string, path: string, text: string): unknown {
  return parseJsonText(text, 'INVALID_ARGUMENT', flag, path);
}

/** `--device NAME` or `--profile file.json` (e.g. from `convroute calibrate`), at most one. */
export async function profileFromFlags(f: { device?: string; profile?: string }): Promise<string | DeviceProfile | undefined> {
  if (f.device !== undefined && f.profile !== undefined) {
    throw new ConvrouteError('INVALID_ARGUMENT', '--profile', f.profile, 'give --device or --profile, not both');
  }
  if (f.profile !== undefined) return profileFromJson(parseJsonFile('--profile', f.profile, await readText('--profile', f.profile)), f.profile);
  return f.device;
}

/** The Session the conv2d and run commands open from their shared flags (--backend, --mode,
 * --memory-budget, --device/--profile, --precision); the flags were checked by checkBackend/checkMode. */
export async function openSessionFromFlags(f: {
  backend: string;
  mode?: string;
  memoryBudget?: string;
  device?: string;
  profile?: string;
  precision?: string;
}): Promise<Session> {
  return Session.open({
    precision: checkPrecision(f.precision),
    backend: f.backend as BackendName,
    mode: f.mode as CpuMode | undefined,
    memoryBudget: f.memoryBudget === undefined ? undefined : parseByteSize('--memory-budget', f.memoryBudget),
    profile: await profileFromFlags(f),
  });
}
