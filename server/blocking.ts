// Clients blocked on keys (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN/MAX, BZMPOP, XREAD and
// XREADGROUP with BLOCK), in one registry keyed by (db, key), after Redis's blocked.c:
//
// - A command that finds nothing blocks its client on its keys with a deadline and a `retry`: the
//   command itself, run again for one key without blocking.
// - Writes mark keys ready (signalKeyAsReady, or signalEffect from the engine's commit listener).
//   Only keys somebody waits on are queued, each once, in the order they were first signalled.
// - After the command (or the whole EXEC) the server calls serveReadyKeys(). For each ready key,
//   the clients that were waiting on it when its turn came are retried in the order they blocked:
//   a retry that serves its client unblocks it from all its keys; a retry that finds the key empty
//   stops that key's turn (one element wakes one client); a retry for which the key holds nothing
//   of interest (another type, another consumer group) lets the next client try. A retry may write
//   other keys (BLMOVE): those become ready and are served in the same pass, after the keys already
//   queued (chained wakes).
// - Waiting clients never lose their place: a retry that finds nothing leaves the client where it
//   was. A key deleted, overwritten with another type, flushed or swapped away is signalled like any
//   write: the retries decide (BLPOP keeps waiting, XREADGROUP answers with an error).
// - Deadlines live in one binary heap ordered by (deadline, client id) behind a single timer; when
//   it fires, every client whose deadline passed gets its command's timeout reply, earliest first.
// - CLIENT UNBLOCK answers for the command with its timeout reply or with -UNBLOCKED; a client that
//   disconnects is simply forgotten.
//
// The registry knows nothing of sockets or commands: clients are anything with an id, and the
// server (BlockingHost) runs each retry as a command run, writes error replies and resumes a client
// once it is unblocked. Commands that arrive from a blocked client wait in that client's backlog
// (a CommandBacklog in server/client.ts) until then, as they wait in Redis's query buffer.
//
// How the server drives it:
// - the engine's commit listener calls signalEffect(effect) (every write, EXEC's and retries' too);
// - dispatch calls serveReadyKeys() after each top-level command, so once after a whole EXEC (whose
//   queued commands run through call(), not dispatch); blocking commands inside EXEC or a script
//   answer at once with their timeout reply and never reach block();
// - unblocked() marks the client for output and queues it; at the start of the output scheduler's
//   turn the server serves any ready keys (keysReady asked for that turn) and runs each unblocked
//   client's backlog until it is empty or the client blocks again (Redis's processUnblockedClients);
// - CLIENT UNBLOCK calls unblockById(); a closing connection calls remove().

import type { BlockSpec as CommandBlockSpec, RetryOutcome } from '../commands/types';
import type { Effect } from '../storage/effects';

export type { RetryOutcome };

/** Anything that can block: a connection, known by its client id. */
export interface BlockingClient {
  readonly id: number;
}

/** Why a client left the blocked state. */
export type UnblockReason = 'served' | 'timeout' | 'error';

/** What a command asks for when it blocks (commands/types.ts BlockSpec), with its database. */
export interface BlockSpec extends CommandBlockSpec {
  /** The database of the keys: the client's database when it blocked (it keeps it while blocked). */
  readonly db: number;
}

/** The server's side of the registry. */
export interface BlockingHost<C extends BlockingClient> {
  /**
   * Run `work` (a retry, a timeout reply, an error reply) as a run of the blocked command for
   * `client`: its clock, its stats, the log record that closes after it, the write-reply bookkeeping.
   * Must return what `work` returned.
   */
  runFor<T>(client: C, work: () => T): T;
  /** Write an error reply to `client` (CLIENT UNBLOCK ... ERROR). */
  replyError(client: C, message: string): void;
  /**
   * `client` left the blocked state and its reply is written. The host flushes it and, later (not
   * from inside this call: a pass may still be serving), runs the commands it sent meanwhile.
   * Not called for remove().
   */
  unblocked(client: C, reason: UnblockReason): void;
  /** A key became ready while none was: make sure serveReadyKeys() runs soon (after the current command, or on the next turn). */
  keysReady?(): void;
}

