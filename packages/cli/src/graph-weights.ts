import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { ConvrouteError } from '@convroute/core';
import { readNpyBytes } from './files.ts';

function inside(folder: string, p: string): boolean {
  const rel = relative(folder, p);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * The `readNpyFile` for a graph file: a constant's .npy must resolve, symlinks followed, to a file
 * inside the graph's folder. A path that leaves the folder and one that names nothing get the same
 * error, so the answer never tells whether a file exists outside the folder.
 */
export async function graphNpyReader(graphPath: string): Promise<(relativePath: string) => Promise<Uint8Array>> {
  const folder = await realpath(dirname(resolve(graphPath)));
  return async (rel) => {
    const lexical = resolve(folder, rel);
    let real: string | null = null;
    if (inside(folder, lexical)) real = await realpath(lexical).catch(() => null);
    if (real === null || !inside(folder, real)) {
      throw new ConvrouteError(
        'INVALID_GRAPH',
        'file',
        rel,
        "must name an existing file inside the graph's folder (symlinks are resolved and must stay inside)",
      );
    }
    return readNpyBytes('file', real);
  };
}
