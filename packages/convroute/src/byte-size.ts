import { ConvrouteError } from '@convroute/core';

const UNITS: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** A byte count: a positive integer, or a string such as '1048576', '512M', '4G', '2GiB', '64KB'
 * (binary units: K = 1024). Anything else is INVALID_ARGUMENT naming `field`. */
export function parseByteSize(field: string, v: number | string): number {
  let bytes: number | undefined;
  if (typeof v === 'number') bytes = v;
  else if (typeof v === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(v);
    if (m) bytes = Math.floor(Number(m[1]) * UNITS[m[2].toUpperCase()]);
  }
  if (bytes === undefined || !Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new ConvrouteError('INVALID_ARGUMENT', field, v, 'must be a positive number of bytes, optionally with a unit K, M, G or T (binary), e.g. 512M or 4G');
  }
  return bytes;
}
