import { keyword } from '../args';
import { ERR } from '../errors';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'shutdown',
  arity: -1,
  flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'sentinel', 'allow_busy'],
  acl: ['admin', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Stops the server, making the data durable first unless told not to.',
  since: '1.0.0',
  group: 'server',
  complexity: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)',
  arguments: [
    {
      name: 'nosave_save',
      type: 'oneof',
      optional: true,
      arguments: [
        { name: 'nosave', type: 'pure-token', token: 'NOSAVE' },
        { name: 'save', type: 'pure-token', token: 'SAVE' },
      ],
    },
    { name: 'now', type: 'pure-token', token: 'NOW', optional: true, since: '7.0.0' },
    { name: 'force', type: 'pure-token', token: 'FORCE', optional: true, since: '7.0.0' },
    { name: 'abort', type: 'pure-token', token: 'ABORT', optional: true, since: '7.0.0' },
  ],
  history: [['7.0.0', 'The NOW, FORCE and ABORT options.']],
  handler(ctx, argv) {
    const options = new Set<string>();
    for (const arg of argv.slice(1)) {
      const option = keyword(arg);
      if (!['nosave', 'save', 'now', 'force', 'abort'].includes(option)) {
        ctx.out.error(ERR.syntax);
        return;
      }
      options.add(option);
    }
    // ABORT goes alone; SAVE and NOSAVE contradict each other.
    if ((options.has('abort') && options.size > 1) || (options.has('save') && options.has('nosave'))) {
      ctx.out.error(ERR.syntax);
      return;
    }
    // With no replicas to wait for, a shutdown never stays in progress to be aborted.
    if (options.has('abort')) {
      ctx.out.error(ERR.noShutdownInProgress);
      return;
    }
    // NOW only matters while waiting for replicas; FORCE exits even when the final save fails.
    const mode = options.has('nosave') ? 'nosave' : options.has('save') ? 'save' : 'default';
    const error = ctx.server.shutdown(mode, { force: options.has('force') });
    // On success the server closes every connection, this one included, without a reply.
    if (error !== null) ctx.out.error(error);
  },
} satisfies CommandSpec;
