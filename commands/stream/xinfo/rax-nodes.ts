// XINFO STREAM's radix-tree-nodes: how many nodes Redis's rax would have for this stream. Redis
// files each listpack node in a radix tree keyed by the node's first ID as 16 big-endian bytes; our
// blocks split where Redis's nodes split, so their first IDs are the same keys. A rax stores keys
// compressed: a run of bytes shared by every key below a point is one node, each point where keys
// branch is one node, and each key ends in a leaf node; an empty rax is its root alone.

import type { Stream } from '../../../storage/stream';

export function raxNodeCount(stream: Stream): number {
  const keys: Buffer[] = [];
  for (let i = stream.headIndex; i < stream.endIndex; i++) {
    const block = stream.blockAt(i);
    if (block === undefined) continue;
    const key = Buffer.allocUnsafe(16);
    key.writeBigUInt64BE(BigInt(block.firstMs), 0);
    key.writeBigUInt64BE(BigInt(block.firstSeq), 8);
    keys.push(key);
  }
  if (keys.length === 0) return 1;
  return nodesBelow(keys, 0, keys.length, 0);
}

/** Nodes for the sorted keys [lo, hi), which share their first `depth` bytes. */
function nodesBelow(keys: readonly Buffer[], lo: number, hi: number, depth: number): number {
  if (depth === 16) return 1;
  const first = keys[lo]!;
  const last = keys[hi - 1]!;
  let shared = depth;
  while (shared < 16 && first[shared] === last[shared]) shared++;
  if (shared > depth) return 1 + nodesBelow(keys, lo, hi, shared);
  let nodes = 1;
  for (let a = lo; a < hi; ) {
    let b = a + 1;
    while (b < hi && keys[b]![depth] === keys[a]![depth]) b++;
    nodes += nodesBelow(keys, a, b, depth + 1);
    a = b;
  }
  return nodes;
}
