// BLPOP and BRPOP differ only in the end they pop from: one spec builder serves both.

import { keyOf } from '../args';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import type { ListEnd } from '../../storage/list';
import { blockOnLists, deadlineOrReply } from './blocking';
import { popFirstOrReply } from './mpop';

export function bpopSpec(options: { readonly name: string; readonly end: ListEnd; readonly summary: string }): CommandSpec {
  return {
    name: options.name,
    arity: -3,
    flags: ['write', 'noscript', 'blocking'],
    acl: ['write', 'list', 'slow', 'blocking'],
    keys: [1, -2, 1],
    keySpecs: [keysAt(1, ['RW', 'ACCESS', 'DELETE'], { lastkey: -2 })],
    summary: options.summary,
    since: '2.0.0',
    group: 'list',
    complexity: 'O(N) where N is the number of provided keys.',
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
      { name: 'timeout', type: 'double' },
    ],
    handler(ctx, argv) {
      // The timeout is checked before any key, as in Redis.
      const deadlineMs = deadlineOrReply(ctx, argv[argv.length - 1]!);
      if (deadlineMs === null) return;
      const keys = argv.slice(1, -1).map(keyOf);
      const attempt = () => popFirstOrReply(ctx, keys, options.end, null);
      if (attempt()) return;
      blockOnLists(ctx, keys, deadlineMs, attempt, () => ctx.out.nullArray());
    },
  };
}
