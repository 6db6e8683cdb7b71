import { describe, expect, it } from 'vitest';
import { convroute } from './cli-helpers.ts';

describe('convroute model: a whole network end to end, verified per node', () => {
  it('squeezenet11 at 32x32 on the CPU: every node verified, latency and compile time apart', () => {
    const r = convroute(['model', 'squeezenet11', '--size', '32', '--backend', 'cpu', '--mode', 'fast', '--runs', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      command: string;
      input: number[];
      latencyMs: number;
      runs: number[];
      compileMs: number;
      endToEnd: number;
      nodes: { node: string; op: string; method: string; reasons: string; runMs: number; errorRatio: number; verified: boolean }[];
    };
    expect(doc.command).toBe('model');
    expect(doc.input).toEqual([1, 3, 32, 32]);
    expect(doc.runs).toHaveLength(2);
    expect(doc.latencyMs).toBeGreaterThan(0);
    expect(doc.compileMs).toBe(0); // the CPU compiles nothing
    expect(doc.nodes).toHaveLength(65);
    expect(doc.nodes.every((n) => n.verified && n.errorRatio <= 1)).toBe(true);
    expect(doc.nodes.find((n) => n.node === 'features.3.squeeze')).toMatchObject({ op: 'conv2d', reasons: expect.stringMatching(/\w/) });
    expect(doc.endToEnd).toBeLessThan(2 ** -10);
  }, 120_000);

  it('refuses an unknown network and a bad size with typed errors', () => {
    const bad = convroute(['model', 'resnet50', '--backend', 'cpu']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/INVALID_ARGUMENT: network = "resnet50": must be one of resnet18, mobilenetv2, squeezenet11/);
    const size = convroute(['model', 'resnet18', '--size', '0', '--backend', 'cpu']);
    expect(size.stderr).toMatch(/INVALID_ARGUMENT: --size = "0"/);
    // Too small for the net's downsampling: the node whose output would be empty is named.
    const tiny = convroute(['model', 'squeezenet11', '--size', '2', '--backend', 'cpu']);
    expect(tiny.stderr).toMatch(/EMPTY_OUTPUT: nodes\[0\]/);
  }, 120_000);
});
