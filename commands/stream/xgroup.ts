// XGROUP: the container of the consumer-group management subcommands (each in xgroup/<name>.ts).

import type { CommandSpec } from '../types';
import { spec as create } from './xgroup/create';
import { spec as createconsumer } from './xgroup/createconsumer';
import { spec as delconsumer } from './xgroup/delconsumer';
import { spec as destroy } from './xgroup/destroy';
import { spec as help } from './xgroup/help';
import { spec as setid } from './xgroup/setid';

export const spec = {
  name: 'xgroup',
  arity: -2,
  flags: [],
  acl: ['slow'],
  keys: [0, 0, 0],
  summary: 'Commands that manage stream consumer groups.',
  since: '5.0.0',
  group: 'stream',
  complexity: 'Depends on subcommand.',
  subcommands: [create, setid, destroy, createconsumer, delconsumer, help],
} satisfies CommandSpec;
