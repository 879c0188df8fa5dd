// The stream data structure: what command handlers and apply() import. See README.md here.

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
export { STREAM_CODEC_VERSION, StreamFormatError, canonicalStream, copyStream, deserializeStream, serializeStream } from './codec';
export * from './effects';
