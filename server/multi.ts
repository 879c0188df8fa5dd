// Transactions after Redis's multi.c: MULTI queues commands, EXEC runs them back to back with
// nothing in between, DISCARD drops them, and WATCH makes EXEC fail when a watched key changed.
//
// - Queueing (dispatch.ts): in MULTI, every command but EXEC, DISCARD, MULTI, WATCH, QUIT and RESET
//   goes through the usual checks (name, arity, auth, no_multi, MISCONF) and is answered +QUEUED.
//   A refusal marks the transaction (Redis's CLIENT_DIRTY_EXEC): EXEC answers -EXECABORT and runs
//   nothing. Once a transaction cannot run, later commands are still answered +QUEUED but not kept.
// - EXEC runs the queued commands through dispatch's call() (command stats, slow log and MONITOR
//   for each, as Redis's call() does), inside one reply array; an error in one does not stop the
//   rest. Time stands still at EXEC's start, blocking commands answer at once as on timeout, and a
//   BGSAVE is scheduled rather than started, so the effects of the whole EXEC stay one log record
//   (Server.commandDone closes it after EXEC) and its reply is held for durability as one write.
// - WATCH: WatchRegistry maps (db, key) to its watchers. Every committed effect touches the keys it
//   changes (Redis's touchWatchedKey): their watchers' EXEC answers a null array. FLUSHDB, FLUSHALL
//   and SWAPDB touch only the watched keys that exist before them (for SWAPDB: in either database;
//   touchAllWatchedKeysInDb). A key already expired when watched is flagged so that its deletion
//   counts as no change; at EXEC, a watched key that expired since counts as changed.

import type { TransactionApi } from '../commands/types';
import { ERR } from '../commands/errors';
import type { Effect } from '../storage/effects';
import type { Engine } from '../storage/engine';
import type { StreamChange } from '../storage/stream/effects';
import type { Client } from './client';
import { call, type CommandEntry } from './dispatch';
import type { Server } from './server';

/** Bytes Redis counts per argument pointer and per reserved queue slot (multi-mem=, 64-bit build). */
const POINTER_BYTES = 8;
const QUEUE_SLOT_BYTES = 24;
/** A watched key's bookkeeping in Redis (a list node and a watchedKey), for multi-mem=. */
const WATCHED_KEY_BYTES = 56;

/** One key one client watches. */
interface WatchedKey {
  readonly owner: Transaction;
  readonly db: number;
  readonly key: string;
  /** The key was already logically expired when watched: its deletion is then no change. */
  expired: boolean;
}

interface QueuedCommand {
  readonly entry: CommandEntry;
  readonly argv: Buffer[];
}

/** Who watches which key, per database; told of every write by the engine. */
export class WatchRegistry {
  /** Per db: key → its watchers, in the order they watched. Lists are never empty. */
  private readonly byDb: Array<Map<string, WatchedKey[]>>;
  /** Watched (client, db, key) entries in all databases: writes cost nothing while it is 0. */
  private watchedCount = 0;
  /** Whether the key of the stream effect being applied existed before it (see touchesWatchers). */
  private streamKeyExisted = false;

  constructor(private readonly engine: Engine) {
    this.byDb = engine.dbs.map(() => new Map());
    engine.onBeforeCommit(this.beforeEffect);
    engine.onCommit(this.afterEffect);
  }

  /** Watched keys across all clients (tests). */
  get size(): number {
    return this.watchedCount;
  }

  add(watched: WatchedKey): void {
    const keys = this.byDb[watched.db]!;
    const watchers = keys.get(watched.key);
    if (watchers === undefined) keys.set(watched.key, [watched]);
    else watchers.push(watched);
    this.watchedCount++;
  }

  remove(watched: WatchedKey): void {
    const keys = this.byDb[watched.db]!;
    const watchers = keys.get(watched.key);
    if (watchers === undefined) return;
    const at = watchers.indexOf(watched);
    if (at === -1) return;
    watchers.splice(at, 1);
    if (watchers.length === 0) keys.delete(watched.key);
    this.watchedCount--;
  }

  /** Whole-database changes, judged while the keys they remove are still there. */
  private readonly beforeEffect = (effect: Effect): void => {
    if (this.watchedCount === 0) return;
    switch (effect.op) {
      case 'flushdb':
        this.touchAllInDb(effect.db, null);
        return;
      case 'flushall':
        for (let db = 0; db < this.byDb.length; db++) this.touchAllInDb(db, null);
        return;
      case 'swapdb':
        if (effect.db === effect.other) return;
        this.touchAllInDb(effect.db, effect.other);
        this.touchAllInDb(effect.other, effect.db);
        return;
      case 'stream':
        this.streamKeyExisted = this.engine.dbs[effect.db]!.entries.has(effect.key);
        return;
      default:
        return;
    }
  };

