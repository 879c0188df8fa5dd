import type { CommandSpec } from '../types';
import { keyAtOne } from './specs';
import { replyRange } from './range';

export const spec = {
  name: 'getrange',
  arity: 4,
  flags: ['readonly'],
  acl: ['read', 'string', 'slow'],
  keys: [1, 1, 1],
  keySpecs: [keyAtOne(['RO', 'ACCESS'])],
  summary: 'Returns a byte range of the string stored at a key.',
  since: '2.4.0',
  group: 'string',
  complexity:
    'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'start', type: 'integer' },
    { name: 'end', type: 'integer' },
  ],
  handler(ctx, argv) {
    replyRange(ctx, argv);
  },
} satisfies CommandSpec;
