// Every error text Sluice sends, written once, with Redis 7.2's exact wording.
// A reply's leading '-' is added by the writer; the code ("ERR", "WRONGTYPE"...) is part of the text.

import {
  ERR_INVALID_END,
  ERR_INVALID_ID,
  ERR_INVALID_START,
  ERR_XADD_EXHAUSTED,
  ERR_XADD_SMALLER,
  ERR_XADD_ZERO,
} from '../storage/stream/id';

export const ERR = {
  syntax: 'ERR syntax error',
  wrongType: 'WRONGTYPE Operation against a key holding the wrong kind of value',
  notInteger: 'ERR value is not an integer or out of range',
  notFloat: 'ERR value is not a valid float',
  overflow: 'ERR increment or decrement would overflow',
  incrFloatNaN: 'ERR increment would produce NaN or Infinity',
  noSuchKey: 'ERR no such key',
  dbIndexOutOfRange: 'ERR DB index is out of range',
  invalidDbIndex: 'ERR invalid DB index',
  sameObject: 'ERR source and destination objects are the same',
  invalidExpire: (cmd: string) => `ERR invalid expire time in '${cmd}' command`,
  stringTooLong: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)',
  offsetOutOfRange: 'ERR offset is out of range',
  noAuth: 'NOAUTH Authentication required.',
  wrongPass: 'WRONGPASS invalid username-password pair or user is disabled.',
  authNotConfigured:
    'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
  protoUnsupported: 'NOPROTO unsupported protocol version',
  protocolVersionNotInteger: 'ERR Protocol version is not an integer or out of range',
  timeoutNotInteger: 'ERR timeout is not an integer or out of range',
  timeoutNegative: 'ERR timeout is negative',
  timeoutNotFloat: 'ERR timeout is not a float or out of range',
  timeoutOutOfRange: 'ERR timeout is out of range',
  unblockReason: 'ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR',
  multiNested: 'ERR MULTI calls can not be nested',
  noMulti: (cmd: string) => `ERR ${cmd} without MULTI`,
  execAbort: 'EXECABORT Transaction discarded because of previous errors.',
  /** EXEC itself refused (arity, MISCONF...): `reason` is the refusal's text without a leading "ERR ". */
  execAbortBecause: (reason: string) => `EXECABORT Transaction discarded because of: ${reason}`,
  watchInsideMulti: 'ERR WATCH inside MULTI is not allowed',
  notAllowedInMulti: 'ERR Command not allowed inside a transaction',
  pubsubContext: (cmd: string) =>
    `ERR Can't execute '${cmd}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
  unknownCommand: (name: string, args: string) =>
    `ERR unknown command '${name}', with args beginning with: ${args}`,
  wrongArity: (fullName: string) => `ERR wrong number of arguments for '${fullName}' command`,
  unknownSubcommand: (sub: string, cmdUpper: string) =>
    `ERR unknown subcommand '${sub}'. Try ${cmdUpper} HELP.`,
  protocol: (detail: string) => `ERR Protocol error: ${detail}`,
  nxAndXx: 'ERR NX and XX, GT or LT options at the same time are not compatible',
  gtLtNx: 'ERR GT and LT options at the same time are not compatible',
  unsupportedOption: (opt: string) => `ERR Unsupported option ${opt}`,
  configUnknown: (name: string) => `ERR Unknown option or number of arguments for CONFIG SET - '${name}'`,
  noSuchClient: 'ERR No such client',
  clientNameSpaces: 'ERR Client names cannot contain spaces, newlines or special characters.',
  oom: "OOM command not allowed when used memory > 'maxmemory'.",
  loading: 'LOADING Redis is loading the dataset in memory',
  readonlyReplica: "READONLY You can't write against a read only replica.",
  // replication
  masterDown: "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
  noReplicas: 'NOREPLICAS Not enough good replicas to write.',
  noMasterLink: "NOMASTERLINK Can't SYNC while not connected with my master",
  invalidMasterPort: 'ERR Invalid master port',
  replconfUnknown: (option: string) => `ERR Unrecognized REPLCONF option: ${option}`,
  replconfIpTooLong: (bytes: number) => `ERR REPLCONF ip-address provided by replica instance is too long: ${bytes} bytes`,
  /** Sluice's own: replication ships the log, so it needs one. */
  replicationNeedsLog: 'ERR Sluice replicates its log: replication needs appendonly yes',
  /** Sluice's own: a Redis replica would expect an RDB file and Redis's command stream. */
  replicaNotSluice: 'ERR Sluice replicates only to Sluice replicas (REPLCONF capa sluice)',
  waitaofReplica:
    'ERR WAITAOF cannot be used with replica instances. Please also note that writes to replicas are just local and are not propagated.',
  waitReplica:
    'ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.',
  /** Writes refused while the log cannot be written; `reason` is strerror's text ("No space left on device"). */
  misconf: (reason: string) => `MISCONF Errors writing to the AOF file: ${reason}`,
  // string family
  decrementOverflow: 'ERR decrement would overflow',
  lcsNotStrings: 'ERR The specified keys must contain string values',
  lcsLenAndIdx: 'ERR If you want both the length and indexes, please just use IDX.',
  lcsTooLong: 'ERR String too long for LCS',
  lcsOverBulkLen: 'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len',
  lcsNoMemory: 'ERR Insufficient memory, failed allocating transient memory for LCS',
  // list family
  indexOutOfRange: 'ERR index out of range',
  lposRankZero:
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
  lposRankRange: 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
  lposCountNegative: "ERR COUNT can't be negative",
  lposMaxlenNegative: "ERR MAXLEN can't be negative",
  numkeysNotPositive: 'ERR numkeys should be greater than 0',
  countNotPositive: 'ERR count should be greater than 0',
  // keyspace family
  invalidCursor: 'ERR invalid cursor',
  intRange: (min: number, max: number) => `ERR value is out of range, value must between ${min} and ${max}`,
  invalidFirstDbIndex: 'ERR invalid first DB index',
  invalidSecondDbIndex: 'ERR invalid second DB index',
  lfuNotSelected:
    'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  lfuSelected:
    'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  // COMMAND GETKEYS / GETKEYSANDFLAGS
  getkeysInvalidCommand: 'ERR Invalid command specified',
  getkeysNoKeyArguments: 'ERR The command has no key arguments',
  getkeysInvalidArity: 'ERR Invalid number of arguments specified for command',
  getkeysInvalidArguments: 'ERR Invalid arguments specified for command',
  // connection and server administration
  protectedCommand: (cmd: string, directive: string) =>
    `ERR ${cmd} command not allowed. If the ${directive} option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.`,
  subcommandSyntax: (sub: string, cmdUpper: string) =>
    `ERR unknown subcommand or wrong number of arguments for '${sub}'. Try ${cmdUpper} HELP.`,
  helloNoAuth:
    'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
  helloSyntax: (option: string) => `ERR Syntax error in HELLO option '${option}'`,
  unknownClientType: (type: string) => `ERR Unknown client type '${type}'`,
  invalidClientId: 'ERR Invalid client ID',
  clientIdNotPositive: 'ERR client-id should be greater than 0',
  maxAgeNotInteger: 'ERR maxage is not an integer or out of range',
  maxAgeNotPositive: 'ERR maxage should be greater than 0',
  noSuchUser: (user: string) => `ERR No such user '${user}'`,
  clientAttrUnknown: (attr: string) => `ERR Unrecognized option '${attr}'`,
  clientAttrInvalid: (attr: string) => `ERR ${attr} cannot contain spaces, newlines or special characters.`,
  clientCachingNotTracking:
    'ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled',
  slowlogCount: 'ERR count should be greater than or equal to -1',
  noShutdownInProgress: 'ERR No shutdown in progress.',
  latencyNoSamples: (event: string) => `ERR No samples available for event '${event}'`,
  configSetFailed: (arg: string, reason: string) => `ERR CONFIG SET failed (possibly related to argument '${arg}') - ${reason}`,
  configNoFile: 'ERR The server is running without a config file',
  // persistence
  /** Redis's shared.err: a save that failed (the reason is in the server's log). */
  saveFailed: 'ERR',
  bgsaveInProgress: 'ERR Background save already in progress',
  bgsaveOtherChild:
    "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
  bgrewriteaofInProgress: 'ERR Background append only file rewriting already in progress',
  bgrewriteaofFailed: "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.",
  shutdownFailed: 'ERR Errors trying to SHUTDOWN. Check logs.',
  notPositive: 'ERR value is out of range, must be positive',
  waitaofNoAof: 'ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.',
  // stream family (the ID errors live with the ID rules: storage/stream/id.ts, re-exported here)
  streamInvalidId: ERR_INVALID_ID,
  streamInvalidStart: ERR_INVALID_START,
  streamInvalidEnd: ERR_INVALID_END,
  xaddZeroId: ERR_XADD_ZERO,
  xaddExhausted: ERR_XADD_EXHAUSTED,
  xaddIdTooSmall: ERR_XADD_SMALLER,
  xaddTooLarge: 'ERR Elements are too large to be stored',
  maxlenNegative: 'ERR The MAXLEN argument must be >= 0.',
  limitNegative: 'ERR The LIMIT argument must be >= 0.',
  maxlenAndMinid: 'ERR syntax error, MAXLEN and MINID options at the same time are not compatible',
  limitWithoutStrategy: 'ERR syntax error, LIMIT cannot be used without specifying a trimming strategy',
  limitWithoutApprox: 'ERR syntax error, LIMIT cannot be used without the special ~ option',
  xsetidEntriesAddedNegative: 'ERR entries_added must be positive',
  xreadUnbalanced: (cmd: string, symbol: string) =>
    `ERR Unbalanced '${cmd}' list of streams: for each stream key an ID or '${symbol}' must be specified.`,
  xreadGroupOption: 'ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.',
  xreadNoackOption: 'ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.',
  xreadClaimOption: 'ERR The CLAIM option is only supported by XREADGROUP. You called XREAD instead.',
  claimMinIdleNotInteger: 'ERR min-idle-time is not an integer or out of range',
  claimMinIdleNegative: 'ERR min-idle-time must be a positive integer',
  xreadgroupMissingGroup: 'ERR Missing GROUP option for XREADGROUP',
  xreadGreaterThanId: 'ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.',
  numidsNotPositive: 'ERR Number of IDs must be a positive integer',
  numidsMismatch: 'ERR The `numids` parameter must match the number of arguments',
  idsRequired: 'ERR IDS option is required',
  idmpTwice: 'ERR syntax error, IDMP/IDMPAUTO specified multiple times',
  idmpautoEmptyPid: 'ERR syntax error, IDMPAUTO requires a non-empty producer ID',
  idmpEmptyPid: 'ERR syntax error, IDMP requires a non-empty producer ID',
  idmpEmptyIid: 'ERR syntax error, IDMP requires a non-empty idempotent ID',
  idmpExplicitId: 'ERR syntax error, IDMP/IDMPAUTO can be used only with auto-generated IDs',
  xcfgsetDurationTwice: 'ERR IDMP-DURATION specified multiple times',
  xcfgsetMaxsizeTwice: 'ERR IDMP-MAXSIZE specified multiple times',
  xcfgsetDurationRange: (min: number, max: number) => `ERR IDMP-DURATION must be between ${min} and ${max} seconds`,
  xcfgsetMaxsizeRange: (min: number, max: number) => `ERR IDMP-MAXSIZE must be between ${min} and ${max} entries`,
  xcfgsetNothing: 'ERR At least one parameter must be specified',
  xtrimWithoutStrategy: 'ERR syntax error, XTRIM must be called with a trimming strategy',
  // consumer groups (names printed as Redis's %s prints them: see cText)
  noGroup: (group: string, key: string) => `NOGROUP No such consumer group '${group}' for key name '${key}'`,
  noKeyOrGroup: (key: string, group: string) => `NOGROUP No such key '${key}' or consumer group '${group}'`,
  noKeyOrGroupReadgroup: (key: string, group: string) =>
    `NOGROUP No such key '${key}' or consumer group '${group}' in XREADGROUP with GROUP option`,
  busyGroup: 'BUSYGROUP Consumer Group name already exists',
  xgroupNoKey:
    'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
  entriesReadRange: 'ERR value for ENTRIESREAD must be positive or -1',
  xreadgroupDollar:
    'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
  xclaimOption: (command: string, option: string) => `ERR Invalid ${option} argument for ${command}`,
  xclaimUnknownOption: (option: string) => `ERR Unrecognized XCLAIM option '${option}'`,
  xautoclaimCount: 'ERR COUNT must be > 0',
  xnackMode: 'ERR mode must be SILENT, FAIL, or FATAL',
  xnackUnknownOption: (option: string) => `ERR Unrecognized XNACK option '${option}'`,
  xautoclaimNoMemory: 'ERR Insufficient memory, failed allocating transient memory, COUNT too high.',
} as const;

/** Redis prints C strings with %s: text stops at the first NUL byte. */
export function cString(bytes: Buffer): string {
  const nul = bytes.indexOf(0);
  return (nul === -1 ? bytes : bytes.subarray(0, nul)).toString('latin1');
}

/** The "with args beginning with: 'a' 'b' " part of Redis's unknown-command error (128 chars at most). */
export function argsPreview(argv: readonly Buffer[], from: number): string {
  let args = '';
  for (let i = from; i < argv.length && args.length < 128; i++) {
    args += `'${cString(argv[i]!).slice(0, 128 - args.length)}' `;
  }
  return args;
}
