import { helpSubcommand } from '../../help';

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

export const spec = helpSubcommand({
  parent: 'CONFIG',
  group: 'server',
  since: '5.0.0',
  lines: LINES,
});
