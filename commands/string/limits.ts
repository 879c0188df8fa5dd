// Size limits the string commands enforce, read from the live configuration.

import type { Ctx } from '../types';

/** proto-max-bulk-len: the largest string APPEND and SETRANGE may build (and LCS's table size bound). */
export function protoMaxBulkLen(ctx: Ctx): number {
  const pair = ctx.server.configApi.get('proto-max-bulk-len')[0];
  return pair === undefined ? 512 * 1024 * 1024 : Number(pair[1]);
}
