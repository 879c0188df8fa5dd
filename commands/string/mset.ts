import { ERR } from '../errors';
import { keyOf } from '../args';
import { writeKey } from '../lookup';
import { keysAt } from '../keyspecs';
import type { ArgSpec, CommandSpec, Ctx } from '../types';

/** MSET and MSETNX's arguments: one or more key/value pairs (COMMAND DOCS). */
export const KEY_VALUE_PAIRS: readonly ArgSpec[] = [
  {
    name: 'key_value',
    type: 'block',
    multiple: true,
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'value', type: 'string' },
    ],
  },
];

/**
 * Whether argv after the name is whole key/value pairs. Arity only says "at least 3", so an unpaired
 * key is reported with the arity error, as Redis does.
 */
export function pairsOrReply(ctx: Ctx, argv: readonly Buffer[], name: string): boolean {
  if (argv.length % 2 === 1) return true;
  ctx.out.error(ERR.wrongArity(name));
  return false;
}

export const spec = {
  name: 'mset',
  arity: -3,
  flags: ['write', 'denyoom'],
  acl: ['write', 'string', 'slow'],
  keys: [1, -1, 2],
  keySpecs: [keysAt(1, ['OW', 'UPDATE'], { lastkey: -1, step: 2 })],
  summary: 'Stores strings at several keys at once.',
  since: '1.0.1',
  group: 'string',
  complexity: 'O(N) where N is the number of keys to set.',
  tips: ['request_policy:multi_shard', 'response_policy:all_succeeded'],
  arguments: KEY_VALUE_PAIRS,
  handler(ctx, argv) {
    if (!pairsOrReply(ctx, argv, 'mset')) return;
    const db = ctx.client.dbIndex;
    for (let i = 1; i < argv.length; i += 2) {
      const key = keyOf(argv[i]!);
      // Looked up as Redis does, so that replacing an expired key counts it as expired.
      writeKey(ctx, key);
      ctx.commit({ op: 'set', db, key, value: argv[i + 1]!.toString('latin1'), expireAtMs: null });
      ctx.notify('string', 'set', key);
    }
    ctx.out.ok();
  },
} satisfies CommandSpec;
