import { ERR } from '../errors';
import { keyOf } from '../args';
import { writeKey } from '../lookup';
import { keysAt } from '../keyspecs';
import type { Ctx, CommandSpec } from '../types';

/**
 * RENAME and RENAMENX: move a key's value (and expiry) to a new name. A missing source is an
 * error even when both names are the same; the same name otherwise changes nothing. RENAMENX
 * leaves an existing destination alone and replies 0.
 */
export function renameKey(ctx: Ctx, argv: readonly Buffer[], nx: boolean): void {
  const from = keyOf(argv[1]!);
  const to = keyOf(argv[2]!);
  if (writeKey(ctx, from) === undefined) {
    ctx.out.error(ERR.noSuchKey);
    return;
  }
  if (from === to) {
    if (nx) ctx.out.integer(0);
    else ctx.out.ok();
    return;
  }
  // Looked up either way, as Redis does: an expired destination is removed as expired first.
  if (writeKey(ctx, to) !== undefined && nx) {
    ctx.out.integer(0);
    return;
  }
  ctx.commit({ op: 'rename', db: ctx.client.dbIndex, from, to });
  ctx.notify('generic', 'rename_from', from);
  ctx.notify('generic', 'rename_to', to);
  if (nx) ctx.out.integer(1);
  else ctx.out.ok();
}

export const spec = {
  name: 'rename',
  arity: 3,
  flags: ['write'],
  acl: ['keyspace', 'write', 'slow'],
  keys: [1, 2, 1],
  keySpecs: [keysAt(1, ['RW', 'ACCESS', 'DELETE']), keysAt(2, ['OW', 'UPDATE'])],
  summary: 'Gives a key a new name, replacing any key that already had it.',
  since: '1.0.0',
  group: 'generic',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'newkey', type: 'key', keySpecIndex: 1 },
  ],
  handler: (ctx, argv) => renameKey(ctx, argv, false),
} satisfies CommandSpec;
