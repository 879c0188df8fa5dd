// apply(effect): the one function that changes the keyspace. The live server, recovery from the
// log and replicas all call it, so a state is always reached the same way.

import type { Effect } from './effects';
import type { Database, KeyEntry } from './keyspace';

/** The databases an effect may touch, plus the LRU clock to stamp new entries with. */
export interface ApplyTarget {
  readonly dbs: readonly Database[];
  lruClockSec(): number;
}

export function apply(target: ApplyTarget, effect: Effect): void {
  switch (effect.op) {
    case 'set': {
      const db = target.dbs[effect.db]!;
      const existing = db.entries.get(effect.key);
      if (existing !== undefined) {
        existing.value = effect.value;
        existing.raw = false;
        existing.accessSec = target.lruClockSec();
      } else {
        db.entries.set(effect.key, newEntry(effect.value, target));
      }
      if (effect.expireAtMs === null) db.expires.delete(effect.key);
      else if (effect.expireAtMs !== 'keep') db.expires.set(effect.key, effect.expireAtMs);
      return;
    }
    case 'append': {
      const db = target.dbs[effect.db]!;
      const existing = db.entries.get(effect.key);
      if (existing === undefined) {
        db.entries.set(effect.key, newEntry(effect.bytes, target));
      } else {
        existing.value = (existing.value as string) + effect.bytes;
        existing.raw = true;
      }
      return;
    }
    case 'setrange': {
      const db = target.dbs[effect.db]!;
      const existing = db.entries.get(effect.key);
      const current = existing === undefined ? '' : (existing.value as string);
      const padded = current.length < effect.offset ? current + '\0'.repeat(effect.offset - current.length) : current;
      const value =
        padded.slice(0, effect.offset) + effect.bytes + padded.slice(effect.offset + effect.bytes.length);
      if (existing === undefined) {
        db.entries.set(effect.key, newEntry(value, target));
      } else {
        existing.value = value;
        existing.raw = true;
      }
      return;
    }
    case 'del': {
      const db = target.dbs[effect.db]!;
      for (const key of effect.keys) {
        db.entries.delete(key);
        db.expires.delete(key);
      }
      return;
    }
    case 'expire':
      target.dbs[effect.db]!.expires.set(effect.key, effect.atMs);
      return;
    case 'persist':
      target.dbs[effect.db]!.expires.delete(effect.key);
      return;
    case 'rename': {
      const db = target.dbs[effect.db]!;
      const entry = db.entries.get(effect.from)!;
      const at = db.expires.get(effect.from);
      db.entries.delete(effect.from);
      db.expires.delete(effect.from);
      db.entries.set(effect.to, entry);
      if (at === undefined) db.expires.delete(effect.to);
      else db.expires.set(effect.to, at);
      return;
    }
    case 'copy': {
      const source = target.dbs[effect.db]!;
      const dest = target.dbs[effect.toDb]!;
      const entry = source.entries.get(effect.from)!;
      const at = source.expires.get(effect.from);
      dest.entries.set(effect.to, { value: copyValue(entry.value), accessSec: target.lruClockSec(), raw: entry.raw });
      if (at === undefined) dest.expires.delete(effect.to);
      else dest.expires.set(effect.to, at);
      return;
    }
    case 'move': {
      const source = target.dbs[effect.db]!;
      const dest = target.dbs[effect.toDb]!;
      const entry = source.entries.get(effect.key)!;
      const at = source.expires.get(effect.key);
      source.entries.delete(effect.key);
      source.expires.delete(effect.key);
      dest.entries.set(effect.key, entry);
      if (at !== undefined) dest.expires.set(effect.key, at);
      return;
    }
    case 'flushdb':
      clear(target.dbs[effect.db]!);
      return;
    case 'flushall':
      for (const db of target.dbs) clear(db);
      return;
    case 'swapdb': {
      const a = target.dbs[effect.db]!;
      const b = target.dbs[effect.other]!;
      const entries = new Map(a.entries);
      const expires = new Map(a.expires);
      replace(a, b.entries, b.expires);
      replace(b, entries, expires);
      return;
    }
  }
}

function newEntry(value: string, target: ApplyTarget): KeyEntry {
  return { value, accessSec: target.lruClockSec(), raw: false };
}

/** Strings are immutable JS values, so a copy may share them; later types deep-copy here. */
function copyValue<T>(value: T): T {
  return value;
}

function clear(db: Database): void {
  db.entries.clear();
  db.expires.clear();
}

function replace(db: Database, entries: Map<string, KeyEntry>, expires: Map<string, number>): void {
  db.entries.clear();
  db.expires.clear();
  for (const [k, v] of entries) db.entries.set(k, v);
  for (const [k, v] of expires) db.expires.set(k, v);
}
