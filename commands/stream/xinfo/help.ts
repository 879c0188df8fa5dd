import { helpSubcommand } from '../../help';

const LINES = [
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
];

export const spec = helpSubcommand({ parent: 'XINFO', group: 'stream', since: '5.0.0', lines: LINES, acl: ['stream'] });
