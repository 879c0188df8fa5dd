import type { CommandSpec } from '../types';

export const spec = {
  name: 'info',
  arity: -1,
  flags: ['loading', 'stale', 'sentinel'],
  acl: ['slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Reports information and statistics about the server, by section.',
  since: '1.0.0',
  group: 'server',
  complexity: 'O(1)',
  tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
  arguments: [{ name: 'section', type: 'string', optional: true, multiple: true }],
  history: [['7.0.0', 'Several sections may be asked for at once.']],
  handler(ctx, argv) {
    // No section means the default set; unknown sections are simply left out.
    const sections = argv.slice(1).map((arg) => arg.toString('latin1'));
    ctx.out.verbatim(ctx.server.info(sections));
  },
} satisfies CommandSpec;
