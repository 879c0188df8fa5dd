// What every XGROUP subcommand does first, as Redis's xgroupCommand does it once for all of them:
// parse the CREATE/SETID options (MKSTREAM, ENTRIESREAD), look the key up for writing (WRONGTYPE),
// then require the key (unless MKSTREAM) and, for SETID/CREATECONSUMER/DELCONSUMER, the group.

import { keyword, parseInt64 } from '../../args';
import { ERR } from '../../errors';
import type { Ctx } from '../../types';
import { type ConsumerGroup, type Counter, ENTRIES_READ_INVALID, type Stream } from '../../../storage/stream';
import { streamOrReply } from '../common';
import { cText, subcommandSyntaxError } from '../group-common';

export type XgroupSubcommand = 'create' | 'setid' | 'destroy' | 'createconsumer' | 'delconsumer';

export interface XgroupTarget {
  readonly key: string;
  readonly groupName: string;
  /** The stream; undefined only for CREATE with MKSTREAM on a missing key. */
  readonly stream: Stream | undefined;
  /** The group when it exists (always, for SETID/CREATECONSUMER/DELCONSUMER). */
  readonly group: ConsumerGroup | undefined;
  readonly mkstream: boolean;
  /** ENTRIESREAD, or -1 when not given. */
  readonly entriesRead: Counter;
}

/** The prelude shared by the XGROUP subcommands; null after the error reply. */
export function xgroupTargetOrReply(ctx: Ctx, argv: readonly Buffer[], sub: XgroupSubcommand): XgroupTarget | null {
  let mkstream = false;
  let entriesRead: Counter = ENTRIES_READ_INVALID;
  for (let i = 5; i < argv.length; ) {
    const opt = keyword(argv[i]!);
    if (sub === 'create' && opt === 'mkstream') {
      mkstream = true;
      i++;
    } else if ((sub === 'create' || sub === 'setid') && opt === 'entriesread' && i + 1 < argv.length) {
      const n = parseInt64(argv[i + 1]!.toString('latin1'));
      if (n === null) {
        ctx.out.error(ERR.notInteger);
        return null;
      }
      if (n < 0 && n !== ENTRIES_READ_INVALID) {
        ctx.out.error(ERR.entriesReadRange);
        return null;
      }
      entriesRead = n;
      i += 2;
    } else {
      subcommandSyntaxError(ctx, argv, 'XGROUP');
      return null;
    }
  }
  const key = argv[2]!.toString('latin1');
  const groupName = argv[3]!.toString('latin1');
  const stream = streamOrReply(ctx, key, true);
  if (stream === null) return null;
  const group = stream?.group(groupName);
  if (!mkstream) {
    if (stream === undefined) {
      ctx.out.error(ERR.xgroupNoKey);
      return null;
    }
    if (group === undefined && (sub === 'setid' || sub === 'createconsumer' || sub === 'delconsumer')) {
      ctx.out.error(ERR.noGroup(cText(groupName), cText(key)));
      return null;
    }
  }
  return { key, groupName, stream, group, mkstream, entriesRead };
}
