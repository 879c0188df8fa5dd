import { keyOf } from '../args';
import { keysAt } from '../keyspecs';
import type { Ctx, CommandSpec } from '../types';

/**
 * DEL and UNLINK: remove the keys that exist and count them. An expired key is removed as expired
 * first (as Redis's expireIfNeeded does) and does not count; a key named twice counts once.
 */
export function deleteKeys(ctx: Ctx, argv: readonly Buffer[]): void {
  const db = ctx.client.dbIndex;
  const doomed = new Set<string>();
  for (let i = 1; i < argv.length; i++) {
    const key = keyOf(argv[i]!);
    if (!doomed.has(key) && ctx.engine.lookup(db, key, ctx.nowMs) !== undefined) doomed.add(key);
  }
  if (doomed.size > 0) ctx.commit({ op: 'del', db, keys: [...doomed] });
  for (const key of doomed) ctx.notify('generic', 'del', key);
  ctx.out.integer(doomed.size);
}

export const spec = {
  name: 'del',
  arity: -2,
  flags: ['write'],
  acl: ['keyspace', 'write', 'slow'],
  keys: [1, -1, 1],
  keySpecs: [keysAt(1, ['RM', 'DELETE'], { lastkey: -1 })],
  summary: 'Removes one or more keys and replies with how many existed.',
  since: '1.0.0',
  group: 'generic',
  complexity:
    'O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).',
  arguments: [{ name: 'key', type: 'key', keySpecIndex: 0, multiple: true }],
  tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
  handler: deleteKeys,
} satisfies CommandSpec;
