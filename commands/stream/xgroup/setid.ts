// XGROUP SETID key group <id | $> [ENTRIESREAD n]: move the group's last delivered ID (either way)
// and set its entries-read counter (unknown, -1, when not given).

import type { CommandSpec } from '../../types';
import { counterToEffect, formatId } from '../../../storage/stream';
import { commitStream, idOrReply } from '../common';
import { isCStringChar, subcommandSyntaxError } from '../group-common';
import { xgroupTargetOrReply } from './common';
import { keysAt } from '../../keyspecs';

export const spec = {
  name: 'setid',
  arity: -5,
  flags: ['write'],
  acl: ['write', 'stream', 'slow'],
  keys: [2, 2, 1],
  keySpecs: [keysAt(2, ['RW', 'UPDATE'])],
  summary: "Sets a consumer group's last delivered ID.",
  since: '5.0.0',
  group: 'stream',
  complexity: 'O(1)',
  history: [['7.0.0', 'Added the optional `entries_read` argument.']],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'groupname', type: 'string' },
    {
      name: 'id',
      type: 'oneof',
      arguments: [
        { name: 'id', type: 'string' },
        { name: 'new_id', type: 'pure-token', token: '$' },
      ],
    },
    { name: 'entries_read', type: 'integer', token: 'ENTRIESREAD', optional: true },
  ],
  handler(ctx, argv) {
    const target = xgroupTargetOrReply(ctx, argv, 'setid');
    if (target === null) return;
    if (argv.length !== 5 && argv.length !== 7) {
      subcommandSyntaxError(ctx, argv, 'XGROUP');
      return;
    }
    const stream = target.stream!;
    let lastId = stream.lastId;
    if (!isCStringChar(argv[4]!, '$')) {
      // Unlike CREATE, SETID takes "-" and "+" (Redis parses it non-strictly).
      const id = idOrReply(ctx.out, argv[4]!, 0, false);
      if (id === null) return;
      lastId = id;
    }
    commitStream(ctx, target.key, {
      op: 'xgroupsetid',
      group: target.groupName,
      lastId: formatId(lastId),
      entriesRead: counterToEffect(target.entriesRead),
    });
    ctx.out.ok();
    ctx.notify('stream', 'xgroup-setid', target.key);
  },
} satisfies CommandSpec;
