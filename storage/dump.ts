// The canonical dump: the whole keyspace as one stable text, for comparing states reached by
// different paths (two engines fed the same effects, a replica and its master, a server before a
// crash and after recovery). It holds the data only: databases, keys, types, values and expiries.
// Access times, LFU counters, insertion order and SCAN state are bookkeeping and are left out.
//
// Format, one line per key, keys sorted by their bytes within each database:
//   db=<index> key=<hex> type=<type> value=<canonical value> expire=<unix ms>|none

import { createHash } from 'node:crypto';
import { RedisList } from './list';
import { Stream, canonicalStream } from './stream';
import { typeName, type Database, type RedisValue } from './keyspace';

/** Anything holding databases: an Engine, or a bare list for tests. */
export interface Dumpable {
  readonly dbs: readonly Database[];
}

/** The canonical text of every key of every database. */
export function canonicalDump(source: Dumpable): string {
  const lines: string[] = [];
  for (const db of source.dbs) {
    if (db.size === 0) continue;
    // latin1 strings compare by char code, which here is byte order.
    const keys = [...db.entries.keys()].sort(compareBytes);
    for (const key of keys) {
      const entry = db.entries.get(key)!;
      const at = db.expiryOf(key);
      lines.push(
        `db=${db.index} key=${hex(key)} type=${typeName(entry.value)} value=${canonicalValue(entry.value)} ` +
          `expire=${at === undefined ? 'none' : String(at)}`,
      );
    }
  }
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

/** A short fingerprint of the canonical dump (SHA-256, hex), for logs and quick comparisons. */
export function dumpDigest(source: Dumpable): string {
  return createHash('sha256').update(canonicalDump(source), 'latin1').digest('hex');
}

/** A value as stable text; later value types add their case here (elements in their defined order). */
export function canonicalValue(value: RedisValue): string {
  if (typeof value === 'string') return hex(value);
  if (value instanceof RedisList) return '[' + value.toArray().map(hex).join(',') + ']';
  // canonicalStream is multi-line text: hex keeps the dump one line per key.
  if (value instanceof Stream) return '{' + hex(canonicalStream(value)) + '}';
  throw new Error(`canonicalValue: no canonical form for ${typeName(value)}`);
}

function hex(bytes: string): string {
  return Buffer.from(bytes, 'latin1').toString('hex');
}

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
