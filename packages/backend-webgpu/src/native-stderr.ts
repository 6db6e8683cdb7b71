/**
 * Dawn prints some warnings straight to the process's stderr from C++ (fprintf), e.g. on lavapipe
 * "maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 1000000 to 16", while
 * `requestAdapter()` enumerates adapters, synchronously inside that call. Node cannot dup2, so to
 * keep them off the user's terminal we point fd 2 at a temporary file for the duration of the
 * synchronous call: close fd 2, open the file (the lowest free descriptor, so fd 2), run, then
 * reopen the original target through /proc/self/fd (or /dev/fd) onto fd 2 again.
 *
 * Only where that is safe: Linux or macOS, stderr a terminal, a pipe, a character device or a
 * regular file other than stdout's (a reopen would not share the offset of a `>log 2>&1`). Not a
 * socket (Node's child-process pipes), which cannot be reopened. Elsewhere the call runs as is
 * and Dawn's lines still reach stderr; `captured` is then null.
 */
type Fs = typeof import('node:fs');

export interface Captured<T> {
  value: T;
  /** The lines the native code wrote to fd 2 during the call; null when not captured. */
  captured: string[] | null;
}

export function captureNativeStderr<T>(fs: Fs, tmpFile: string, f: () => T): Captured<T> {
  const fdDir = process.platform === 'linux' ? '/proc/self/fd' : process.platform === 'darwin' ? '/dev/fd' : null;
  if (!fdDir) return { value: f(), captured: null };
  let saved: number;
  try {
    // fds 0 and 1 open: the descriptors opened below land on 2, the lowest free one.
    fs.fstatSync(0);
    fs.fstatSync(1);
    const st = fs.fstatSync(2);
    const out = fs.fstatSync(1);
    const ownFile = st.isFile() && !(out.dev === st.dev && out.ino === st.ino);
    if (!(st.isCharacterDevice() || st.isFIFO() || ownFile)) return { value: f(), captured: null };
    saved = fs.openSync(`${fdDir}/2`, 'a');
  } catch {
    return { value: f(), captured: null };
  }
  let file: number | undefined;
  try {
    fs.closeSync(2);
    file = fs.openSync(tmpFile, 'w+', 0o600);
    if (file !== 2) {
      // A lower descriptor was free: fd 2 is not ours to redirect; put it back and run plainly.
      fs.closeSync(file);
      file = undefined;
      restore(fs, fdDir, saved);
      return { value: f(), captured: null };
    }
    let value: T;
    try {
      value = f();
    } finally {
      restore(fs, fdDir, saved);
      file = undefined;
    }
    const text = fs.readFileSync(tmpFile, 'utf8');
    return { value, captured: text.split('\n').filter((l) => l.trim() !== '') };
  } finally {
    if (file !== undefined && file !== 2) fs.closeSync(file);
    try {
      fs.closeSync(saved);
    } catch {}
    try {
      fs.unlinkSync(tmpFile);
    } catch {}
  }
}

/** Points fd 2 back at the original target (held open as `saved`). */
function restore(fs: Fs, fdDir: string, saved: number): void {
  try {
    fs.closeSync(2);
  } catch {}
  const fd = fs.openSync(`${fdDir}/${saved}`, 'a');
  // fd 2 was just freed, so the reopen lands there unless a lower descriptor is free too.
  if (fd !== 2) throw new Error(`convroute: could not restore stderr (reopened as fd ${fd})`);
}
