// What the consumer-group commands share: Redis's way of printing names in NOGROUP errors, the
// group lookup with its three NOGROUP wordings, idle times, and writing pending entries and
// claimed entries. Finding the stream, parsing IDs and writing entries live in ./common.ts.

import { ERR } from '../errors';
import type { Ctx, Reply } from '../types';
import { type ConsumerGroup, type Stream, type StreamId } from '../../storage/stream';
import { streamOrReply, writeEntry, writeId } from './common';

/** A name as Redis's %s prints it: the text stops at the first NUL byte. */
export function cText(text: string): string {
  const nul = text.indexOf('\0');
  return nul === -1 ? text : text.slice(0, nul);
}

/** Which NOGROUP wording a command uses when the key or the group is missing. */
export type NoGroupWording = 'key-or-group' | 'readgroup';

/**
 * The stream and group of a command that needs both (XPENDING, XCLAIM, XAUTOCLAIM): null after the
 * WRONGTYPE or NOGROUP reply. A read lookup, as Redis's lookupKeyRead.
 */
export function streamGroupOrReply(ctx: Ctx, key: string, groupName: string, wording: NoGroupWording): { stream: Stream; group: ConsumerGroup } | null {
  const stream = streamOrReply(ctx, key, false);
  if (stream === null) return null;
  const group = stream?.group(groupName);
  if (stream === undefined || group === undefined) {
    ctx.out.error(
      wording === 'readgroup' ? ERR.noKeyOrGroupReadgroup(cText(key), cText(groupName)) : ERR.noKeyOrGroup(cText(key), cText(groupName)),
    );
    return null;
  }
  return { stream, group };
}

/** Milliseconds since `atMs`, never negative (a clock that stepped back reads as 0, as in Redis). */
export function idleSince(nowMs: number, atMs: number): number {
  return nowMs > atMs ? nowMs - atMs : 0;
}

/** Write the live entry with this ID ([id, [field, value, ...]]); false when it is not in the stream. */
export function writeEntryById(out: Reply, stream: Stream, id: StreamId): boolean {
  const entry = stream.entry(id);
  if (entry === null) return false;
  writeEntry(out, entry);
  return true;
}

/** An ID as a bulk string. */
export function writeIdOf(out: Reply, id: StreamId): void {
  writeId(out, id.ms, id.seq);
}

/** The subcommand syntax error of a container (XGROUP, XINFO): the subcommand as typed, 128 bytes at most. */
export function subcommandSyntaxError(ctx: Ctx, argv: readonly Buffer[], container: string): void {
  ctx.out.error(ERR.subcommandSyntax(cText(argv[1]!.toString('latin1')).slice(0, 128), container));
}

/** Whether an argument reads as the C string `c` (Redis compares with strcmp: bytes after a NUL are ignored). */
export function isCStringChar(arg: Buffer, c: string): boolean {
  return arg.length >= 1 && arg[0] === c.charCodeAt(0) && (arg.length === 1 || arg[1] === 0);
}
