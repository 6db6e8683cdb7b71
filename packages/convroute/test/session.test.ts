import { conv2dExact } from '@convroute/backend-cpu';
import { type Backend, conv2dSpec, Tensor, uniformData } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { openBackend, parseByteSize, Session } from '../src/index.ts';

process.env.VK_ICD_FILENAMES ??= '/usr/share/vulkan/icd.d/lvp_icd.json';
process.env.LP_NUM_THREADS ??= '1';

const spec = conv2dSpec({ input: [1, 4, 8, 8], weight: [8, 4, 3, 3], padding: 1, bias: true });
const x = Tensor.fromData(uniformData(4 * 64, 1), spec.input);
const w = Tensor.fromData(uniformData(8 * 36, 2), spec.weight);
const b = Tensor.fromData(uniformData(8, 3), [8]);

describe('backend auto with a mode (issue 12 item 3)', () => {
  it("auto + mode 'exact' runs the cpu exact backend, says why, and reports the mode", async () => {
    const s = await Session.open({ backend: 'auto', mode: 'exact' });
    try {
      const res = await s.conv2d(x, w, b, { padding: 1 });
      expect(res.backend).toMatchObject({ kind: 'cpu', mode: 'exact' });
      expect(res.backend.note).toMatch(/mode exact .*only the cpu/);
      expect(Array.from(res.output.data)).toEqual(Array.from(conv2dExact(spec, x, w, b).data));
    } finally {
      await s.close();
    }
  });

  it("auto + mode 'fast' runs the cpu in fast mode", async () => {
    const s = await Session.open({ backend: 'auto', mode: 'fast' });
    expect(s.backendInfo).toMatchObject({ kind: 'cpu', mode: 'fast', description: 'cpu (fast)' });
    await s.close();
  });

  it('a mode with webgpu, with a Backend object, or an unknown mode is refused', async () => {
    await expect(openBackend({ backend: 'webgpu', mode: 'exact' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'mode' });
    const custom: Backend = { name: 'mine', description: 'mine', methodsFor: () => [], run: () => Promise.reject(new Error('unused')) };
    await expect(openBackend({ backend: custom, mode: 'exact' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'mode' });
    await expect(openBackend({ backend: 'auto', mode: 'exactly' as 'exact' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'mode' });
  });

  it('every backend reports the mode that runs, never null', async () => {
    const cpu = await Session.open({ backend: 'cpu' });
    expect(cpu.backendInfo.mode).toBe('exact');
    await cpu.close();
    const auto = await Session.open({ backend: 'auto' });
    expect(auto.backendInfo.mode).toBe(auto.backendInfo.kind === 'webgpu' ? 'bounded' : 'exact');
    await auto.close();
  });
});

describe('a closed Session (issue 12 item 9)', () => {
  it('refuses conv2d and run with CLOSED, and so does its cpu backend', async () => {
    const s = await Session.open({ backend: 'cpu' });
    await s.conv2d(x, w, b, { padding: 1 });
    await s.close();
    await s.close();
    await expect(s.conv2d(x, w, b, { padding: 1 })).rejects.toMatchObject({ code: 'CLOSED', field: 'session' });
    await expect(s.opened.backend.run({ op: 'conv2d', spec }, 'direct', [x, w, b])).rejects.toMatchObject({ code: 'CLOSED' });
  });
});

describe('memory budget option (issue 12 item 4)', () => {
  it('parses byte sizes with binary units and refuses the rest', () => {
    expect(parseByteSize('b', '512M')).toBe(512 * 2 ** 20);
    expect(parseByteSize('b', '4G')).toBe(4 * 2 ** 30);
    expect(parseByteSize('b', '2GiB')).toBe(2 * 2 ** 30);
    expect(parseByteSize('b', '1.5K')).toBe(1536);
    expect(parseByteSize('b', 1000)).toBe(1000);
    for (const v of ['', 'G', '-1', '0', '4X', '1e3', 1.5, -2]) expect(() => parseByteSize('b', v)).toThrow(/INVALID_ARGUMENT: b =/);
  });

  it('a Session passes it to the cpu backend: over it, TOO_LARGE before the run', async () => {
    const s = await Session.open({ backend: 'cpu', memoryBudget: '1K' });
    await expect(s.conv2d(x, w, b, { padding: 1 })).rejects.toMatchObject({ code: 'TOO_LARGE', field: 'conv2d.output' });
    await s.close();
    await expect(openBackend({ backend: 'cpu', memoryBudget: 'lots' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'memoryBudget' });
  });
});
