// Spec pieces the string commands share: the one-key key spec nearly all of them use, and the
// documentation fields COMMAND DOCS reports beyond CommandSpec's own.

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

/**
 * COMMAND DOCS fields CommandSpec does not declare yet; COMMAND's renderer reads them under these
 * names (see commands/server/command/render.ts, DocExtras).
 */
export interface DocExtras {
  readonly deprecatedSince?: string;
  readonly replacedBy?: string;
  /** [version, change] pairs, oldest first. */
  readonly history?: ReadonlyArray<readonly [since: string, change: string]>;
}
