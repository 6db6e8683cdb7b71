// The physical FP32 limit of an NVIDIA GPU, the roof beside the measured FMA ceiling (the
// harness's, @convroute/cli measureCeilings: grid sized for the adapter; issue 15).
/** The physical FP32 limit from `nvidia-smi` (SM clock) and the SM count given, in GFLOP/s:
 * SMs x 128 FP32 lanes x 2 x clock. Null where nvidia-smi is absent. */
export async function nvidiaFp32Limit(sms: number): Promise<{ gflops: number; clockMHz: number; name: string; driver: string } | null> {
  try {
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync('nvidia-smi', ['--query-gpu=clocks.max.sm,clocks.sm,name,driver_version', '--format=csv,noheader,nounits'], { encoding: 'utf8' });
    const [maxClock, , name, driver] = out
      .trim()
      .split('\n')[0]
      .split(',')
      .map((s) => s.trim());
    const clockMHz = Number(maxClock);
    return { gflops: (sms * 128 * 2 * clockMHz) / 1e3, clockMHz, name, driver };
  } catch {
    return null;
  }
}
