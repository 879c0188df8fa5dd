// What Redis would report about a value's representation (OBJECT ENCODING / REFCOUNT): Sluice
// stores values its own way, so these answers are derived from the value the way Redis's
// tryObjectEncoding would have chosen, for clients and tests that look at them.

import type { KeyEntry } from './keyspace';


/** Strings up to this many bytes are allocated together with their object header ("embstr"). */
export const EMBSTR_SIZE_LIMIT = 44;
/** Redis keeps one shared object per integer 0..9999 (OBJ_SHARED_INTEGERS). */
export const SHARED_INTEGERS = 10000;
/** The refcount Redis reports for a shared object (OBJ_SHARED_REFCOUNT = INT_MAX). */
export const SHARED_REFCOUNT = 2147483647;

/** Whether a string would be stored as a 64-bit integer: Redis's string2ll rules, at most 20 bytes. */
export function isIntegerString(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 20) return false;
  if (s === '0') return true;
  let i = 0;
  if (s.charCodeAt(0) === 0x2d) {
    if (n === 1) return false;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first < 0x31 || first > 0x39) return false;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 0x30 || c > 0x39) return false;
  }
  if (n - i < 19) return true;
  const big = BigInt(s);
  return big <= 9223372036854775807n && big >= -9223372036854775808n;
}

/**
 * Whether a string value is one Redis would hold as a shared integer object: 0..9999 in canonical
 * form, not built in place. `sharing` is false when maxmemory is set with an LRU/LFU policy, where
 * Redis stops sharing integers so each key keeps its own access data.
 */
export function isSharedInteger(value: unknown, raw: boolean, sharing = true): value is string {
  if (!sharing || raw || typeof value !== 'string' || value.length > 4 || value.length === 0) return false;
  const first = value.charCodeAt(0);
  if (first < 0x30 || first > 0x39 || (first === 0x30 && value.length > 1)) return false;
  for (let i = 1; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** OBJECT ENCODING of an entry. */
export function encodingOf(entry: KeyEntry): string {
  const value = entry.value;
  if (typeof value === 'string') {
    if (entry.raw) return 'raw';
    if (!entry.plain && isIntegerString(value)) return 'int';
    return value.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
  }
  // Any other value is a RedisList or a Stream (imported by type only: list.ts imports this module).
  if (typeof value === 'object') return 'encoding' in value ? value.encoding : 'stream';
  return 'unknown';
}

/** OBJECT REFCOUNT of an entry. */
export function refcountOf(entry: KeyEntry, sharing: boolean): number {
  return isSharedInteger(entry.value, entry.raw || entry.plain, sharing) ? SHARED_REFCOUNT : 1;
}
