// XGROUP CREATE key group <id | $> [MKSTREAM] [ENTRIESREAD n]: a new group whose last delivered ID
// is the one given ($: the stream's last ID, 0-0 for a stream MKSTREAM creates).

import type { CommandSpec } from '../../types';
import { ERR } from '../../errors';
import { MIN_ID, counterToEffect, formatId } from '../../../storage/stream';
import { commitStream, idOrReply, newStreamIdmpConfig } from '../common';
import { isCStringChar, subcommandSyntaxError } from '../group-common';
import { xgroupTargetOrReply } from './common';
import { keysAt } from '../../keyspecs';

export const spec = {
  name: 'create',
  arity: -5,
  flags: ['write', 'denyoom'],
  acl: ['write', 'stream', 'slow'],
  keys: [2, 2, 1],
  keySpecs: [keysAt(2, ['RW', 'INSERT'])],
  summary: 'Creates a consumer group on a stream.',
  since: '5.0.0',
  group: 'stream',
  complexity: 'O(1)',
  history: [['7.0.0', 'Added the `entries_read` named argument.']],
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
    { name: 'mkstream', type: 'pure-token', token: 'MKSTREAM', optional: true },
    { name: 'entries_read', type: 'integer', token: 'ENTRIESREAD', optional: true },
  ],
  handler(ctx, argv) {
    const target = xgroupTargetOrReply(ctx, argv, 'create');
    if (target === null) return;
    if (argv.length > 8) {
      subcommandSyntaxError(ctx, argv, 'XGROUP');
      return;
    }
    let lastId = target.stream?.lastId ?? MIN_ID;
    if (!isCStringChar(argv[4]!, '$')) {
      const id = idOrReply(ctx.out, argv[4]!, 0, true);
      if (id === null) return;
      lastId = id;
    }
    if (target.group !== undefined) {
      ctx.out.error(ERR.busyGroup);
      return;
    }
    const idmpConfig = target.stream === undefined ? newStreamIdmpConfig(ctx) : undefined;
    commitStream(ctx, target.key, {
      op: 'xgroupcreate',
      group: target.groupName,
      lastId: formatId(lastId),
      entriesRead: counterToEffect(target.entriesRead),
      // MKSTREAM on a missing key creates the stream: it starts with the IDMP settings in force.
      ...(idmpConfig === undefined ? {} : { idmpConfig }),
    });
    ctx.out.ok();
    ctx.notify('stream', 'xgroup-create', target.key);
  },
} satisfies CommandSpec;
