// IdTree: a B+tree of items ordered by their stream ID (ms, seq), for pending entries lists.
// O(log n) get/insert/delete, O(log n + k) for a page of k items from any ID in either direction
// (leaves are linked). Items are stored by reference; an item's ID must never change while it is
// in a tree (a pending entry's ID never does: claims change its owner, time and count only).
//
// Shape: leaves hold up to LEAF_MAX items, inner nodes up to INNER_MAX children; a node other than
// the root never holds fewer than a quarter of its maximum after a delete (it borrows from a
// sibling or merges with it), except the last leaf: appends past the largest ID (how deliveries
// arrive) split a full last leaf into a full one and a new one, so leaves fill up completely. Inner node key i (i >= 1) is the least ID that may be found in child
// i, and every ID in child i - 1 is smaller; key 0 is never consulted (the leftmost path may hold
// IDs below it).

import { type U64, compareParts } from './id';

export interface Keyed {
  readonly ms: U64;
  readonly seq: U64;
}

const LEAF_MAX = 64;
const LEAF_MIN = 16;
const INNER_MAX = 64;
const INNER_MIN = 16;

class Leaf<T extends Keyed> {
  items: T[] = [];
  prev: Leaf<T> | null = null;
  next: Leaf<T> | null = null;
}

class Inner<T extends Keyed> {
  /** keys[i]: the least ID that may be found under children[i] (keys[0] unused by searches). */
  keys: Keyed[] = [];
  children: Array<Node<T>> = [];
}

type Node<T extends Keyed> = Leaf<T> | Inner<T>;

