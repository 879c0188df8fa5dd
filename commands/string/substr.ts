import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { RANGE_ARGS, RANGE_COMPLEXITY, replyRange } from './range';

export const spec = {
  name: 'substr',
  arity: 4,
  flags: ['readonly'],
  acl: ['read', 'string', 'slow'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RO', 'ACCESS'])],
  summary: 'Returns a byte range of the string stored at a key (the old name of GETRANGE).',
  since: '1.0.0',
  group: 'string',
  complexity: RANGE_COMPLEXITY,
  docFlags: ['deprecated'],
  deprecatedSince: '2.0.0',
  replacedBy: '`GETRANGE`',
  arguments: RANGE_ARGS,
  handler: replyRange,
} satisfies CommandSpec;
