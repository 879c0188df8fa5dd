// The stream data structure: what command handlers and apply() import.
//
//   id.ts            StreamId ({ ms, seq }, each a U64 = number up to 2^53 - 1, bigint above),
//                    Redis's ID parsing (strict / non-strict / interval / XADD's `*` and `<ms>-*`),
//                    formatting, ordering, incr/decr, nextEntryId, the error texts
//   block.ts         entries packed in Buffers, tombstones in place, Redis's node-split rule
//   listpack-size.ts what Redis's listpack for a node would weigh (so blocks split where nodes do)
//   stream.ts        Stream: append, iterate/range/entry/has, delete (XDEL), planTrim/trim,
//                    checkSetId/setId (XSETID), groups, entries-read and lag (Redis 7.0-7.2 rules)
//   group.ts         ConsumerGroup, Consumer, PendingEntry: PELs as ID-ordered B+trees (id-tree.ts)
//   idmp.ts          Idmp: producer idempotency (XADD IDMP/IDMPAUTO, XCFGSET), forgetting deterministically
//   codec.ts         serializeStream/deserializeStream (snapshots), copyStream (COPY), canonicalStream
//   effects.ts       StreamChange: the deterministic effects of stream writes, and applyStreamChange
//
// Handlers decide (IDs, trims, group counters, times made concrete), record a StreamChange, and
// apply() applies it; nothing in here reads a clock.

export * from './id';
export { type Bytes, LISTPACK_MAX_SIZE } from './block';
export { IdTree, IdTreeCursor, type Keyed } from './id-tree';
export { Consumer, ConsumerGroup, ENTRIES_READ_INVALID, PendingEntry, type PendingList } from './group';
export {
  DEFAULT_NODE_LIMITS,
  ERR_XSETID_ENTRIES_ADDED_SMALLER,
  ERR_XSETID_SMALLER_THAN_MAX_DELETED,
  ERR_XSETID_SMALLER_THAN_MAX_DELETED_ARG,
  ERR_XSETID_SMALLER_THAN_TOP,
  type EntryCursor,
  type NodeLimits,
  Stream,
  StreamIterator,
  type TrimResult,
  type TrimSpec,
} from './stream';
export { IDMP_DEFAULT_DURATION_SEC, IDMP_DEFAULT_MAXSIZE, IDMP_DURATION_RANGE, IDMP_MAXSIZE_RANGE, Idmp } from './idmp';
export { STREAM_CODEC_VERSION, StreamFormatError, canonicalStream, copyStream, deserializeStream, serializeStream } from './codec';
export * from './effects';
