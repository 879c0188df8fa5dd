// XTRIM: trim a stream by length (MAXLEN) or by ID (MINID), exactly or (~) by whole nodes, with
// LIMIT bounding an approximate trim. The trim is recorded as the exact trim it amounted to.
// Redis 8.2's KEEPREF/DELREF/ACKED are accepted (see RefPolicy) and COMMAND DOCS lists them where
// Redis 8.2 places them (after the trim block).

import { keyOf } from '../args';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { parseTrimOrReply, REF_POLICY_ARGUMENT, streamOrReply, trimWithPolicy } from './common';

export const spec = {
  name: 'xtrim',
  arity: -4,
  flags: ['write'],
  acl: ['write', 'stream', 'slow'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'DELETE'])],
  summary: 'Removes the oldest entries of a stream, down to a length or up to an ID.',
  since: '5.0.0',
  group: 'stream',
  complexity: 'O(N) for the N entries removed; whole nodes go at once.',
  history: [['6.2.0', 'Added the `MINID` trimming strategy and the `LIMIT` option.']],
  tips: ['nondeterministic_output'],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    {
      name: 'trim',
      type: 'block',
      arguments: [
        {
          name: 'strategy',
          type: 'oneof',
          arguments: [
            { name: 'maxlen', type: 'pure-token', token: 'MAXLEN' },
            { name: 'minid', type: 'pure-token', token: 'MINID', since: '6.2.0' },
          ],
        },
        {
          name: 'operator',
          type: 'oneof',
          optional: true,
          arguments: [
            { name: 'equal', type: 'pure-token', token: '=' },
            { name: 'approximately', type: 'pure-token', token: '~' },
          ],
        },
        { name: 'threshold', type: 'string' },
        { name: 'count', type: 'integer', token: 'LIMIT', since: '6.2.0', optional: true },
      ],
    },
    REF_POLICY_ARGUMENT,
  ],
  handler(ctx, argv) {
    const args = parseTrimOrReply(ctx, argv, false);
    if (args === null) return;
    const key = keyOf(argv[1]!);
    const stream = streamOrReply(ctx, key, true);
    if (stream === null) return;
    if (stream === undefined) {
      ctx.out.integer(0);
      return;
    }
    const removed = trimWithPolicy(ctx, key, stream, args.trim!, args.policy);
    ctx.out.integer(removed);
    if (removed > 0) ctx.notify('stream', 'xtrim', key);
  },
} satisfies CommandSpec;
