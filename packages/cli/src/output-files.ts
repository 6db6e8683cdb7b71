import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ConvrouteError } from '@convroute/core';

interface Reserved {
  flag: string;
  path: string;
  tmp: string;
}

function cannotWrite(flag: string, path: string, e: unknown): ConvrouteError {
  const code = (e as NodeJS.ErrnoException).code;
  // ENOENT also comes from folders that take no new files (/proc): say which it is.
  const why =
    code === 'ENOENT' && !existsSync(dirname(resolve(path)))
      ? 'its folder does not exist'
      : code === 'ENOTDIR'
        ? 'a part of its folder is not a directory'
        : `cannot be written (${code ?? (e as Error).message})`;
  return new ConvrouteError('INVALID_ARGUMENT', flag, path, why);
}

/**
 * The files a command writes, all or none: each path is checked before any work by creating its
 * temp file beside it; `commit` writes every temp, then renames each over its target; `discard`
 * (call it in `finally`) removes the temps left by a failure.
 */
export class OutputFiles {
  private readonly reserved: Reserved[] = [];

  /** Checks now that `path` can be written: its folder exists and is writable, and the target,
   * if present, is a regular file (never a directory or a device). */
  async reserve(flag: string, path: string): Promise<void> {
    const abs = resolve(path);
    if (this.reserved.some((r) => resolve(r.path) === abs)) throw new ConvrouteError('INVALID_ARGUMENT', flag, path, 'names a file another output also writes');
    const existing = await stat(abs).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : Promise.reject(cannotWrite(flag, path, e))));
    if (existing && !existing.isFile()) {
      throw new ConvrouteError('INVALID_ARGUMENT', flag, path, `is ${existing.isDirectory() ? 'a directory' : 'not a regular file'}; name a file to write`);
    }
    const tmp = join(dirname(abs), `.${basename(abs)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      await (await open(tmp, 'wx')).close();
    } catch (e) {
      throw cannotWrite(flag, path, e);
    }
    this.reserved.push({ flag, path, tmp });
  }

  /** Writes every reserved output (content keyed by path), then renames them into place. */
  async commit(contents: ReadonlyMap<string, Uint8Array | string>): Promise<void> {
    for (const r of this.reserved) {
      const c = contents.get(r.path);
      if (c === undefined) throw new ConvrouteError('INVALID_ARGUMENT', r.flag, r.path, 'has no content to write (internal)');
      await writeFile(r.tmp, c).catch((e) => Promise.reject(cannotWrite(r.flag, r.path, e)));
    }
    // Renames within one folder: every write above succeeded, so these replace the targets together.
    for (const r of this.reserved) await rename(r.tmp, r.path).catch((e) => Promise.reject(cannotWrite(r.flag, r.path, e)));
    this.reserved.length = 0;
  }

  /** Removes the temp files of outputs not committed. */
  async discard(): Promise<void> {
    await Promise.all(this.reserved.map((r) => unlink(r.tmp).catch(() => {})));
    this.reserved.length = 0;
  }
}

/** Replaces `path` with `content` through a temp file (a reader never sees half a file). */
export async function writeAtomically(flag: string, path: string, content: Uint8Array | string): Promise<void> {
  const out = new OutputFiles();
  try {
    await out.reserve(flag, path);
    await out.commit(new Map([[path, content]]));
  } finally {
    await out.discard();
  }
}