/** Index of the last key <= (ms, seq) among keys[1..], or 0. */
function childIndex(keys: readonly Keyed[], ms: U64, seq: U64): number {
  let lo = 1;
  let hi = keys.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const k = keys[mid]!;
    if (compareParts(k.ms, k.seq, ms, seq) <= 0) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** First index in a leaf whose item is >= (ms, seq) (items.length when none). */
function lowerBound<T extends Keyed>(items: readonly T[], ms: U64, seq: U64): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const it = items[mid]!;
    if (compareParts(it.ms, it.seq, ms, seq) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class IdTree<T extends Keyed> {
  private root: Node<T> = new Leaf<T>();
  private count = 0;
  private head: Leaf<T> = this.root as Leaf<T>;
  private tail: Leaf<T> = this.root as Leaf<T>;

  get size(): number {
    return this.count;
  }

  get(ms: U64, seq: U64): T | undefined {
    // Past the largest ID (how a new delivery asks): absent, without a descent.
    const tailItems = this.tail.items;
    const lastItem = tailItems[tailItems.length - 1];
    if (lastItem === undefined || compareParts(lastItem.ms, lastItem.seq, ms, seq) < 0) return undefined;
    const leaf = this.leafFor(ms, seq);
    const i = lowerBound(leaf.items, ms, seq);
    const it = leaf.items[i];
    return it !== undefined && it.ms === ms && it.seq === seq ? it : undefined;
  }

  has(ms: U64, seq: U64): boolean {
    return this.get(ms, seq) !== undefined;
  }

  /** The smallest item, or undefined when empty. */
  first(): T | undefined {
    return this.head.items[0];
  }

  /** The largest item, or undefined when empty. */
  last(): T | undefined {
    const items = this.tail.items;
    return items[items.length - 1];
  }

  /** Insert an item; false (and nothing changes) when an item with its ID is already there. */
  insert(item: T): boolean {
    // Fast path: appending past the largest ID (new deliveries arrive in ID order).
    const tail = this.tail;
    const lastItem = tail.items[tail.items.length - 1];
    if (lastItem !== undefined && tail.items.length < LEAF_MAX && compareParts(lastItem.ms, lastItem.seq, item.ms, item.seq) < 0) {
      tail.items.push(item);
      this.count++;
      return true;
    }
    const split = this.insertInto(this.root, item);
    if (split === false) return false;
    if (split !== null) {
      const root = new Inner<T>();
      root.keys = [minKey(this.root), split.key];
      root.children = [this.root, split.node];
      this.root = root;
    }
    this.count++;
    return true;
  }

  /** Remove the item with this ID; returns it, or undefined when absent. */
  delete(ms: U64, seq: U64): T | undefined {
    const removed = this.deleteFrom(this.root, ms, seq);
    if (removed === undefined) return undefined;
    this.count--;
    const root = this.root;
    if (root instanceof Inner && root.children.length === 1) this.root = root.children[0]!;
    return removed;
  }

  /** Remove everything. */
  clear(): void {
    const leaf = new Leaf<T>();
    this.root = leaf;
    this.head = leaf;
    this.tail = leaf;
    this.count = 0;
  }

  /**
   * A cursor at the first item >= (ms, seq) going forward, or at the last item <= (ms, seq) going
   * backward. Call next() for each item; the tree must not change while the cursor is used.
   */
  cursor(ms: U64, seq: U64, reverse = false): IdTreeCursor<T> {
    const leaf = this.leafFor(ms, seq);
    let i = lowerBound(leaf.items, ms, seq);
    if (reverse) {
      const it = leaf.items[i];
      if (it === undefined || it.ms !== ms || it.seq !== seq) i--;
    }
    return new IdTreeCursor(leaf, i, reverse);
  }

  /** Items in ID order (allocates; for tests, copies and snapshots). */
  toArray(): T[] {
    const out: T[] = [];
    for (let leaf: Leaf<T> | null = this.head; leaf !== null; leaf = leaf.next) for (const it of leaf.items) out.push(it);
    return out;
  }

  /** Visit every item in ID order; stop early when fn returns false. */
  forEach(fn: (item: T) => boolean | void): void {
    for (let leaf: Leaf<T> | null = this.head; leaf !== null; leaf = leaf.next) {
      for (const it of leaf.items) if (fn(it) === false) return;
    }
  }

  /** Check every structural invariant (tests); returns the tree's depth (1: a lone leaf). Throws on the first violation. */
  check(): number {
    let seen = 0;
    let prev: Keyed | null = null;
    for (let leaf: Leaf<T> | null = this.head; leaf !== null; leaf = leaf.next) {
      if (leaf.next !== null && leaf.next.prev !== leaf) throw new Error('IdTree: broken leaf links');
      for (const it of leaf.items) {
        if (prev !== null && compareParts(prev.ms, prev.seq, it.ms, it.seq) >= 0) throw new Error('IdTree: items out of order');
        prev = it;
        seen++;
      }
    }
    if (seen !== this.count) throw new Error(`IdTree: size ${this.count} but ${seen} items`);
    const walk = (node: Node<T>, lower: Keyed | null, upper: Keyed | null, isRoot: boolean): number => {
      if (node instanceof Leaf) {
        // The last leaf may be underfull: appends split a full last leaf into a full one and a new one.
        if (!isRoot && node !== this.tail && node.items.length < LEAF_MIN) throw new Error('IdTree: leaf underfull');
        if (node.items.length > LEAF_MAX) throw new Error('IdTree: leaf overfull');
        for (const it of node.items) {
          if (lower !== null && compareParts(it.ms, it.seq, lower.ms, lower.seq) < 0) throw new Error('IdTree: item below its separator');
          if (upper !== null && compareParts(it.ms, it.seq, upper.ms, upper.seq) >= 0) throw new Error('IdTree: item above next separator');
        }
        return 1;
      }
      if (!isRoot && node.children.length < INNER_MIN) throw new Error('IdTree: inner underfull');
      if (node.children.length > INNER_MAX || node.children.length !== node.keys.length) throw new Error('IdTree: inner shape');
      let depth = -1;
      for (let i = 0; i < node.children.length; i++) {
        const lo = i === 0 ? lower : node.keys[i]!;
        const hi = i + 1 < node.children.length ? node.keys[i + 1]! : upper;
        const d = walk(node.children[i]!, lo, hi, false);
        if (depth !== -1 && d !== depth) throw new Error('IdTree: unbalanced');
        depth = d;
      }
      return depth + 1;
    };
    return walk(this.root, null, null, true);
  }

  // ---- internals

  private leafFor(ms: U64, seq: U64): Leaf<T> {
    let node = this.root;
    while (node instanceof Inner) node = node.children[childIndex(node.keys, ms, seq)]!;
    return node;
  }

  /** false: already present; null: inserted, no split; else the new right sibling and its key. */
  private insertInto(node: Node<T>, item: T): { node: Node<T>; key: Keyed } | null | false {
    if (node instanceof Leaf) {
      const items = node.items;
      const i = lowerBound(items, item.ms, item.seq);
      const at = items[i];
      if (at !== undefined && at.ms === item.ms && at.seq === item.seq) return false;
      items.splice(i, 0, item);
      if (items.length <= LEAF_MAX) return null;
      // Appends at the far right keep the left leaf full; other splits go half and half.
      const cut = node.next === null && i === items.length - 1 ? LEAF_MAX : items.length >> 1;
      const right = new Leaf<T>();
      right.items = items.splice(cut);
      right.next = node.next;
      right.prev = node;
      if (node.next !== null) node.next.prev = right;
      else this.tail = right;
      node.next = right;
      return { node: right, key: right.items[0]! };
    }
    const ci = childIndex(node.keys, item.ms, item.seq);
    const split = this.insertInto(node.children[ci]!, item);
    if (split === null || split === false) return split;
    node.children.splice(ci + 1, 0, split.node);
    node.keys.splice(ci + 1, 0, split.key);
    if (node.children.length <= INNER_MAX) return null;
    const cut = node.children.length >> 1;
    const right = new Inner<T>();
    right.children = node.children.splice(cut);
    right.keys = node.keys.splice(cut);
    return { node: right, key: right.keys[0]! };
  }

  private deleteFrom(node: Node<T>, ms: U64, seq: U64): T | undefined {
    if (node instanceof Leaf) {
      const items = node.items;
      const i = lowerBound(items, ms, seq);
      const at = items[i];
      if (at === undefined || at.ms !== ms || at.seq !== seq) return undefined;
      items.splice(i, 1);
      return at;
    }
    const ci = childIndex(node.keys, ms, seq);
    const child = node.children[ci]!;
    const removed = this.deleteFrom(child, ms, seq);
    if (removed === undefined) return undefined;
    if (child instanceof Leaf ? child.items.length < LEAF_MIN : child.children.length < INNER_MIN) this.rebalance(node, ci);
    return removed;
  }

  /** Fix an underfull child of `parent` by borrowing from or merging with a sibling. */
  private rebalance(parent: Inner<T>, ci: number): void {
    const child = parent.children[ci]!;
    const left = ci > 0 ? parent.children[ci - 1]! : null;
    const right = ci + 1 < parent.children.length ? parent.children[ci + 1]! : null;
    if (child instanceof Leaf) {
      const l = left as Leaf<T> | null;
      const r = right as Leaf<T> | null;
      if (l !== null && l.items.length > LEAF_MIN) {
        child.items.unshift(l.items.pop()!);
        parent.keys[ci] = child.items[0]!;
      } else if (r !== null && r.items.length > LEAF_MIN) {
        child.items.push(r.items.shift()!);
        parent.keys[ci + 1] = r.items[0]!;
      } else if (l !== null) {
        for (const it of child.items) l.items.push(it);
        this.unlinkLeaf(child);
        parent.children.splice(ci, 1);
        parent.keys.splice(ci, 1);
      } else if (r !== null) {
        for (const it of r.items) child.items.push(it);
        this.unlinkLeaf(r);
        parent.children.splice(ci + 1, 1);
        parent.keys.splice(ci + 1, 1);
      }
      return;
    }
    const l = left as Inner<T> | null;
    const r = right as Inner<T> | null;
    if (l !== null && l.children.length > INNER_MIN) {
      child.children.unshift(l.children.pop()!);
      child.keys.unshift(l.keys.pop()!);
      parent.keys[ci] = child.keys[0]!;
    } else if (r !== null && r.children.length > INNER_MIN) {
      child.children.push(r.children.shift()!);
      child.keys.push(r.keys.shift()!);
      parent.keys[ci + 1] = r.keys[0]!;
    } else if (l !== null) {
      for (const c of child.children) l.children.push(c);
      for (const k of child.keys) l.keys.push(k);
      parent.children.splice(ci, 1);
      parent.keys.splice(ci, 1);
    } else if (r !== null) {
      for (const c of r.children) child.children.push(c);
      for (const k of r.keys) child.keys.push(k);
      parent.children.splice(ci + 1, 1);
      parent.keys.splice(ci + 1, 1);
    }
  }

  private unlinkLeaf(leaf: Leaf<T>): void {
    if (leaf.prev !== null) leaf.prev.next = leaf.next;
    else this.head = leaf.next!;
    if (leaf.next !== null) leaf.next.prev = leaf.prev;
    else this.tail = leaf.prev!;
  }
}

function minKey<T extends Keyed>(node: Node<T>): Keyed {
  while (node instanceof Inner) node = node.children[0]!;
  return node.items[0]!;
}

/** Walks an IdTree in ID order (or reverse) from a starting point; see IdTree.cursor. */
export class IdTreeCursor<T extends Keyed> {
  constructor(
    private leaf: Leaf<T> | null,
    private i: number,
    private readonly reverse: boolean,
  ) {}

  /** The next item, or undefined at the end. */
  next(): T | undefined {
    if (!this.reverse) {
      while (this.leaf !== null) {
        const it = this.leaf.items[this.i];
        if (it !== undefined) {
          this.i++;
          return it;
        }
        this.leaf = this.leaf.next;
        this.i = 0;
      }
      return undefined;
    }
    while (this.leaf !== null) {
      if (this.i >= 0) {
        const it = this.leaf.items[this.i--];
        if (it !== undefined) return it;
      }
      this.leaf = this.leaf.prev;
      this.i = this.leaf === null ? -1 : this.leaf.items.length - 1;
    }
    return undefined;
  }
}
