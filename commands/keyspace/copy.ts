import { ERR } from '../errors';
import { keyOf } from '../args';
import { readKey } from '../lookup';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { dbIndexOrReply, optionName } from './common';

export const spec = {
  name: 'copy',
  arity: -3,
  flags: ['write', 'denyoom'],
  acl: ['keyspace', 'write', 'slow'],
  keys: [1, 2, 1],
  keySpecs: [keysAt(1, ['RO', 'ACCESS']), keysAt(2, ['OW', 'UPDATE'])],
  summary: 'Duplicates a key\'s value (and expiry) under another name, possibly in another database.',
  since: '6.2.0',
  group: 'generic',
  complexity: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.',
  arguments: [
    { name: 'source', type: 'key', keySpecIndex: 0 },
    { name: 'destination', type: 'key', keySpecIndex: 1 },
    { name: 'destination-db', type: 'integer', token: 'DB', optional: true },
    { name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true },
  ],
  handler(ctx, argv) {
    const db = ctx.client.dbIndex;
    let toDb = db;
    let replace = false;
    for (let j = 3; j < argv.length; j++) {
      const option = optionName(argv[j]!);
      if (option === 'replace') {
        replace = true;
      } else if (option === 'db' && j + 1 < argv.length) {
        const index = dbIndexOrReply(ctx, argv[++j]!);
        if (index === null) return;
        toDb = index;
      } else {
        ctx.out.error(ERR.syntax);
        return;
      }
    }
    const from = keyOf(argv[1]!);
    const to = keyOf(argv[2]!);
    if (toDb === db && from === to) {
      ctx.out.error(ERR.sameObject);
      return;
    }
    if (readKey(ctx, from) === undefined) {
      ctx.out.integer(0);
      return;
    }
    if (ctx.engine.touch(toDb, to, ctx.nowMs) !== undefined && !replace) {
      ctx.out.integer(0);
      return;
    }
    ctx.commit({ op: 'copy', db, from, toDb, to });
    ctx.notify('generic', 'copy_to', to, toDb);
    ctx.out.integer(1);
  },
} satisfies CommandSpec;
