import { ERR } from '../../errors';
import type { CommandSpec } from '../../types';

/** Directives whose values must never show in MONITOR or the slow log (Redis's SENSITIVE_CONFIG). */
const SENSITIVE = new Set(['requirepass', 'masterauth', 'masteruser']);
const REDACTED = Buffer.from('(redacted)');

export const spec = {
  name: 'set',
  arity: -4,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  acl: ['admin', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Changes one or more configuration directives at once: all of them, or none.',
  since: '2.0.0',
  group: 'server',
  complexity: 'O(N) when N is the number of configuration parameters provided',
  tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
  arguments: [
    {
      name: 'parameter_value',
      type: 'block',
      multiple: true,
      arguments: [
        { name: 'parameter', type: 'string' },
        { name: 'value', type: 'string' },
      ],
    },
  ],
  history: [['7.0.0', 'Several parameters may be set in one call.']],
  handler(ctx, argv) {
    if (argv.length % 2 !== 0) {
      ctx.out.error(ERR.syntax);
      return;
    }
    const pairs: Array<[string, string]> = [];
    for (let i = 2; i < argv.length; i += 2) {
      const name = argv[i]!.toString('latin1');
      pairs.push([name, argv[i + 1]!.toString('latin1')]);
      // Hidden whatever the outcome: MONITOR and the slow log see argv after this handler.
      if (SENSITIVE.has(name.toLowerCase())) argv[i + 1] = REDACTED;
    }
    const error = ctx.server.configApi.set(pairs, ctx.client.addr);
    if (error !== null) ctx.out.error(error);
    else ctx.out.ok();
  },
} satisfies CommandSpec;
