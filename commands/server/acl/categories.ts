// The ACL categories in Redis's order (its ACLCommandCategories): ACL CAT lists them so, and the ACL
// rules +@<category> / -@<category> accept exactly these names.

import type { AclCategory } from '../../types';

export const ACL_CATEGORIES: readonly AclCategory[] = [
  'keyspace',
  'read',
  'write',
  'set',
  'sortedset',
  'list',
  'hash',
  'string',
  'bitmap',
  'hyperloglog',
  'geo',
  'stream',
  'pubsub',
  'admin',
  'fast',
  'slow',
  'blocking',
  'dangerous',
  'connection',
  'transaction',
  'scripting',
];

const CATEGORY_SET: ReadonlySet<string> = new Set(ACL_CATEGORIES);

/** Whether `name` (lower case, without '@') is an ACL category. */
export function isAclCategory(name: string): name is AclCategory {
  return CATEGORY_SET.has(name);
}
