// CONFIG: the container; each subcommand lives in config/<name>.ts.

import type { CommandSpec } from '../types';
import { spec as get } from './config/get';
import { spec as help } from './config/help';
import { spec as resetstat } from './config/resetstat';
import { spec as rewrite } from './config/rewrite';
import { spec as set } from './config/set';

export const spec = {
  name: 'config',
  arity: -2,
  flags: [],
  acl: ['slow'],
  keys: [0, 0, 0],
  summary: 'Commands about the server configuration.',
  since: '2.0.0',
  group: 'server',
  complexity: 'Depends on subcommand.',
  subcommands: [help, rewrite, get, resetstat, set],
} satisfies CommandSpec;
