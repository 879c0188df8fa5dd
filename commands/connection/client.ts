// CLIENT: the container; each subcommand lives in client/<name>.ts. TRACKING and PAUSE belong with
// client-side caching and pausing, which Sluice does not have yet.

import type { CommandSpec } from '../types';
import { spec as caching } from './client/caching';
import { spec as getname } from './client/getname';
import { spec as getredir } from './client/getredir';
import { spec as help } from './client/help';
import { spec as id } from './client/id';
import { spec as info } from './client/info';
import { spec as kill } from './client/kill';
import { spec as list } from './client/list';
import { spec as noEvict } from './client/no-evict';
import { spec as noTouch } from './client/no-touch';
import { spec as reply } from './client/reply';
import { spec as setinfo } from './client/setinfo';
import { spec as setname } from './client/setname';
import { spec as trackinginfo } from './client/trackinginfo';
import { spec as unblock } from './client/unblock';
import { spec as unpause } from './client/unpause';

export const spec = {
  name: 'client',
  arity: -2,
  flags: ['sentinel'],
  acl: ['slow'],
  keys: [0, 0, 0],
  summary: 'Commands about client connections.',
  since: '2.4.0',
  group: 'connection',
  complexity: 'Depends on subcommand.',
  subcommands: [list, getredir, caching, reply, id, info, kill, trackinginfo, setname, setinfo, unpause, help, noEvict, noTouch, getname, unblock],
} satisfies CommandSpec;
