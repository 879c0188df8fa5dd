// apply(effect): the one function that changes the keyspace. The live server, recovery from the
// log and replicas all call it, so a state is always reached the same way.
//
// Every effect is applied as a pure function of the keyspace and the effect: no clock, no
// randomness reaches the data (access times and LFU counters are bookkeeping, not data; see
// storage/dump.ts for what counts as the state).

import type { Effect } from './effects';
import type { Database, RedisValue } from './keyspace';
import { RedisList, movedElements } from './list';
import { Stream, applyStreamChange, copyStream, createsStream, deserializeStream } from './stream';

/** The databases an effect may touch, plus the clocks new entries' access data start from. */
export interface ApplyTarget {
  readonly dbs: readonly Database[];
  lruClockSec(): number;
  /** The LFU word of a key created now (storage/lfu.ts). */
  lfuInit(): number;
}

export function apply(target: ApplyTarget, effect: Effect): void {
  switch (effect.op) {
    case 'set': {
      const db = target.dbs[effect.db]!;
      put(target, db, effect.key, effect.value, false, effect.plain === true);
      if (effect.expireAtMs === null) db.clearExpiry(effect.key);
      else if (effect.expireAtMs !== 'keep') db.setExpiry(effect.key, effect.expireAtMs);
      return;
    }
    case 'append': {
      const db = target.dbs[effect.db]!;
      const existing = db.entries.get(effect.key);
      // A string created by APPEND is encoded like SET's; one grown in place is "raw".
      if (existing === undefined) put(target, db, effect.key, effect.bytes, false, false);
      else put(target, db, effect.key, (existing.value as string) + effect.bytes, true, false);
      return;
    }
    case 'setrange': {
      const db = target.dbs[effect.db]!;
      const existing = db.entries.get(effect.key);
      const current = existing === undefined ? '' : (existing.value as string);
      const padded = current.length < effect.offset ? current + '\0'.repeat(effect.offset - current.length) : current;
      const value =
        padded.slice(0, effect.offset) + effect.bytes + padded.slice(effect.offset + effect.bytes.length);
      // SETRANGE always builds its string in place, even when it creates the key.
      put(target, db, effect.key, value, true, false);
      return;
    }
    case 'del': {
      const db = target.dbs[effect.db]!;
      for (const key of effect.keys) db.remove(key);
      return;
    }
    case 'expire': {
      const db = target.dbs[effect.db]!;
      if (db.entries.has(effect.key)) db.setExpiry(effect.key, effect.atMs);
      return;
    }
    case 'persist':
      target.dbs[effect.db]!.clearExpiry(effect.key);
      return;
    case 'rename': {
      const db = target.dbs[effect.db]!;
      if (effect.from === effect.to) return;
      const at = db.expiryOf(effect.from);
      const entry = db.remove(effect.from);
      if (entry === undefined) return;
      db.attach(effect.to, entry);
      if (at !== undefined) db.setExpiry(effect.to, at);
      return;
    }
    case 'copy': {
      const source = target.dbs[effect.db]!;
      const dest = target.dbs[effect.toDb]!;
      const entry = source.entries.get(effect.from);
      if (entry === undefined || (source === dest && effect.from === effect.to)) return;
      const at = source.expiryOf(effect.from);
      // COPY replaces the destination as a new key would (Redis deletes it, then adds the copy).
      dest.remove(effect.to);
      put(target, dest, effect.to, copyValue(entry.value), entry.raw, entry.plain);
      if (at !== undefined) dest.setExpiry(effect.to, at);
      return;
    }
    case 'move': {
      const source = target.dbs[effect.db]!;
      const dest = target.dbs[effect.toDb]!;
      if (source === dest) return;
      const at = source.expiryOf(effect.key);
      const entry = source.remove(effect.key);
      if (entry === undefined) return;
      dest.attach(effect.key, entry);
      if (at !== undefined) dest.setExpiry(effect.key, at);
      return;
    }
    case 'flushdb':
      target.dbs[effect.db]!.clear();
      return;
    case 'flushall':
      for (const db of target.dbs) db.clear();
      return;
    case 'swapdb': {
      if (effect.db === effect.other) return;
      target.dbs[effect.db]!.swapWith(target.dbs[effect.other]!);
      return;
    }
    case 'lpush':
    case 'rpush': {
      const db = target.dbs[effect.db]!;
      const existing = db.entries.get(effect.key);
      const end = effect.op === 'lpush' ? 'left' : 'right';
      if (existing === undefined) {
        const list = new RedisList();
        list.push(effect.elements, end, effect.fill);
        put(target, db, effect.key, list, false, false);
      } else {
        db.beforeValueChange(effect.key);
        (existing.value as RedisList).push(effect.elements, end, effect.fill);
      }
      return;
    }
    case 'lpop':
    case 'rpop': {
      const db = target.dbs[effect.db]!;
      const list = listAt(db, effect.key);
      if (list === undefined) return;
      db.beforeValueChange(effect.key);
      list.popMany(effect.count, effect.op === 'lpop' ? 'left' : 'right', effect.fill);
      if (list.length === 0) db.remove(effect.key);
      return;
    }
    case 'lset': {
      const db = target.dbs[effect.db]!;
      const list = listAt(db, effect.key);
      if (list === undefined) return;
      db.beforeValueChange(effect.key);
      list.set(effect.index, effect.element, effect.fill);
      return;
    }
    case 'linsert': {
      const db = target.dbs[effect.db]!;
      const list = listAt(db, effect.key);
      if (list === undefined) return;
      db.beforeValueChange(effect.key);
      list.insert(effect.pivot, effect.element, effect.where, effect.fill);
      return;
    }
    case 'lrem': {
      const db = target.dbs[effect.db]!;
      const list = listAt(db, effect.key);
      if (list === undefined) return;
      db.beforeValueChange(effect.key);
      list.remove(effect.count, effect.element, effect.fill);
      if (list.length === 0) db.remove(effect.key);
      return;
    }
    case 'ltrim': {
      const db = target.dbs[effect.db]!;
      const list = listAt(db, effect.key);
      if (list === undefined) return;
      db.beforeValueChange(effect.key);
      list.trim(effect.start, effect.stop, effect.fill);
      if (list.length === 0) db.remove(effect.key);
      return;
    }
    case 'lmove': {
      const db = target.dbs[effect.db]!;
      const source = listAt(db, effect.from);
      if (source === undefined) return;
      db.beforeValueChange(effect.from);
      let dest = listAt(db, effect.to);
      const created = dest === undefined;
      if (dest === undefined) dest = new RedisList();
      else if (effect.to !== effect.from) db.beforeValueChange(effect.to);
      if (source.move(dest, effect.whereFrom, effect.whereTo, effect.fill) === undefined) return;
      if (source.length === 0) db.remove(effect.from);
      if (created) put(target, db, effect.to, dest, false, false);
      return;
    }
    case 'lmovem': {
      const db = target.dbs[effect.db]!;
      const source = listAt(db, effect.from);
      if (source === undefined) return;
      db.beforeValueChange(effect.from);
      // Every element leaves the source before any is pushed, so a move within one list sees the rest only.
      const popped = source.popMany(effect.count, effect.whereFrom, effect.fill);
      let dest = effect.to === effect.from ? source : listAt(db, effect.to);
      const created = dest === undefined;
      if (dest === undefined) dest = new RedisList();
      else if (effect.to !== effect.from) db.beforeValueChange(effect.to);
      dest.push(movedElements(popped, effect.whereFrom, effect.whereTo, effect.bulk).pushOrder, effect.whereTo, effect.fill);
      if (source.length === 0) db.remove(effect.from);
      if (created) put(target, db, effect.to, dest, false, false);
      return;
    }
    case 'lrestore': {
      const db = target.dbs[effect.db]!;
      put(target, db, effect.key, RedisList.deserialize(Buffer.from(effect.bytes)), false, false);
      if (effect.expireAtMs === null) db.clearExpiry(effect.key);
      else db.setExpiry(effect.key, effect.expireAtMs);
      return;
    }
    case 'stream': {
      const db = target.dbs[effect.db]!;
      const existing = db.entries.get(effect.key);
      if (existing === undefined) {
        if (!createsStream(effect.change)) return;
        const stream = new Stream();
        applyStreamChange(stream, effect.change);
        put(target, db, effect.key, stream, false, false);
      } else if (existing.value instanceof Stream) {
        db.beforeValueChange(effect.key);
        applyStreamChange(existing.value, effect.change);
      }
      return;
    }
    case 'xrestore': {
      const db = target.dbs[effect.db]!;
      put(target, db, effect.key, deserializeStream(Buffer.from(effect.bytes)), false, false);
      if (effect.expireAtMs === null) db.clearExpiry(effect.key);
      else db.setExpiry(effect.key, effect.expireAtMs);
      return;
    }
  }
}

function put(target: ApplyTarget, db: Database, key: string, value: RedisValue, raw: boolean, plain: boolean): void {
  db.put(key, value, raw, plain, target.lruClockSec(), target.lfuInit());
}

/** Strings are immutable JS values, so a copy may share them; lists and streams are deep-copied. */
function copyValue(value: RedisValue): RedisValue {
  if (typeof value === 'string') return value;
  return value instanceof Stream ? copyStream(value) : value.copy();
}

/** The list at a key, or undefined when there is none (an effect on a missing list does nothing). */
function listAt(db: Database, key: string): RedisList | undefined {
  const value = db.entries.get(key)?.value;
  return value instanceof RedisList ? value : undefined;
}
