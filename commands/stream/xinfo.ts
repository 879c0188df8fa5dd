// XINFO: the container of the stream introspection subcommands (each in xinfo/<name>.ts).

import type { CommandSpec } from '../types';
import { spec as consumers } from './xinfo/consumers';
import { spec as groups } from './xinfo/groups';
import { spec as help } from './xinfo/help';
import { spec as stream } from './xinfo/stream';

export const spec = {
  name: 'xinfo',
  arity: -2,
  flags: [],
  acl: ['slow'],
  keys: [0, 0, 0],
  summary: 'Commands that describe streams, their consumer groups and consumers.',
  since: '5.0.0',
  group: 'stream',
  complexity: 'Depends on subcommand.',
  subcommands: [consumers, groups, stream, help],
} satisfies CommandSpec;
