/** Small growable typed buffers and a binary heap, shared by the graph algorithms. */

export class IntBuffer {
  data: Int32Array;
  length = 0;
  constructor(capacity = 16) {
    this.data = new Int32Array(Math.max(4, capacity));
  }
  push(v: number): number {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = v;
    return this.length++;
  }
  get(i: number): number {
    return this.data[i] ?? 0;
  }
  set(i: number, v: number): void {
    this.data[i] = v;
  }
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

export class FloatBuffer {
  data: Float64Array;
  length = 0;
  constructor(capacity = 16) {
    this.data = new Float64Array(Math.max(4, capacity));
  }
  push(v: number): number {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = v;
    return this.length++;
  }
  get(i: number): number {
    return this.data[i] ?? 0;
  }
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Stable counting sort of items 0..m-1 by key[item] in [0, n): `offsets` (CSR, length n + 1) and
 * `order` (the items grouped by key, in item order within a key).
 */
export function countingGroups(n: number, key: Int32Array, m: number): { offsets: Int32Array; order: Int32Array } {
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < m; i++) {
    const k = (key[i] ?? 0) + 1;
    offsets[k] = (offsets[k] ?? 0) + 1;
  }
  for (let i = 0; i < n; i++) offsets[i + 1] = (offsets[i + 1] ?? 0) + (offsets[i] ?? 0);
  const fill = offsets.slice(0, n);
  const order = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    const k = key[j] ?? 0;
    const at = fill[k] ?? 0;
    order[at] = j;
    fill[k] = at + 1;
  }
  return { offsets, order };
}

/** Number of set bits in a 32-bit word. */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Binary max-heap of (key, node) pairs in two typed arrays, no comparator callback: the queue of the
 * max-product searches. Pairs with equal keys pop in an unspecified order, so use it only where the
 * result does not depend on that order (a Dijkstra whose settled values are exact maxima).
 */
export class MaxPairHeap {
  private keys: Float64Array;
  private nodes: Int32Array;
  size = 0;
  /** Key of the pair the last `pop` returned. */
  topKey = 0;
  constructor(capacity = 64) {
    this.keys = new Float64Array(Math.max(4, capacity));
    this.nodes = new Int32Array(Math.max(4, capacity));
  }
  push(key: number, node: number): void {
    if (this.size === this.keys.length) {
      const k2 = new Float64Array(this.size * 2);
      k2.set(this.keys);
      this.keys = k2;
      const n2 = new Int32Array(this.size * 2);
      n2.set(this.nodes);
      this.nodes = n2;
    }
    const keys = this.keys;
    const nodes = this.nodes;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = keys[p] ?? 0;
      if (pk >= key) break;
      keys[i] = pk;
      nodes[i] = nodes[p] ?? 0;
      i = p;
    }
    keys[i] = key;
    nodes[i] = node;
  }
  /** Remove the pair with the largest key and return its node (its key in `topKey`), or -1 when empty. */
  pop(): number {
    if (this.size === 0) return -1;
    const keys = this.keys;
    const nodes = this.nodes;
    const top = nodes[0] ?? 0;
    this.topKey = keys[0] ?? 0;
    const n = --this.size;
    const lastKey = keys[n] ?? 0;
    const lastNode = nodes[n] ?? 0;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && (keys[r] ?? 0) > (keys[l] ?? 0)) c = r;
      const ck = keys[c] ?? 0;
      if (ck <= lastKey) break;
      keys[i] = ck;
      nodes[i] = nodes[c] ?? 0;
      i = c;
    }
    if (n > 0) {
      keys[i] = lastKey;
      nodes[i] = lastNode;
    }
    return top;
  }
}
