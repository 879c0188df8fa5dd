// The ACL categories in Redis's order (its ACLCommandCategories), the one list COMMAND's renderer
// also uses: ACL CAT lists them so, and +@<category> / -@<category> accept exactly these names.

import { ACL_CATEGORY_ORDER } from '../command/render';
import type { AclCategory } from '../../types';

export const ACL_CATEGORIES: readonly AclCategory[] = ACL_CATEGORY_ORDER;

const CATEGORY_SET: ReadonlySet<string> = new Set(ACL_CATEGORIES);

/** Whether `name` (lower case, without '@') is an ACL category. */
export function isAclCategory(name: string): name is AclCategory {
  return CATEGORY_SET.has(name);
}
