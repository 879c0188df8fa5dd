// PUBSUB: the container; each subcommand lives in pubsub/<name>.ts.

import type { CommandSpec } from '../types';
import { spec as channels } from './pubsub/channels';
import { spec as help } from './pubsub/help';
import { spec as numpat } from './pubsub/numpat';
import { spec as numsub } from './pubsub/numsub';
import { spec as shardchannels } from './pubsub/shardchannels';
import { spec as shardnumsub } from './pubsub/shardnumsub';

export const spec = {
  name: 'pubsub',
  arity: -2,
  flags: [],
  acl: ['slow'],
  keys: [0, 0, 0],
  summary: 'Commands that inspect the state of Pub/Sub.',
  since: '2.8.0',
  group: 'pubsub',
  complexity: 'Depends on subcommand.',
  subcommands: [channels, numsub, help, numpat, shardnumsub, shardchannels],
} satisfies CommandSpec;
