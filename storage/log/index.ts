// The durable log's public surface, for the server (see README "Persistence" and the report in
// issue 3 for the order of calls): take the directory lock, load the newest snapshot, openLog()
// replaying into Engine.replay, then per command add()/endRecord(), per turn flush(), at shutdown
// close() and release the lock.

export { acquireDirLock, DirLockedError, LOCK_FILE_NAME, type DirLock } from './lock';
export {
  BACKGROUND_INTERVAL_MS,
  DEFAULT_SEGMENT_BYTES_MAX,
  Log,
  LogFailedError,
  type FsyncPolicy,
  type LogEvent,
  type LogRecord,
  type LogStats,
} from './log';
export { openLog, type OpenLogOptions, type RecoveryReport, type TornTailReport } from './recovery';
export { CorruptLogError, type RecordCallback } from './scan';
