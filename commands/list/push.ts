// The four push commands differ only in the end they push to and in whether a missing list is
// created (LPUSH, RPUSH) or left alone with a 0 reply (LPUSHX, RPUSHX): one spec builder serves all.

import { keyOf } from '../args';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import type { ListEnd } from '../../storage/list';
import { listFill, listOrReply } from './common';

export function pushSpec(options: {
  readonly name: string;
  readonly end: ListEnd;
  /** The X variants push only to an existing list. */
  readonly onlyIfExists: boolean;
  readonly summary: string;
  readonly since: string;
  /** The version that let the command take several elements. */
  readonly multipleSince: string;
}): CommandSpec {
  const op = options.end === 'left' ? 'lpush' : 'rpush';
  return {
    name: options.name,
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['write', 'list', 'fast'],
    keys: [1, 1, 1],
    keySpecs: [keysAt(1, ['RW', 'INSERT'])],
    summary: options.summary,
    since: options.since,
    group: 'list',
    complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    history: [[options.multipleSince, 'Accepts multiple `element` arguments.']],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'element', type: 'string', multiple: true },
    ],
    handler(ctx, argv) {
      const key = keyOf(argv[1]!);
      const list = listOrReply(ctx, key, true);
      if (list === null) return;
      if (list === undefined && options.onlyIfExists) {
        ctx.out.integer(0);
        return;
      }
      const elements: string[] = new Array(argv.length - 2);
      for (let i = 2; i < argv.length; i++) elements[i - 2] = argv[i]!.toString('latin1');
      const before = list?.length ?? 0;
      ctx.commit({ op, db: ctx.client.dbIndex, key, elements, fill: listFill(ctx) });
      ctx.out.integer(before + elements.length);
      ctx.notify('list', op, key);
    },
  };
}
