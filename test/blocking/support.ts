// A small world for blocking tests: fake clients, a fake clock with real timer semantics, and a toy
// keyspace whose commands (LPUSH, BLPOP, BLMOVE, an XREADGROUP-like wait) block through the
// registry the way the real commands will: block when nothing is there, retry by running the whole
// command again (Redis 7.2), write through one function that signals the keys it touched.

import { BlockingRegistry, type BlockingClock, type BlockingHost, type BlockingOptions, type RetryOutcome, type UnblockReason } from '../../server/blocking';

export class FakeClock implements BlockingClock {
  now = 1_700_000_000_000;
  private nextId = 1;
  timers: Array<{ id: number; at: number; delayMs: number; callback: () => void }> = [];
  /** Every delay ever asked for. */
  readonly delays: number[] = [];

  nowMs(): number {
    return this.now;
  }

  setTimer(callback: () => void, delayMs: number): unknown {
    const timer = { id: this.nextId++, at: this.now + delayMs, delayMs, callback };
    this.timers.push(timer);
    this.delays.push(delayMs);
    return timer;
  }

  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((t) => t !== handle);
  }

  /** Move time forward, firing due timers in time order as Node would. */
  advance(ms: number): void {
    const target = this.now + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.now = Math.max(this.now, due.at);
      due.callback();
    }
    this.now = target;
  }
}

export interface FakeClient {
  readonly id: number;
  /** Replies written to it, as short texts. */
  readonly replies: string[];
}

type Value = { type: 'list'; items: string[] } | { type: 'string'; value: string } | { type: 'stream'; entries: string[] };

export class World implements BlockingHost<FakeClient> {
  readonly clock = new FakeClock();
  readonly registry: BlockingRegistry<FakeClient>;
  readonly dbs: Array<Map<string, Value>> = [new Map(), new Map()];
  /** What the host saw, in order: "served 3", "timeout 2", "retry 1 k"... */
  readonly events: string[] = [];
  keysReadyCalls = 0;
  /** Called by unblocked(), e.g. to block the client again at once. */
  onUnblocked: ((client: FakeClient, reason: UnblockReason) => void) | null = null;
  private nextClientId = 1;
  private current: FakeClient | null = null;

  constructor(options: BlockingOptions = {}) {
    this.registry = new BlockingRegistry(this, this.clock, options);
  }

  client(): FakeClient {
    return { id: this.nextClientId++, replies: [] };
  }

  // ---- BlockingHost

  runFor<T>(client: FakeClient, work: () => T): T {
    const previous = this.current;
    this.current = client;
    try {
      return work();
    } finally {
      this.current = previous;
    }
  }

  replyError(client: FakeClient, message: string): void {
    if (this.current !== client) throw new Error('error reply written outside runFor');
    client.replies.push(`-${message}`);
  }

  unblocked(client: FakeClient, reason: UnblockReason): void {
    this.events.push(`${reason} ${client.id}`);
    this.onUnblocked?.(client, reason);
  }

  keysReady(): void {
    this.keysReadyCalls++;
  }

  // ---- the toy keyspace; every write signals its key

  private write(db: number, key: string, value: Value | undefined): void {
    if (value === undefined) this.dbs[db]!.delete(key);
    else this.dbs[db]!.set(key, value);
    this.registry.signalKeyAsReady(db, key);
  }

  list(db: number, key: string): string[] | undefined {
    const value = this.dbs[db]!.get(key);
    return value?.type === 'list' ? value.items : undefined;
  }

  lpush(db: number, key: string, ...elements: string[]): void {
    const items = [...(this.list(db, key) ?? [])];
    for (const e of elements) items.unshift(e);
    this.write(db, key, { type: 'list', items });
  }

  rpush(db: number, key: string, ...elements: string[]): void {
    this.write(db, key, { type: 'list', items: [...(this.list(db, key) ?? []), ...elements] });
  }

  del(db: number, key: string): void {
    this.write(db, key, undefined);
  }

  set(db: number, key: string, value: string): void {
    this.write(db, key, { type: 'string', value });
  }

  xadd(db: number, key: string, entry: string): void {
    const value = this.dbs[db]!.get(key);
    const entries = value?.type === 'stream' ? value.entries : [];
    this.write(db, key, { type: 'stream', entries: [...entries, entry] });
  }

  /** Pop from the head of a list, deleting it when emptied; signals like a write. */
  private lpop(db: number, key: string): string {
    const items = [...this.list(db, key)!];
    const element = items.shift()!;
    this.write(db, key, items.length === 0 ? undefined : { type: 'list', items });
    return element;
  }

  /**
   * BLPOP keys... timeout: pops from the first non-empty list in the command's order, or blocks.
   * With `tryFirst` false it blocks without looking (a command run while a pass is serving).
   */
  blpop(client: FakeClient, db: number, keys: string[], timeoutMs: number, tryFirst = true): void {
    const run = (): boolean => {
      for (const key of keys) {
        if (this.list(db, key) !== undefined) {
          client.replies.push(`${key}=${this.lpop(db, key)}`);
          return true;
        }
      }
      return false;
    };
    if (tryFirst && run()) return;
    this.registry.block(client, {
      db,
      keys,
      deadlineMs: timeoutMs === 0 ? 0 : this.clock.now + timeoutMs,
      retry: (key): RetryOutcome => {
        if (this.current !== client) throw new Error('retry outside runFor');
        this.events.push(`retry ${client.id} ${key}`);
        const value = this.dbs[db]!.get(key);
        // Redis 7.2 retries only clients whose type the key holds now; an absent key has nothing for anyone.
        if (value === undefined) return 'empty';
        if (value.type !== 'list') return 'skip';
        return run() ? 'served' : 'empty';
      },
      timedOut: () => client.replies.push('(nil)'),
    });
  }

  /** BLMOVE source destination LEFT RIGHT timeout. */
  blmove(client: FakeClient, db: number, source: string, destination: string, timeoutMs: number): void {
    const run = (): boolean => {
      if (this.list(db, source) === undefined) return false;
      const element = this.lpop(db, source);
      this.rpush(db, destination, element);
      client.replies.push(element);
      return true;
    };
    if (run()) return;
    this.registry.block(client, {
      db,
      keys: [source],
      deadlineMs: timeoutMs === 0 ? 0 : this.clock.now + timeoutMs,
      retry: (key) => {
        this.events.push(`retry ${client.id} ${key}`);
        return run() ? 'served' : 'empty';
      },
      timedOut: () => client.replies.push('(nil)'),
    });
  }

  /** Like XREADGROUP GROUP g c BLOCK ms STREAMS key >: wants entries after `seen`; an error when the key goes. */
  xreadgroup(client: FakeClient, db: number, key: string, seen: number, timeoutMs: number): void {
    this.registry.block(client, {
      db,
      keys: [key],
      deadlineMs: timeoutMs === 0 ? 0 : this.clock.now + timeoutMs,
      unblockOnNoKey: true,
      retry: () => {
        this.events.push(`retry ${client.id} ${key}`);
        const value = this.dbs[db]!.get(key);
        if (value === undefined || value.type !== 'stream') {
          client.replies.push('-NOGROUP');
          return 'served';
        }
        if (value.entries.length <= seen) return 'skip';
        client.replies.push(value.entries.slice(seen).join(','));
        return 'served';
      },
      timedOut: () => client.replies.push('(nil)'),
    });
  }

  /** The end of a command: serve what it made ready. */
  afterCommand(): number {
    return this.registry.serveReadyKeys();
  }
}
