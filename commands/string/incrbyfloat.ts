import { ERR } from '../errors';
import { keyOf } from '../args';
import { writeStringOrReply } from '../lookup';
import type { CommandSpec } from '../types';
import { keyAtOne } from './specs';
import { ZERO, addLongDouble, formatLongDouble, parseLongDouble } from './longdouble';

export const spec = {
  name: 'incrbyfloat',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'string', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keyAtOne(['RW', 'ACCESS', 'UPDATE'])],
  summary: 'Adds a floating-point number to the number stored at a key (a missing key counts as zero).',
  since: '2.6.0',
  group: 'string',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'increment', type: 'double' },
  ],
  handler(ctx, argv) {
    const key = keyOf(argv[1]!);
    const current = writeStringOrReply(ctx, key);
    if (current === null) return;
    // Redis checks the stored value before the increment; both must read as long doubles.
    const value = current === undefined ? ZERO : parseLongDouble(current);
    const increment = value === null ? null : parseLongDouble(argv[2]!.toString('latin1'));
    if (value === null || increment === null) {
      ctx.out.error(ERR.notFloat);
      return;
    }
    const sum = addLongDouble(value, increment);
    if (sum === null) {
      ctx.out.error(ERR.incrFloatNaN);
      return;
    }
    // The stored text is the reply, so replicas and the log see the same digits (and the TTL stays).
    const text = formatLongDouble(sum);
    ctx.commit({ op: 'set', db: ctx.client.dbIndex, key, value: text, expireAtMs: 'keep' });
    ctx.out.bulk(text);
  },
} satisfies CommandSpec;
