// Size limits the string commands enforce, read from the live configuration.

import type { Ctx } from '../types';

/** proto-max-bulk-len: the largest string APPEND and SETRANGE may build (and LCS's table size bound). */
export function protoMaxBulkLen(ctx: Ctx): number {
  return ctx.server.configApi.int('proto-max-bulk-len');
}
