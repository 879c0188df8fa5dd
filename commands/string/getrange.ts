import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { RANGE_ARGS, RANGE_COMPLEXITY, replyRange } from './range';

export const spec = {
  name: 'getrange',
  arity: 4,
  flags: ['readonly'],
  acl: ['read', 'string', 'slow'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RO', 'ACCESS'])],
  summary: 'Returns a byte range of the string stored at a key.',
  since: '2.4.0',
  group: 'string',
  complexity: RANGE_COMPLEXITY,
  arguments: RANGE_ARGS,
  handler: replyRange,
} satisfies CommandSpec;