/** The clock deadlines are read from, and the one timer the registry keeps. */
export interface BlockingClock {
  nowMs(): number;
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

/** Wall-clock milliseconds and Node timers that do not keep the process alive. */
export const systemClock: BlockingClock = {
  nowMs: () => Date.now(),
  setTimer: (callback, delayMs) => setTimeout(callback, delayMs).unref(),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Registry options. */
export interface BlockingOptions {
  /**
   * Effect ops signalEffect ignores: writes that can give no waiter anything new. Redis wakes
   * waiters when a key is created or deleted, on XADD and on XGROUP DESTROY; signalEffect wakes
   * them on any write to their keys, which only costs retries that find nothing, except where a
   * write makes old data new again for a waiter: XGROUP SETID must be quiet, or a blocked
   * XREADGROUP would be served at once where Redis waits for the next XADD. Pops, LREM, LTRIM,
   * XDEL, XTRIM and ZREM may be quiet too (a retry after them finds nothing). Default: expire, persist.
   */
  readonly quietOps?: Iterable<string>;
}

/** Redis's reply to a client freed by CLIENT UNBLOCK <id> ERROR. */
export const UNBLOCKED_BY_CLIENT_UNBLOCK = 'UNBLOCKED client unblocked via CLIENT UNBLOCK';

/** Node's longest timer delay; a later deadline is reached in several steps. */
const TIMER_MAX_MS = 2147483647;

/** One blocked client. */
interface Waiter<C> {
  readonly client: C;
  readonly spec: BlockSpec;
  /** Its place in each of its keys' queues, in the order of spec.keys (duplicates dropped). */
  readonly nodes: Array<QueueNode<C>>;
  /** Index in the timeout heap, or -1 when it has no deadline (or has left the heap). */
  heapIndex: number;
  /** When the heap next wants it: its deadline or its spec's wake time, whichever comes first (Infinity: never). */
  dueMs: number;
}

/** A waiter's place in one key's queue: a doubly linked list in blocking order. */
interface QueueNode<C> {
  readonly waiter: Waiter<C>;
  readonly queue: KeyQueue<C>;
  /** Blocking order, unique in the registry: it only grows from head to tail of every queue. */
  readonly seq: number;
  prev: QueueNode<C> | null;
  next: QueueNode<C> | null;
  /** Left its queue (served, timed out, unblocked, disconnected). */
  removed: boolean;
}

/** The clients waiting on one key of one database. */
interface KeyQueue<C> {
  readonly db: number;
  readonly key: string;
  head: QueueNode<C> | null;
  tail: QueueNode<C> | null;
  size: number;
  /** Waiters in this queue that asked to hear of the key's deletion. */
  onNoKey: number;
  /** Queued in the ready list (a key is queued once until its turn comes). */
  ready: boolean;
}

export class BlockingRegistry<C extends BlockingClient> {
  /** Per database: key → its queue. A queue leaves the map when its last waiter does. */
  private readonly dbs: Array<Map<string, KeyQueue<C>> | undefined> = [];
  /** Blocked clients by client id. */
  private readonly waiters = new Map<number, Waiter<C>>();
  /** Keys signalled since the last pass, in signal order. */
  private ready: Array<KeyQueue<C>> = [];
  /** Waiters with a deadline or a wake time, a binary min-heap by (dueMs, client id). */
  private readonly heap: Array<Waiter<C>> = [];
  private timer: unknown = null;
  /** The deadline the timer was armed for (it may fire early for a waiter that left: harmless). */
  private timerAtMs = 0;
  private nextSeq = 1;
  private serving = false;
  /** Distinct (db, key) pairs with waiters, and those with a waiter that wants deletions (INFO). */
  private keyCount = 0;
  private noKeyCount = 0;

  /** Effect ops that wake nobody (BlockingOptions.quietOps). */
  private readonly quietOps: ReadonlySet<string>;

  constructor(
    private readonly host: BlockingHost<C>,
    private readonly clock: BlockingClock = systemClock,
    options: BlockingOptions = {},
  ) {
    this.quietOps = new Set(options.quietOps ?? ['expire', 'persist']);
  }

  // ---- INFO clients

  /** blocked_clients */
  get blockedClients(): number {
    return this.waiters.size;
  }

  /** clients_in_timeout_table */
  get clientsInTimeoutTable(): number {
    return this.heap.length;
  }

  /** total_blocking_keys */
  get totalBlockingKeys(): number {
    return this.keyCount;
  }

  /** total_blocking_keys_on_nokey */
  get totalBlockingKeysOnNoKey(): number {
    return this.noKeyCount;
  }

  /** Whether serveReadyKeys() has work. */
  get hasReadyKeys(): boolean {
    return this.ready.length > 0;
  }

  isBlocked(clientId: number): boolean {
    return this.waiters.has(clientId);
  }

  /** The keys a client waits on (duplicates dropped), or undefined when it is not blocked. */
  keysOf(clientId: number): readonly string[] | undefined {
    return this.waiters.get(clientId)?.nodes.map((node) => node.queue.key);
  }

  // ---- blocking

  /**
   * Block `client` as `spec` says. The caller has checked that the command may block (not inside
   * EXEC or a script) and that its keys have nothing for it now. A client blocks once at a time.
   */
  block(client: C, spec: BlockSpec): void {
    if (this.waiters.has(client.id)) throw new Error(`client ${client.id} is already blocked`);
    const waiter: Waiter<C> = { client, spec, nodes: [], heapIndex: -1, dueMs: Infinity };
    const seen = spec.keys.length > 1 ? new Set<string>() : null;
    for (const key of spec.keys) {
      if (seen !== null) {
        if (seen.has(key)) continue;
        seen.add(key);
      }
      const queue = this.queueFor(spec.db, key);
      const node: QueueNode<C> = { waiter, queue, seq: this.nextSeq++, prev: queue.tail, next: null, removed: false };
      if (queue.tail === null) queue.head = node;
      else queue.tail.next = node;
      queue.tail = node;
      queue.size++;
      if (spec.unblockOnNoKey === true && queue.onNoKey++ === 0) this.noKeyCount++;
      waiter.nodes.push(node);
    }
    this.waiters.set(client.id, waiter);
    this.schedule(waiter);
  }

  /** (Re)place a waiter in the heap at its deadline or its next wake time, whichever is first. */
  private schedule(waiter: Waiter<C>): void {
    if (waiter.heapIndex !== -1) this.heapRemove(waiter);
    const deadline = waiter.spec.deadlineMs === 0 ? Infinity : waiter.spec.deadlineMs;
    const wake = waiter.spec.wakeAtMs?.() ?? Infinity;
    // A wake time already past (the retry just found nothing) waits at least a millisecond.
    waiter.dueMs = Math.min(deadline, wake === Infinity ? wake : Math.max(wake, this.clock.nowMs() + 1));
    if (waiter.dueMs !== Infinity) this.heapPush(waiter);
    this.armTimer();
  }

  // ---- signals

  /** A write touched `key` of database `db` (Redis's signalKeyAsReady and signalDeletedKeyAsReady). */
  signalKeyAsReady(db: number, key: string): void {
    if (this.waiters.size === 0) return;
    const queue = this.dbs[db]?.get(key);
    if (queue !== undefined) this.markReady(queue);
  }

  /** Every key of a database may have changed (FLUSHDB, FLUSHALL, SWAPDB): all its waited keys are ready. */
  signalDb(db: number): void {
    const queues = this.dbs[db];
    if (queues === undefined || this.waiters.size === 0) return;
    for (const queue of queues.values()) this.markReady(queue);
  }

  /**
   * Signal the keys an effect wrote. Knows the keyspace effects by name and any other by shape: a
   * string `key`, string `keys`, `from` / `source` (in `db`) and `to` / `destination` (in `toDb` when
   * present, else `db`); MOVE's key in both databases. Meant for the engine's commit listener, so no
   * write can forget to wake its waiters. Ops in quietOps are ignored.
   */
  signalEffect(effect: Effect): void {
    if (this.waiters.size === 0 || this.quietOps.has(effect.op)) return;
    switch (effect.op) {
      case 'flushdb':
        this.signalDb(effect.db);
        return;
      case 'flushall':
        for (let db = 0; db < this.dbs.length; db++) this.signalDb(db);
        return;
      case 'swapdb':
        // Waiters stay with their database number; both numbers now show other contents.
        this.signalDb(effect.db);
        this.signalDb(effect.other);
        return;
      default: {
        const fields = effect as unknown as Readonly<Record<string, unknown>>;
        const db = fields.db;
        if (typeof db !== 'number') return;
        const toDb = typeof fields.toDb === 'number' ? fields.toDb : db;
        if (typeof fields.key === 'string') {
          this.signalKeyAsReady(db, fields.key);
          if (toDb !== db) this.signalKeyAsReady(toDb, fields.key);
        }
        if (Array.isArray(fields.keys)) for (const key of fields.keys) if (typeof key === 'string') this.signalKeyAsReady(db, key);
        for (const name of ['from', 'source'] as const) if (typeof fields[name] === 'string') this.signalKeyAsReady(db, fields[name] as string);
        for (const name of ['to', 'destination'] as const) if (typeof fields[name] === 'string') this.signalKeyAsReady(toDb, fields[name] as string);
      }
    }
  }

  // ---- serving

  /**
   * Serve the ready keys, in the order they were signalled, each key's waiters in the order they
   * blocked; keys made ready by the retries are served in the same pass. Returns how many clients
   * were served. A call made while a pass runs (from inside a retry) returns 0 at once: the running
   * pass picks up whatever it signalled.
   */
  serveReadyKeys(): number {
    if (this.serving || this.ready.length === 0) return 0;
    this.serving = true;
    let served = 0;
    let batch: Array<KeyQueue<C>> = [];
    let i = 0;
    try {
      while (this.ready.length > 0) {
        batch = this.ready;
        this.ready = [];
        for (i = 0; i < batch.length; i++) {
          const queue = batch[i]!;
          // Off the ready list before its turn, so that a retry may signal it again (BLMOVE k k).
          queue.ready = false;
          served += this.serveQueue(queue);
        }
      }
    } finally {
      this.serving = false;
      // A retry threw (a bug): the keys whose turn did not come stay queued for the next pass.
      if (i + 1 < batch.length) this.ready = [...batch.slice(i + 1), ...this.ready];
    }
    return served;
  }

  private serveQueue(queue: KeyQueue<C>): number {
    const tail = queue.tail;
    if (tail === null) return 0;
    // Only those already waiting when the key's turn began (Redis's initial count).
    const lastSeq = tail.seq;
    let served = 0;
    let node: QueueNode<C> | null = queue.head;
    while (node !== null && node.seq <= lastSeq) {
      const waiter = node.waiter;
      const seq = node.seq;
      const next = node.next;
      const outcome = this.host.runFor(waiter.client, () => waiter.spec.retry(queue.key));
      if (outcome === 'served') {
        this.release(waiter);
        served++;
        this.host.unblocked(waiter.client, 'served');
      } else {
        if (waiter.spec.wakeAtMs !== undefined) this.schedule(waiter);
        if (outcome === 'empty') break;
      }
      node = next === null || !next.removed ? next : this.firstAfter(queue, seq);
    }
    return served;
  }

  /** The first node of `queue` blocked after `seq` (seq only grows from head to tail). */
  private firstAfter(queue: KeyQueue<C>, seq: number): QueueNode<C> | null {
    let node = queue.head;
    while (node !== null && node.seq <= seq) node = node.next;
    return node;
  }

  // ---- unblocking

  /**
   * CLIENT UNBLOCK <id> [TIMEOUT|ERROR]: end the wait of a blocked client, with its command's
   * timeout reply or with -UNBLOCKED. False when that client is not blocked.
   */
  unblockById(clientId: number, how: 'timeout' | 'error'): boolean {
    const waiter = this.waiters.get(clientId);
    if (waiter === undefined) return false;
    this.release(waiter);
    if (how === 'timeout') this.host.runFor(waiter.client, () => waiter.spec.timedOut());
    else this.host.runFor(waiter.client, () => this.host.replyError(waiter.client, UNBLOCKED_BY_CLIENT_UNBLOCK));
    this.host.unblocked(waiter.client, how);
    return true;
  }

  /**
   * The owner of a block ended it with the reply written (WAIT satisfied by replica acks): the
   * client is unblocked as served. False when it was not blocked.
   */
  finish(client: C): boolean {
    const waiter = this.waiters.get(client.id);
    if (waiter === undefined) return false;
    this.release(waiter);
    this.host.unblocked(client, 'served');
    return true;
  }

  /** The client disconnected: forget it without a reply. */
  remove(client: C): void {
    const waiter = this.waiters.get(client.id);
    if (waiter !== undefined) this.release(waiter);
  }

  /**
   * Give every client whose deadline has passed its timeout reply, earliest deadline first, and run
   * again those whose wake time (BlockSpec.wakeAtMs) came; returns how many timed out.
   */
  expireTimeouts(): number {
    const now = this.clock.nowMs();
    let expired = 0;
    for (;;) {
      const top = this.heap[0];
      if (top === undefined || top.dueMs > now) break;
      if (top.spec.deadlineMs === 0 || top.spec.deadlineMs > now) {
        // A wake, not a deadline: run the command again; it keeps waiting when nothing is served.
        const outcome = this.host.runFor(top.client, () => top.spec.retry(top.nodes[0]!.queue.key));
        if (outcome === 'served') {
          this.release(top);
          this.host.unblocked(top.client, 'served');
        } else {
          this.schedule(top);
        }
        continue;
      }
      this.release(top);
      this.host.runFor(top.client, () => top.spec.timedOut());
      this.host.unblocked(top.client, 'timeout');
      expired++;
    }
    this.armTimer();
    return expired;
  }

  /** Take a waiter out of its queues and the heap. */
  private release(waiter: Waiter<C>): void {
    this.waiters.delete(waiter.client.id);
    for (const node of waiter.nodes) {
      const queue = node.queue;
      node.removed = true;
      if (node.prev === null) queue.head = node.next;
      else node.prev.next = node.next;
      if (node.next === null) queue.tail = node.prev;
      else node.next.prev = node.prev;
      queue.size--;
      if (waiter.spec.unblockOnNoKey === true && --queue.onNoKey === 0) this.noKeyCount--;
      if (queue.size === 0) {
        this.dbs[queue.db]!.delete(queue.key);
        this.keyCount--;
      }
    }
    if (waiter.heapIndex !== -1) this.heapRemove(waiter);
  }

  private queueFor(db: number, key: string): KeyQueue<C> {
    let queues = this.dbs[db];
    if (queues === undefined) {
      queues = new Map();
      this.dbs[db] = queues;
    }
    let queue = queues.get(key);
    if (queue === undefined) {
      queue = { db, key, head: null, tail: null, size: 0, onNoKey: 0, ready: false };
      queues.set(key, queue);
      this.keyCount++;
    }
    return queue;
  }

  private markReady(queue: KeyQueue<C>): void {
    if (queue.ready) return;
    queue.ready = true;
    this.ready.push(queue);
    if (this.ready.length === 1 && !this.serving) this.host.keysReady?.();
  }

  // ---- the timeout heap and its one timer

  private readonly onTimer = (): void => {
    this.timer = null;
    this.expireTimeouts();
  };

  /** Arm the timer for the earliest deadline unless it already fires no later than that. */
  private armTimer(): void {
    const top = this.heap[0];
    if (top === undefined) {
      if (this.timer !== null) {
        this.clock.clearTimer(this.timer);
        this.timer = null;
      }
      return;
    }
    const at = top.dueMs;
    if (this.timer !== null) {
      if (this.timerAtMs <= at) return;
      this.clock.clearTimer(this.timer);
    }
    this.timerAtMs = at;
    this.timer = this.clock.setTimer(this.onTimer, Math.min(TIMER_MAX_MS, Math.max(0, at - this.clock.nowMs())));
  }

  private static before<C extends BlockingClient>(a: Waiter<C>, b: Waiter<C>): boolean {
    const da = a.dueMs;
    const db = b.dueMs;
    return da < db || (da === db && a.client.id < b.client.id);
  }

  private heapPush(waiter: Waiter<C>): void {
    waiter.heapIndex = this.heap.length;
    this.heap.push(waiter);
    this.siftUp(waiter.heapIndex);
  }

  private heapRemove(waiter: Waiter<C>): void {
    const heap = this.heap;
    const i = waiter.heapIndex;
    waiter.heapIndex = -1;
    const last = heap.pop()!;
    if (last === waiter) return;
    heap[i] = last;
    last.heapIndex = i;
    this.siftUp(i);
    this.siftDown(last.heapIndex);
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const item = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!BlockingRegistry.before(item, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      heap[i]!.heapIndex = i;
      i = parent;
    }
    heap[i] = item;
    item.heapIndex = i;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const item = heap[i]!;
    const n = heap.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && BlockingRegistry.before(heap[right]!, heap[left]!) ? right : left;
      if (!BlockingRegistry.before(heap[child]!, item)) break;
      heap[i] = heap[child]!;
      heap[i]!.heapIndex = i;
      i = child;
    }
    heap[i] = item;
    item.heapIndex = i;
  }
}

/**
 * The commands a blocked client sent meanwhile, in arrival order, with their size (counted against
 * client-query-buffer-limit, as Redis counts its unparsed query buffer). Shift is O(1).
 */
export class CommandBacklog {
  private items: Array<Buffer[] | undefined> = [];
  private head = 0;
  /** Bytes of the arguments held. */
  bytes = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(argv: Buffer[]): void {
    this.items.push(argv);
    for (const arg of argv) this.bytes += arg.length;
  }

  /** The oldest command, or undefined when none is left. */
  shift(): Buffer[] | undefined {
    if (this.head === this.items.length) return undefined;
    const argv = this.items[this.head]!;
    this.items[this.head++] = undefined;
    for (const arg of argv) this.bytes -= arg.length;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return argv;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
    this.bytes = 0;
  }
}
