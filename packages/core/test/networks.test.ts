import { describe, expect, it } from 'vitest';
import { buildNetwork, type Graph, mobilenetv2, NETWORK_NAMES, resnet18, squeezenet11, suiteSpecs, trainableParameterCount } from '../src/index.ts';
import { refuses } from './refuses.ts';

// torchvision's own counts (sum of p.numel() over model.parameters(), 1000 classes).
const TORCHVISION_PARAMETERS = { resnet18: 11_689_512, mobilenetv2: 3_504_872, squeezenet11: 1_235_496 };

// Built once per file: ResNet-18's 11.7M weights take about a second to draw.
const NETS: Record<string, Graph> = { resnet18: resnet18(), mobilenetv2: mobilenetv2(), squeezenet11: squeezenet11() };
const node = (g: Graph, id: string): Graph['nodes'][number] | undefined => g.nodes.find((n) => n.id === id);
function opCounts(g: Graph): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const n of g.nodes) counts[n.op.op] = (counts[n.op.op] ?? 0) + 1;
  return counts;
}

describe('networks: whole-network graphs', () => {
  it.each(NETWORK_NAMES)('%s: validates with logits [1, 1000] and torchvision parameter count', (name) => {
    const g = NETS[name];
    expect(g.inputs).toEqual(['input']);
    expect(g.values.get('input')!.shape).toEqual([1, 3, 224, 224]);
    expect(g.outputs).toEqual(['logits']);
    expect(g.values.get('logits')!.shape).toEqual([1, 1000]);
    expect(trainableParameterCount(g)).toBe(TORCHVISION_PARAMETERS[name]);
  });

  it.each(['resnet18', 'mobilenetv2'] as const)('%s: conv nodes are exactly the conv suite, by name and spec', (name) => {
    const g = NETS[name];
    const suite = suiteSpecs(name);
    for (const layer of suite) {
      const n = node(g, layer.name);
      expect(n, layer.name).toBeDefined();
      expect(n!.op).toEqual({ op: 'conv2d', spec: layer.spec });
    }
    // ...and no other conv (graph order is topological, so compare as sets).
    expect(new Set(g.nodes.filter((n) => n.op.op === 'conv2d').map((n) => n.id))).toEqual(new Set(suite.map((l) => l.name)));
  });

  it('op structure follows torchvision', () => {
    expect(opCounts(NETS.resnet18)).toEqual({
      conv2d: 20,
      batchnormalization: 20,
      relu: 17,
      maxpool: 1,
      add: 8,
      globalaveragepool: 1,
      flatten: 1,
      gemm: 1,
    });
    // 52 convs, each followed by BN; 35 ReLU6 (stem, 17 blocks' depthwise, 16 expands, features.18);
    // 10 residual adds (stride 1 with equal channels).
    expect(opCounts(NETS.mobilenetv2)).toEqual({ conv2d: 52, batchnormalization: 52, clip: 35, add: 10, globalaveragepool: 1, flatten: 1, gemm: 1 });
    expect(opCounts(NETS.squeezenet11)).toEqual({ conv2d: 26, relu: 26, maxpool: 3, concat: 8, globalaveragepool: 1, flatten: 1 });
    const sq = NETS.squeezenet11;
    expect(sq.values.get('features.2')!.shape).toEqual([1, 64, 55, 55]);
    expect(sq.values.get('features.12.concat')!.shape).toEqual([1, 512, 13, 13]);
    expect(node(sq, 'features.2')!.op).toMatchObject({ op: 'maxpool', spec: { ceilMode: true, kernel: [3, 3], stride: [2, 2] } });
    expect(node(NETS.resnet18, 'layer1.0.add')!.inputs).toEqual(['layer1.0.bn2', 'maxpool']);
    expect(node(NETS.resnet18, 'layer2.0.add')!.inputs).toEqual(['layer2.0.bn2', 'layer2.0.downsample.1']);
    expect(node(NETS.mobilenetv2, 'features.1.conv.0.2')!.op).toMatchObject({ op: 'clip', spec: { min: 0, max: 6 } });
    expect(node(NETS.mobilenetv2, 'classifier.1')!.op).toMatchObject({ op: 'gemm', spec: { transB: true, m: 1, n: 1000, k: 1280 } });
  });

  it('running variances are positive; weights are seeded and the seed changes them', () => {
    for (const g of Object.values(NETS)) {
      for (const v of g.values.values()) if (v.name.endsWith('.running_var')) expect(Math.min(...v.tensor!.array.data)).toBeGreaterThan(0);
    }
    const data = (g: Graph, name: string) => Array.from(g.values.get(name)!.tensor!.array.data.subarray(0, 32));
    const again = squeezenet11();
    expect(data(again, 'features.0.weight')).toEqual(data(NETS.squeezenet11, 'features.0.weight'));
    expect(data(squeezenet11({ seed: 1 }), 'features.0.weight')).not.toEqual(data(NETS.squeezenet11, 'features.0.weight'));
    // Distinct constants draw distinct streams.
    expect(data(again, 'features.3.squeeze.weight')).not.toEqual(data(again, 'features.4.squeeze.weight'));
  });

  it.each(NETWORK_NAMES)('%s: any batch and input size', (name) => {
    const g = buildNetwork(name, { batch: 2, size: [64, 96], classes: 10 });
    expect(g.values.get('input')!.shape).toEqual([2, 3, 64, 96]);
    expect(g.values.get('logits')!.shape).toEqual([2, 10]);
  });

  it('refuses bad options and sizes too small for the downsampling, with typed errors', () => {
    refuses(() => buildNetwork('resnet50'), 'INVALID_ARGUMENT', 'network');
    refuses(() => resnet18({ batch: 0 }), 'INVALID_ARGUMENT', 'batch');
    refuses(() => resnet18({ size: 1.5 }), 'INVALID_ARGUMENT', 'size[0]');
    refuses(() => mobilenetv2({ size: [32] as unknown as [number, number] }), 'INVALID_ARGUMENT', 'size');
    refuses(() => squeezenet11({ classes: -1 }), 'INVALID_ARGUMENT', 'classes');
    refuses(() => squeezenet11({ seed: 2 ** 32 }), 'INVALID_ARGUMENT', 'seed');
    // SqueezeNet's stem conv is 3x3 unpadded: a 2x2 input leaves it nothing; the error names the node.
    const err = refuses(() => squeezenet11({ size: 2 }), 'EMPTY_OUTPUT', /^nodes\[0\]/);
    expect(err.message).toMatch(/output/);
  });
});
