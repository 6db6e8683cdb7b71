import { readFile } from 'node:fs/promises';
import { ConvrouteError } from '@convroute/core';
import { type DeviceProfile, profileFromJson } from '@convroute/router';

/** Reads a file named by a flag; a missing or unreadable file is the flag's error. */
export async function readText(flag: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new ConvrouteError('INVALID_ARGUMENT', flag, path, `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
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
