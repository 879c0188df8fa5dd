import { keyOf } from '../args';
import { writeKey } from '../lookup';
import { keysAt } from '../keyspecs';
import type { CommandSpec, Ctx } from '../types';
import { expireAtOrReply } from './expiry';

/**
 * SETEX and PSETEX: store argv[3] at argv[1], replacing any value, with a time to live of argv[2]
 * seconds ('ex') or milliseconds ('px').
 */
export function setWithTtl(ctx: Ctx, argv: readonly Buffer[], unit: 'ex' | 'px', name: string): void {
  const expireAtMs = expireAtOrReply(ctx, argv[2]!, unit, name);
  if (expireAtMs === null) return;
  const key = keyOf(argv[1]!);
  // Looked up as Redis does, so that replacing an expired key counts it as expired.
  writeKey(ctx, key);
  ctx.commit({ op: 'set', db: ctx.client.dbIndex, key, value: argv[3]!.toString('latin1'), expireAtMs });
  ctx.notify('string', 'set', key);
  ctx.notify('generic', 'expire', key);
  ctx.out.ok();
}

export const spec = {
  name: 'setex',
  arity: 4,
  flags: ['write', 'denyoom'],
  acl: ['write', 'string', 'slow'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['OW', 'UPDATE'])],
  summary: 'Stores a string at a key with a time to live in seconds.',
  since: '2.0.0',
  group: 'string',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'seconds', type: 'integer' },
    { name: 'value', type: 'string' },
  ],
  handler: (ctx, argv) => setWithTtl(ctx, argv, 'ex', 'setex'),
} satisfies CommandSpec;
