import type { CommandSpec } from '../../types';

export const spec = {
  name: 'get',
  arity: -3,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  acl: ['admin', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Returns the configuration directives matching one or more glob patterns, with their values.',
  since: '2.0.0',
  group: 'server',
  complexity: 'O(N) when N is the number of configuration parameters provided',
  arguments: [{ name: 'parameter', type: 'block', multiple: true, arguments: [{ name: 'parameter', type: 'string' }] }],
  history: [['7.0.0', 'Several patterns may be given in one call.']],
  handler(ctx, argv) {
    // Each directive once, however many patterns match it (names compare case-insensitively).
    const found = new Map<string, [string, string]>();
    for (const pattern of argv.slice(2)) {
      for (const [name, value] of ctx.server.configApi.get(pattern.toString('latin1'))) {
        const key = name.toLowerCase();
        if (!found.has(key)) found.set(key, [name, value]);
      }
    }
    ctx.out.map(found.size);
    for (const [name, value] of found.values()) {
      ctx.out.bulk(name);
      ctx.out.bulk(value);
    }
  },
} satisfies CommandSpec;
