// Key-spec builders the command families share. Most Redis commands find their keys by position:
// one key at an index, or a run of keys from an index on (every key, or every other one for
// key/value pairs). Specs of other shapes (keyword searches, keynum) are written out in full.

import type { KeySpec } from './types';

export interface KeyRange {
  /** Last key relative to `index`: 0 for that key alone (the default), n for n more, -1 for through the last argument. */
  readonly lastkey?: number;
  /** Arguments between keys: 1 (the default) for consecutive keys, 2 for key/value pairs. */
  readonly step?: number;
  /** The note Redis attaches to the spec (COMMAND INFO "notes"). */
  readonly notes?: string;
}

/** A key spec finding keys by position from argument `index`, with the given key-spec flags, as Redis declares it. */
export function keysAt(index: number, flags: readonly string[], range: KeyRange = {}): KeySpec {
  const spec: KeySpec = {
    flags,
    beginSearch: { type: 'index', index },
    findKeys: { type: 'range', lastkey: range.lastkey ?? 0, step: range.step ?? 1, limit: 0 },
  };
  return range.notes === undefined ? spec : { notes: range.notes, ...spec };
}
