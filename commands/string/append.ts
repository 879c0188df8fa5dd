import { ERR } from '../errors';
import { keyOf } from '../args';
import { writeStringOrReply } from '../lookup';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { protoMaxBulkLen } from './limits';

export const spec = {
  name: 'append',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'string', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'INSERT'])],
  summary: 'Adds bytes to the end of the string stored at a key, creating it when missing.',
  since: '2.0.0',
  group: 'string',
  complexity:
    'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'value', type: 'string' },
  ],
  handler(ctx, argv) {
    const key = keyOf(argv[1]!);
    const current = writeStringOrReply(ctx, key);
    if (current === null) return;
    const bytes = argv[2]!.toString('latin1');
    // Only growing an existing string is checked: a new one is no longer than the request that carried it.
    const length = (current === undefined ? 0 : current.length) + bytes.length;
    if (current !== undefined && length > protoMaxBulkLen(ctx)) {
      ctx.out.error(ERR.stringTooLong);
      return;
    }
    ctx.commit({ op: 'append', db: ctx.client.dbIndex, key, bytes });
    ctx.notify('string', 'append', key);
    ctx.out.integer(length);
  },
} satisfies CommandSpec;
