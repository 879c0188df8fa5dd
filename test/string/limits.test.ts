// The proto-max-bulk-len limit on strings built by APPEND and SETRANGE, and on LCS's table, checked
// against real Redis with both servers started at the smallest allowed limit (1mb) so that the
// edges can be reached without allocating half a gigabyte.

import t from 'tap';
import { DiffPair, redisSkip, type Step } from '../support/differential';

const LIMIT = 1024 * 1024;
const args = ['--proto-max-bulk-len', String(LIMIT)];

t.test('proto-max-bulk-len bounds APPEND, SETRANGE and LCS as in Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start({ redisArgs: args, sluiceArgs: args });
  t.teardown(() => pair.stop());

  const nearlyFull = Buffer.alloc(LIMIT - 10, 0x61);
  const steps: Step[] = [
    // A new key may be as long as any bulk string.
    ['APPEND', 'a', nearlyFull],
    ['APPEND', 'a', '0123456789'],
    ['APPEND', 'a', ''],
    ['APPEND', 'a', 'x'],
    ['STRLEN', 'a'],
    ['SETRANGE', 'a', String(LIMIT - 1), 'y'],
    ['SETRANGE', 'a', String(LIMIT - 1), 'yz'],
    ['SETRANGE', 'a', String(LIMIT), 'y'],
    ['SETRANGE', 'a', String(LIMIT), ''],
    ['STRLEN', 'a'],
    ['GETRANGE', 'a', '-3', '-1'],
    ['SETRANGE', 'new', String(LIMIT), 'y'],
    ['SETRANGE', 'new', String(LIMIT - 1), 'y'],
    ['STRLEN', 'new'],
    ['SETRANGE', 'new2', '0', nearlyFull],
    ['APPEND', 'new2', Buffer.alloc(11, 0x62)],
    ['STRLEN', 'new2'],
    // LCS's table is (len1 + 1) * (len2 + 1) 32-bit cells.
    ['MSET', 'l1', 'ab'.repeat(300), 'l2', 'ba'.repeat(300)],
    ['LCS', 'l1', 'l2', 'LEN'],
    ['MSET', 'l1', 'ab'.repeat(200), 'l2', 'ba'.repeat(200)],
    ['LCS', 'l1', 'l2', 'LEN'],
    // 512 * 512 * 4 bytes is exactly the limit; one more character goes over it.
    ['MSET', 'l1', 'x'.repeat(511), 'l2', 'x'.repeat(511)],
    ['LCS', 'l1', 'l2', 'LEN'],
    ['MSET', 'l1', 'x'.repeat(512), 'l2', 'x'.repeat(511)],
    ['LCS', 'l1', 'l2', 'LEN'],
  ];
  await pair.check(t, steps);
});
