import { ERR } from '../errors';
import { keyOf } from '../args';
import { writeStringOrReply } from '../lookup';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { ZERO, addLongDouble, formatLongDouble, parseLongDouble } from './longdouble';

export const spec = {
  name: 'incrbyfloat',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'string', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'ACCESS', 'UPDATE'])],
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
    // Redis stores it as a plain string object, never integer-encoded, even when it reads as an
    // integer ("3"): OBJECT ENCODING says embstr.
    const text = formatLongDouble(sum);
    ctx.commit({ op: 'set', db: ctx.client.dbIndex, key, value: text, expireAtMs: 'keep', plain: true });
    ctx.notify('string', 'incrbyfloat', key);
    ctx.out.bulk(text);
  },
} satisfies CommandSpec;
