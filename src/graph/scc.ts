/**
 * Strongly connected components (Tarjan), iterative with explicit stacks: a 100,000-node path runs
 * without recursion. Components are numbered in the order Tarjan completes them, which is a reverse
 * topological order of the condensation: every edge between components goes from a higher number to
 * a lower one, so processing 0, 1, 2, ... sees successors first.
 */
export interface Components {
  /** Component of each node. */
  readonly comp: Int32Array;
  readonly count: number;
}

export function stronglyConnected(nodeCount: number, offsets: Int32Array, targets: Int32Array): Components {
  const N = nodeCount;
  const index = new Int32Array(N).fill(-1);
  const low = new Int32Array(N);
  const onStack = new Uint8Array(N);
  const stack = new Int32Array(N);
  const callNode = new Int32Array(N);
  const callEdge = new Int32Array(N);
  const comp = new Int32Array(N).fill(-1);
  let sp = 0;
  let csp = 0;
  let next = 0;
  let count = 0;
  for (let s = 0; s < N; s++) {
    if (index[s] !== -1) continue;
    index[s] = next;
    low[s] = next++;
    stack[sp++] = s;
    onStack[s] = 1;
    callNode[csp] = s;
    callEdge[csp++] = offsets[s] ?? 0;
    while (csp > 0) {
      const v = callNode[csp - 1] ?? 0;
      const e = callEdge[csp - 1] ?? 0;
      if (e < (offsets[v + 1] ?? 0)) {
        callEdge[csp - 1] = e + 1;
        const w = targets[e] ?? 0;
        if (index[w] === -1) {
          index[w] = next;
          low[w] = next++;
          stack[sp++] = w;
          onStack[w] = 1;
          callNode[csp] = w;
          callEdge[csp++] = offsets[w] ?? 0;
        } else if (onStack[w] === 1 && (index[w] ?? 0) < (low[v] ?? 0)) {
          low[v] = index[w] ?? 0;
        }
        continue;
      }
      if (low[v] === index[v]) {
        for (;;) {
          const w = stack[--sp] ?? 0;
          onStack[w] = 0;
          comp[w] = count;
          if (w === v) break;
        }
        count++;
      }
      csp--;
      if (csp > 0) {
        const u = callNode[csp - 1] ?? 0;
        if ((low[v] ?? 0) < (low[u] ?? 0)) low[u] = low[v] ?? 0;
      }
    }
  }
  return { comp, count };
}
