import type { VerifyRequest, VerifyResponse, VerifyVerdict } from './verify-protocol.ts';

/** The page's side of the verification worker: one promise per request, answered in order. */
export class Verifier {
  private readonly worker: Worker;
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: VerifyVerdict) => void; reject: (e: Error) => void }>();

  constructor() {
    this.worker = new Worker(new URL('./verify-worker.ts', import.meta.url), { type: 'module', name: 'convroute-verify' });
    this.worker.onmessage = (ev: MessageEvent<VerifyResponse>) => {
      const p = this.pending.get(ev.data.id);
      if (!p) return;
      this.pending.delete(ev.data.id);
      if ('error' in ev.data) p.reject(new Error(ev.data.error));
      else p.resolve(ev.data.verdict);
    };
    this.worker.onerror = (ev) => {
      const err = new Error(`verification worker failed: ${ev.message || 'unknown error'}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
  }

  verify(req: Omit<VerifyRequest, 'id'>): Promise<VerifyVerdict> {
    const id = this.next++;
    const full: VerifyRequest = { ...req, id };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Callers pass arrays they own (copies), so their buffers can move to the worker.
      const buffers = new Set<ArrayBufferLike>([...req.inputs.map((a) => a.buffer), req.actual.buffer]);
      this.worker.postMessage(full, [...buffers] as Transferable[]);
    });
  }

  terminate(): void {
    this.worker.terminate();
  }
}
