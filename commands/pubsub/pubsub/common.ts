// PUBSUB CHANNELS / SHARDCHANNELS and NUMSUB / SHARDNUMSUB differ only in the namespace they read.

import { cString, ERR } from '../../errors';
import { keyOf } from '../../args';
import type { ChannelKind, Ctx } from '../../types';

/** Active channels, optionally filtered by a glob pattern; at most one pattern is accepted. */
export function replyActiveChannels(ctx: Ctx, argv: readonly Buffer[], kind: ChannelKind): void {
  if (argv.length > 3) {
    ctx.out.error(ERR.subcommandSyntax(cString(argv[1]!), 'PUBSUB'));
    return;
  }
  const names = ctx.server.pubsub.activeChannels(kind, argv.length === 3 ? keyOf(argv[2]!) : null);
  ctx.out.array(names.length);
  for (const name of names) ctx.out.bulk(name);
}

/** A flat array of channel, subscriber count pairs, in the order asked (patterns not counted). */
export function replySubscriberCounts(ctx: Ctx, argv: readonly Buffer[], kind: ChannelKind): void {
  ctx.out.array((argv.length - 2) * 2);
  for (let i = 2; i < argv.length; i++) {
    ctx.out.bulk(argv[i]!);
    ctx.out.integer(ctx.server.pubsub.subscriberCount(kind, keyOf(argv[i]!)));
  }
}
