import { isSubscriber } from '../pubsub/common';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'ping',
  arity: -1,
  flags: ['fast', 'sentinel'],
  acl: ['fast', 'connection'],
  keys: [0, 0, 0],
  summary: 'Returns the server\'s liveliness response.',
  since: '1.0.0',
  group: 'connection',
  complexity: 'O(1)',
  arguments: [{ name: 'message', type: 'string', optional: true }],
  tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
  handler(ctx, argv) {
    if (argv.length > 2) {
      ctx.out.error("ERR wrong number of arguments for 'ping' command");
      return;
    }
    // A RESP2 subscriber gets a reply shaped like its messages: ["pong", message or ""].
    if (ctx.client.resp === 2 && isSubscriber(ctx)) {
      ctx.out.array(2);
      ctx.out.bulk('pong');
      ctx.out.bulk(argv.length === 1 ? '' : argv[1]!);
      return;
    }
    if (argv.length === 1) ctx.out.simple('PONG');
    else ctx.out.bulk(argv[1]!);
  },
} satisfies CommandSpec;