  /** Key writes, judged once applied (a deleted key is gone by then). */
  private readonly afterEffect = (effect: Effect): void => {
    if (this.watchedCount === 0) return;
    switch (effect.op) {
      case 'flushdb':
      case 'flushall':
      case 'swapdb':
        return; // beforeEffect
      case 'del':
        for (const key of effect.keys) this.touchKey(effect.db, key);
        return;
      case 'rename':
      case 'lmove':
      case 'lmovem':
        this.touchKey(effect.db, effect.from);
        this.touchKey(effect.db, effect.to);
        return;
      case 'copy':
        this.touchKey(effect.toDb, effect.to);
        return;
      case 'move':
        this.touchKey(effect.db, effect.key);
        this.touchKey(effect.toDb, effect.key);
        return;
      case 'stream':
        if (touchesWatchers(effect.change, this.streamKeyExisted)) this.touchKey(effect.db, effect.key);
        return;
      default:
        this.touchKey(effect.db, effect.key);
        return;
    }
  };

  /** A write to one key (touchWatchedKey): its watchers' transactions will not run. */
  private touchKey(db: number, key: string): void {
    const watchers = this.byDb[db]!.get(key);
    if (watchers === undefined) return;
    const exists = this.engine.dbs[db]!.entries.has(key);
    // Copied: a changed transaction unwatches its keys, this list among them.
    for (const watched of [...watchers]) {
      // An expired key deleted (by expiry, or on its way to being replaced) is no change by itself.
      if (watched.expired && !exists) {
        watched.expired = false;
        continue;
      }
      watched.owner.watchedKeyChanged();
    }
  }

  /**
   * FLUSHDB / FLUSHALL (`replacedWith` null) or SWAPDB (the database whose contents `emptied` is
   * about to receive), before it happens: a watched key counts as changed when it exists in either.
   * Flags follow Redis: a key expired when watched that stays missing or expired is no change; a
   * missing key replaced by an expired one becomes such a key.
   */
  private touchAllInDb(emptied: number, replacedWith: number | null): void {
    const keys = this.byDb[emptied]!;
    if (keys.size === 0) return;
    const dbs = this.engine.dbs;
    const emptiedDb = dbs[emptied]!;
    const otherDb = replacedWith === null ? null : dbs[replacedWith]!;
    const nowMs = this.engine.clockMs;
    const changed: Transaction[] = [];
    for (const [key, watchers] of keys) {
      const inEmptied = emptiedDb.entries.has(key);
      const inOther = otherDb !== null && otherDb.entries.has(key);
      if (!inEmptied && !inOther) continue;
      const otherExpired = inOther && otherDb.isExpired(key, nowMs);
      for (const watched of watchers) {
        if (watched.expired) {
          if (!inOther) {
            watched.expired = false;
            continue;
          }
          if (otherExpired) continue;
        } else if (!inEmptied && otherExpired) {
          watched.expired = true;
          continue;
        }
        changed.push(watched.owner);
      }
    }
    // After the walk: a changed transaction unwatches its keys from the lists being walked.
    for (const transaction of changed) transaction.watchedKeyChanged();
  }
}

/**
 * Whether a stream change touches WATCH (Redis's signalModifiedKey): appends and removals of
 * entries, and XGROUP CREATE MKSTREAM when it creates the stream. XSETID, consumer-group changes,
 * deliveries (XREADGROUP), XACK and XCLAIM do not (as Redis 7.0 and 7.2 behave).
 */
function touchesWatchers(change: StreamChange, keyExisted: boolean): boolean {
  switch (change.op) {
    case 'xadd':
    case 'xtrim':
    case 'xdel':
      return true;
    case 'xgroupcreate':
      return !keyExisted;
    default:
      return false;
  }
}

/** One connection's MULTI/EXEC state and watched keys. */
export class Transaction implements TransactionApi {
  /** Between MULTI and EXEC/DISCARD. */
  active = false;
  /** Some queued command writes: EXEC then counts as a write (refused under -MISCONF). */
  queuedWrite = false;
  /** Some queued command may use more memory: EXEC is then refused above maxmemory. */
  queuedDenyoom = false;
  private queue: QueuedCommand[] = [];
  /** A command was refused while queueing (CLIENT_DIRTY_EXEC): EXEC answers -EXECABORT. */
  private refused = false;
  /** A watched key changed (CLIENT_DIRTY_CAS): EXEC answers a null array. */
  private keyChanged = false;
  private watched: WatchedKey[] = [];
  /** Argument bytes plus a pointer per argument of the queued commands (Redis's argv_len_sums). */
  private queuedBytes = 0;
  /** Queue slots reserved the way Redis grows its array: 2, then doubling. */
  private slots = 0;

