// Key specifications shared by the string commands: nearly all of them take one key, at argument 1.

import type { KeySpec } from '../types';

/** One key at argument 1 with the given key-spec flags (and optional notes), as Redis declares it. */
export function keyAtOne(flags: readonly string[], notes?: string): KeySpec {
  const spec: KeySpec = {
    flags,
    beginSearch: { type: 'index', index: 1 },
    findKeys: { type: 'range', lastkey: 0, step: 1, limit: 0 },
  };
  return notes === undefined ? spec : { notes, ...spec };
}
