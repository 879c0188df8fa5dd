import { helpSubcommand } from '../../help';

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

export const spec = helpSubcommand({
  parent: 'SLOWLOG',
  group: 'server',
  since: '6.2.0',
  lines: LINES,
});
