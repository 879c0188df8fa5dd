// XINFO GROUPS key: each group's name, consumers, pending count, last delivered ID, entries-read
// and lag (nil when Redis cannot know them).

import type { CommandSpec } from '../../types';
import { ENTRIES_READ_INVALID } from '../../../storage/stream';
import { writeIdOf } from '../group-common';
import { xinfoStreamOrReply } from './common';
import { keysAt } from '../../keyspecs';

export const spec = {
  name: 'groups',
  arity: 3,
  flags: ['readonly'],
  acl: ['read', 'stream', 'slow'],
  keys: [2, 2, 1],
  keySpecs: [keysAt(2, ['RO', 'ACCESS'])],
  summary: 'Lists the consumer groups of a stream with their counters.',
  since: '5.0.0',
  group: 'stream',
  complexity: 'O(1)',
  history: [['7.0.0', 'Added the `entries-read` and `lag` fields']],
  arguments: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
  handler(ctx, argv) {
    const stream = xinfoStreamOrReply(ctx, argv[2]!.toString('latin1'));
    if (stream === null) return;
    const out = ctx.out;
    const groups = stream.groupsInOrder();
    out.array(groups.length);
    for (const group of groups) {
      out.map(6);
      out.bulk('name');
      out.bulk(group.name);
      out.bulk('consumers');
      out.integer(group.consumers.size);
      out.bulk('pending');
      out.integer(group.pel.size);
      out.bulk('last-delivered-id');
      writeIdOf(out, group.lastId);
      out.bulk('entries-read');
      if (group.entriesRead === ENTRIES_READ_INVALID) out.nullBulk();
      else out.integer(group.entriesRead);
      out.bulk('lag');
      const lag = stream.groupLag(group);
      if (lag === null) out.nullBulk();
      else out.integer(lag);
    }
  },
} satisfies CommandSpec;
