// LPOP and RPOP differ only in the end they pop from: one spec builder serves both.

import { keyOf } from '../args';
import { ERR } from '../errors';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import type { ListEnd } from '../../storage/list';
import { atLeastOrReply, listFill, listOrReply, notifyElementsRemoved, replyElements } from './common';

export function popSpec(options: { readonly name: string; readonly end: ListEnd; readonly summary: string }): CommandSpec {
  const left = options.end === 'left';
  return {
    name: options.name,
    arity: -2,
    flags: ['write', 'fast'],
    acl: ['write', 'list', 'fast'],
    keys: [1, 1, 1],
    keySpecs: [keysAt(1, ['RW', 'ACCESS', 'DELETE'])],
    summary: options.summary,
    since: '1.0.0',
    group: 'list',
    complexity: 'O(N) where N is the number of elements returned',
    history: [['6.2.0', 'Added the `count` argument.']],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'count', type: 'integer', since: '6.2.0', optional: true },
    ],
    handler(ctx, argv) {
      // The arity allows any number of arguments; Redis refuses more than a count.
      if (argv.length > 3) {
        ctx.out.error(ERR.wrongArity(options.name));
        return;
      }
      const hasCount = argv.length === 3;
      let count = 1;
      if (hasCount) {
        const n = atLeastOrReply(ctx.out, argv[2]!, 0, ERR.notPositive);
        if (n === null) return;
        count = n;
      }
      const key = keyOf(argv[1]!);
      const list = listOrReply(ctx, key, true);
      if (list === null) return;
      if (list === undefined) {
        if (hasCount) ctx.out.nullArray();
        else ctx.out.nullBulk();
        return;
      }
      if (hasCount && count === 0) {
        ctx.out.array(0);
        return;
      }
      const n = Math.min(count, list.length);
      // Elements in pop order: from the head forwards, or from the tail backwards.
      const elements = left ? list.range(0, n - 1) : list.range(-n, -1).reverse();
      ctx.commit({ op: left ? 'lpop' : 'rpop', db: ctx.client.dbIndex, key, count: n, fill: listFill(ctx) });
      if (hasCount) replyElements(ctx.out, elements);
      else ctx.out.bulk(elements[0]!);
      notifyElementsRemoved(ctx, key, left ? 'lpop' : 'rpop');
    },
  };
}
