// What every XINFO subcommand but HELP does first: the key must hold a stream ("no such key"
// otherwise), looked up as a read.

import { ERR } from '../../errors';
import type { Ctx } from '../../types';
import type { Stream } from '../../../storage/stream';
import { streamOrReply } from '../common';

export function xinfoStreamOrReply(ctx: Ctx, key: string): Stream | null {
  const stream = streamOrReply(ctx, key, false);
  if (stream === null) return null;
  if (stream === undefined) {
    ctx.out.error(ERR.noSuchKey);
    return null;
  }
  return stream;
}
