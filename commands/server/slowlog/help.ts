import type { CommandSpec } from '../../types';
import { replyHelp } from '../../help';

const LINES = [
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
];

export const spec = {
  name: 'help',
  arity: 2,
  flags: ['loading', 'stale'],
  acl: ['slow'],
  keys: [0, 0, 0],
  summary: 'Describes the SLOWLOG subcommands.',
  since: '6.2.0',
  group: 'server',
  complexity: 'O(1)',
  handler(ctx) {
    replyHelp(ctx.out, 'SLOWLOG', LINES);
  },
} satisfies CommandSpec;
