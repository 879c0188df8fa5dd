// LATENCY: the container; each subcommand lives in latency/<name>.ts. Samples are taken in
// dispatch (server/latency.ts). GRAPH and HISTOGRAM are not there yet.

import type { CommandSpec } from '../types';
import { spec as doctor } from './latency/doctor';
import { spec as help } from './latency/help';
import { spec as history } from './latency/history';
import { spec as latest } from './latency/latest';
import { spec as reset } from './latency/reset';

export const spec = {
  name: 'latency',
  arity: -2,
  flags: [],
  acl: ['slow'],
  keys: [0, 0, 0],
  summary: 'Commands about latency monitoring.',
  since: '2.8.13',
  group: 'server',
  complexity: 'Depends on subcommand.',
  subcommands: [reset, history, latest, help, doctor],
} satisfies CommandSpec;
