// SLOWLOG: the container; each subcommand lives in slowlog/<name>.ts. What is logged, and when,
// is decided in dispatch (server/slowlog.ts).

import type { CommandSpec } from '../types';
import { spec as get } from './slowlog/get';
import { spec as help } from './slowlog/help';
import { spec as len } from './slowlog/len';
import { spec as reset } from './slowlog/reset';

export const spec = {
  name: 'slowlog',
  arity: -2,
  flags: [],
  acl: ['slow'],
  keys: [0, 0, 0],
  summary: 'Commands about the log of slow commands.',
  since: '2.2.12',
  group: 'server',
  complexity: 'Depends on subcommand.',
  subcommands: [get, reset, help, len],
} satisfies CommandSpec;
