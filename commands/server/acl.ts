// ACL: the container; each subcommand lives in acl/<name>.ts, the users and checks in server/acl.

import type { CommandSpec } from '../types';
import { spec as cat } from './acl/cat';
import { spec as deluser } from './acl/deluser';
import { spec as dryrun } from './acl/dryrun';
import { spec as genpass } from './acl/genpass';
import { spec as getuser } from './acl/getuser';
import { spec as help } from './acl/help';
import { spec as list } from './acl/list';
import { spec as load } from './acl/load';
import { spec as log } from './acl/log';
import { spec as save } from './acl/save';
import { spec as setuser } from './acl/setuser';
import { spec as users } from './acl/users';
import { spec as whoami } from './acl/whoami';

export const spec = {
  name: 'acl',
  arity: -2,
  flags: [],
  acl: ['slow'],
  keys: [0, 0, 0],
  summary: 'Commands about users and their permissions.',
  since: '6.0.0',
  group: 'server',
  complexity: 'Depends on subcommand.',
  subcommands: [getuser, setuser, load, dryrun, deluser, genpass, log, list, users, save, help, whoami, cat],
} satisfies CommandSpec;
