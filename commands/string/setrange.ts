import { ERR } from '../errors';
import { intOrReply, keyOf } from '../args';
import { writeStringOrReply } from '../lookup';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { protoMaxBulkLen } from './limits';

export const spec = {
  name: 'setrange',
  arity: 4,
  flags: ['write', 'denyoom'],
  acl: ['write', 'string', 'slow'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'UPDATE'])],
  summary: 'Overwrites bytes of the string stored at a key from an offset on, zero-padding it as needed.',
  since: '2.2.0',
  group: 'string',
  complexity:
    'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'offset', type: 'integer' },
    { name: 'value', type: 'string' },
  ],
  handler(ctx, argv) {
    const offset = intOrReply(ctx.out, argv[2]!);
    if (offset === null) return;
    if (offset < 0) {
      ctx.out.error(ERR.offsetOutOfRange);
      return;
    }
    const key = keyOf(argv[1]!);
    const current = writeStringOrReply(ctx, key);
    if (current === null) return;
    const bytes = argv[3]!.toString('latin1');
    // Writing nothing changes nothing, and does not create the key.
    if (bytes.length === 0) {
      ctx.out.integer(current === undefined ? 0 : current.length);
      return;
    }
    // A bigint offset is beyond 2^53: far over any configurable limit.
    if (typeof offset === 'bigint' || offset + bytes.length > protoMaxBulkLen(ctx)) {
      ctx.out.error(ERR.stringTooLong);
      return;
    }
    ctx.commit({ op: 'setrange', db: ctx.client.dbIndex, key, offset, bytes });
    ctx.notify('string', 'setrange', key);
    ctx.out.integer(Math.max(current === undefined ? 0 : current.length, offset + bytes.length));
  },
} satisfies CommandSpec;
