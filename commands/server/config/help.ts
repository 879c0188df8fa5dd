import type { CommandSpec } from '../../types';
import { replyHelp } from '../../help';

const LINES = [
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
];

export const spec = {
  name: 'help',
  arity: 2,
  flags: ['loading', 'stale'],
  acl: ['slow'],
  keys: [0, 0, 0],
  summary: 'Describes the CONFIG subcommands.',
  since: '5.0.0',
  group: 'server',
  complexity: 'O(1)',
  handler(ctx) {
    replyHelp(ctx.out, 'CONFIG', LINES);
  },
} satisfies CommandSpec;
