/**
 * Relative imports of a TypeScript source, and cycles in the file graph they make. A regex per
 * statement form, anchored at a line start, so imports quoted in comments or strings are not seen
 * (the tree's TypeScript is the native compiler, which has no JS parser API).
 */
const STATIC =
  /^[ \t]*(?:import|export)\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\}|\w+(?:\s*,\s*(?:\{[^}]*\}|\*\s+as\s+\w+))?)\s*from\s*(['"])(\.{1,2}\/[^'"]*)\1/gm;
const BARE = /^[ \t]*import\s*(['"])(\.{1,2}\/[^'"]*)\1/gm;
const DYNAMIC = /\bimport\s*\(\s*(['"])(\.{1,2}\/[^'"]*)\1\s*\)/g;

export function relativeImports(source: string): string[] {
  const found: { at: number; spec: string }[] = [];
  for (const re of [STATIC, BARE, DYNAMIC]) for (const m of source.matchAll(re)) found.push({ at: m.index, spec: m[2] });
  return found.sort((a, b) => a.at - b.at).map((f) => f.spec);
}

/** Every strongly connected component with a loop, each as one loop through it (first file
 * repeated at the end), so a failure shows which imports to cut. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(comp);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return components.map((c) => loopThrough(graph, new Set(c)));
}

/** A shortest loop from the component's first file (by name) back to itself, inside the component. */
function loopThrough(graph: ReadonlyMap<string, readonly string[]>, comp: Set<string>): string[] {
  const start = [...comp].sort()[0];
  const prev = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i];
    for (const w of graph.get(v) ?? []) {
      if (!comp.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(prev.get(path[0])!);
        return [...path, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}