  constructor(
    private readonly client: Client,
    private readonly server: Server,
  ) {}

  begin(): void {
    this.active = true;
    this.client.multiQueued = 0;
  }

  /** A command that passed dispatch's checks in MULTI; the caller answers +QUEUED. */
  enqueue(entry: CommandEntry, argv: Buffer[]): void {
    // A transaction that cannot run keeps nothing more (clients that pipeline keep sending).
    if (this.refused || this.keyChanged) return;
    if (this.queue.length === this.slots) this.slots = this.slots === 0 ? 2 : this.slots * 2;
    this.queue.push({ entry, argv });
    for (const arg of argv) this.queuedBytes += arg.length + POINTER_BYTES;
    if (entry.write) this.queuedWrite = true;
    if (entry.denyoom) this.queuedDenyoom = true;
    this.client.multiQueued = this.queue.length;
  }

  /** A command refused before it could be queued (Redis's flagTransaction). */
  refuse(): void {
    if (this.active) this.refused = true;
  }

  discard(): void {
    this.active = false;
    this.refused = false;
    this.keyChanged = false;
    this.queuedWrite = false;
    this.queuedDenyoom = false;
    this.queue = [];
    this.queuedBytes = 0;
    this.slots = 0;
    this.client.multiQueued = -1;
    this.unwatchAll();
  }

  /** EXEC refused by dispatch's checks (arity, MISCONF...): the transaction is dropped with the reason. */
  abortExec(reason: string): void {
    this.discard();
    this.client.out.error(ERR.execAbortBecause(reason.startsWith('ERR ') ? reason.slice(4) : reason));
  }

  exec(): void {
    const { client, server } = this;
    if (!this.keyChanged && this.watchedKeyExpired()) this.keyChanged = true;
    if (this.refused || this.keyChanged) {
      if (this.refused) client.out.error(ERR.execAbort);
      else client.out.nullArray();
      this.discard();
      return;
    }
    // Unwatched first: the transaction's own writes must not mark it.
    this.unwatchAll();
    const queue = this.queue;
    client.out.array(queue.length);
    server.inExec = true;
    // Blocking commands inside EXEC answer at once with their timeout reply (ctx.mayBlock).
    const mayBlock = client.mayBlock;
    client.mayBlock = false;
    try {
      for (const { entry, argv } of queue) {
        // Permissions are checked again: ACL rules may have changed since the command was queued.
        const refusal = server.acl.recheckInExec(client, entry, argv);
        if (refusal !== null) client.out.error(refusal);
        else call(server, client, entry, argv, true);
      }
    } finally {
      server.inExec = false;
      client.mayBlock = mayBlock;
      this.discard();
    }
    server.persistence.afterExec();
  }

  watch(keys: readonly Buffer[]): void {
    // Nothing to watch for a transaction already bound to fail.
    if (this.keyChanged) return;
    const db = this.client.dbIndex;
    const database = this.server.engine.dbs[db]!;
    for (const arg of keys) {
      const key = arg.toString('latin1');
      if (this.watched.some((w) => w.db === db && w.key === key)) continue;
      const watched: WatchedKey = { owner: this, db, key, expired: database.isExpired(key, this.client.nowMs) };
      this.watched.push(watched);
      this.server.watches.add(watched);
    }
  }

  unwatch(): void {
    this.unwatchAll();
    this.keyChanged = false;
  }

  /** A watched key changed: EXEC will fail, so the keys need not be watched any longer. */
  watchedKeyChanged(): void {
    this.keyChanged = true;
    this.unwatchAll();
  }

  /** multi-mem= of CLIENT LIST: queued arguments, reserved queue slots and watched keys, as Redis counts them. */
  get memoryBytes(): number {
    return this.queuedBytes + this.slots * QUEUE_SLOT_BYTES + this.watched.length * WATCHED_KEY_BYTES;
  }

  /** A key not expired when watched has expired since (isWatchedKeyExpired), at EXEC's time. */
  private watchedKeyExpired(): boolean {
    const dbs = this.server.engine.dbs;
    for (const watched of this.watched) {
      if (!watched.expired && dbs[watched.db]!.isExpired(watched.key, this.client.nowMs)) return true;
    }
    return false;
  }

  private unwatchAll(): void {
    if (this.watched.length === 0) return;
    for (const watched of this.watched) this.server.watches.remove(watched);
    this.watched = [];
  }
}
