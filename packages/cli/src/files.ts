import { readFile, rename, writeFile } from 'node:fs/promises';
import { ConvrouteError, readNpy, type Tensor, writeNpy } from '@convroute/core';
import { type DeviceProfile, profileFromJson } from '@convroute/router';

/** Reads a file named by a flag; a missing or unreadable file is the flag's error. */
async function readBytes(flag: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    throw new ConvrouteError('INVALID_ARGUMENT', flag, path, `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export async function readText(flag: string, path: string): Promise<string> {
  return (await readBytes(flag, path)).toString('utf8');
}

/** A float32 .npy named by a flag; format errors name the flag and the file too. */
export async function readTensor(flag: string, path: string): Promise<Tensor> {
  const bytes = await readBytes(flag, path);
  try {
    return readNpy(bytes);
  } catch (e) {
    if (e instanceof ConvrouteError) throw new ConvrouteError(e.code, `${flag} ${path}: ${e.field}`, e.value, e.rule);
    throw e;
  }
}

/** `--device NAME` or `--profile file.json` (e.g. from `convroute calibrate`), at most one. */
export async function profileFromFlags(f: { device?: string; profile?: string }): Promise<string | DeviceProfile | undefined> {
  if (f.device !== undefined && f.profile !== undefined) {
    throw new ConvrouteError('INVALID_ARGUMENT', '--profile', f.profile, 'give --device or --profile, not both');
  }
  if (f.profile !== undefined) return profileFromJson(await readText('--profile', f.profile), f.profile);
  return f.device;
}

/** Writes beside the target and renames, so a failure never leaves a partial output file. */
export async function writeTensor(path: string, t: Tensor): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, writeNpy(t));
  await rename(tmp, path);
}
