import type { CommandSpec } from '../types';
import { keyAtOne, type DocExtras } from './specs';
import { replyRange } from './range';

export const spec = {
  name: 'substr',
  arity: 4,
  flags: ['readonly'],
  acl: ['read', 'string', 'slow'],
  keys: [1, 1, 1],
  keySpecs: [keyAtOne(['RO', 'ACCESS'])],
  summary: 'Returns a byte range of the string stored at a key (the old name of GETRANGE).',
  since: '1.0.0',
  group: 'string',
  complexity:
    'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.',
  docFlags: ['deprecated'],
  deprecatedSince: '2.0.0',
  replacedBy: '`GETRANGE`',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'start', type: 'integer' },
    { name: 'end', type: 'integer' },
  ],
  handler(ctx, argv) {
    replyRange(ctx, argv);
  },
} satisfies CommandSpec & DocExtras;
