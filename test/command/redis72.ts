// Where Redis 7.0 (the redis-server installed for tests) and Redis 7.2 (what Sluice matches) describe
// a command differently. Sluice follows 7.2; each entry says what 7.0 reports, what 7.2 reports, and
// where 7.2 says so (src/commands.def of 7.2, generated from src/commands/*.json). Nothing else may
// be listed here: any other difference from the installed Redis is a bug in a spec or a renderer.
// Newer commands an issue asks for (Redis 8.x, built from its documentation) are listed in NEW_IN_72
// too, with the version and the source of their values in `why`.

export interface NewIn72 {
  readonly why: string;
  /** 7.2's values for the fields the table test compares (rendered as it renders them). */
  readonly fields: Readonly<Record<string, string>>;
}

const connectionCommand = { acl: '+@slow +@connection', 'first/last/step': '0 0 0', keyspecs: '(none)', 'docs.group': 'connection', 'docs.since': '7.2.0' };

/** LMOVEM and BLMOVEM (Redis 8.10, lmovem.json / blmovem.json): the keys of LMOVE, the same ends and how-many block. */
const MOVE_ENDS = 'source{type="key" key_spec_index=:0} destination{type="key" key_spec_index=:1} wherefrom{type="oneof"}(left{type="pure-token" token="LEFT"} right{type="pure-token" token="RIGHT"}) whereto{type="oneof"}(left{type="pure-token" token="LEFT"} right{type="pure-token" token="RIGHT"})';
const HOW_MANY = 'how-many{type="block" flags=~[+optional]}(selector{type="oneof"}(count{type="integer" token="COUNT"} exactly{type="integer" token="EXACTLY"}) ordering{type="oneof"}(obo{type="pure-token" token="OBO"} bulk{type="pure-token" token="BULK"}))';
const moveManyCommand = {
  'first/last/step': '1 2 1',
  tips: '(none)',
  keyspecs: '{"flags": ~[+RW, +access, +delete], "begin_search": {"type": "index", "spec": {"index": :1}}, "find_keys": {"type": "range", "spec": {"lastkey": :0, "keystep": :1, "limit": :0}}} {"flags": ~[+RW, +insert], "begin_search": {"type": "index", "spec": {"index": :2}}, "find_keys": {"type": "range", "spec": {"lastkey": :0, "keystep": :1, "limit": :0}}}',
  'docs.group': 'list',
  'docs.since': '8.10.0',
};

/** Rendered COMMAND DOCS arguments of XADD and XTRIM, as 7.0 reports them and with Redis 8.2's KEEPREF | DELREF | ACKED. */
const TRIM_INNER =
  'strategy{type="oneof"}(maxlen{type="pure-token" token="MAXLEN"} minid{type="pure-token" token="MINID" since="6.2.0"}) operator{type="oneof" flags=~[+optional]}(equal{type="pure-token" token="="} approximately{type="pure-token" token="~"}) threshold{type="string"} count{type="integer" token="LIMIT" since="6.2.0" flags=~[+optional]}';
const REF_POLICY =
  'condition{type="oneof" flags=~[+optional]}(keepref{type="pure-token" token="KEEPREF"} delref{type="pure-token" token="DELREF"} acked{type="pure-token" token="ACKED"})';
const XADD_KEY = 'key{type="key" key_spec_index=:0} nomkstream{type="pure-token" token="NOMKSTREAM" since="6.2.0" flags=~[+optional]}';
const IDMP_ARGS =
  'idmp{type="oneof" flags=~[+optional]}(idmpauto-with-pid{type="block"}(idmpauto-token{type="pure-token" token="IDMPAUTO"} pid{type="string"}) idmp-with-pid-iid{type="block"}(idmp-token{type="pure-token" token="IDMP"} pid{type="string"} iid{type="string"}))';
const XADD_REST = `trim{type="block" flags=~[+optional]}(${TRIM_INNER}) id_or_auto{type="oneof"}(auto_id{type="pure-token" token="*"} id{type="string"}) field_value{type="block" flags=~[+multiple]}(field{type="string"} value{type="string"})`;
const XTRIM_ARGS = `key{type="key" key_spec_index=:0} trim{type="block"}(${TRIM_INNER})`;
const XREADGROUP_HEAD =
  'group_consumer{type="block" token="GROUP"}(group{type="string"} consumer{type="string"}) count{type="integer" token="COUNT" flags=~[+optional]} milliseconds{type="integer" token="BLOCK" flags=~[+optional]}';
const XREADGROUP_TAIL =
  'noack{type="pure-token" token="NOACK" flags=~[+optional]} streams{type="block" token="STREAMS"}(key{type="key" key_spec_index=:0 flags=~[+multiple]} id{type="string" flags=~[+multiple]})';
const CLAIM_ARG = 'min-idle-time{type="integer" token="CLAIM" since="8.4.0" flags=~[+optional]}';
const REF_POLICY_WHY = 'Redis 8.2 (issue #4): the KEEPREF | DELREF | ACKED options, where the 8.2 command pages place them (content/commands/xadd.md, xtrim.md syntax)';

/** Commands and subcommands that exist in 7.2 but not in 7.0: checked against 7.2's values instead. */
export const NEW_IN_72: ReadonlyMap<string, NewIn72> = new Map([
  [
    'client|setinfo',
    {
      why: 'CLIENT SETINFO, added in 7.2.0 (CLIENT_SETINFO in 7.2 commands.def)',
      fields: {
        ...connectionCommand,
        arity: '4',
        flags: '+noscript +loading +stale',
        tips: '"request_policy:all_nodes" "response_policy:all_succeeded"',
        'docs.arguments': 'attr{type="oneof"}(libname{type="string" token="LIB-NAME"} libver{type="string" token="LIB-VER"})',
      },
    },
  ],
  [
    'client|no-touch',
    {
      why: 'CLIENT NO-TOUCH, added in 7.2.0 (CLIENT_NO_TOUCH in 7.2 commands.def)',
      fields: {
        ...connectionCommand,
        arity: '3',
        flags: '+noscript +loading +stale',
        tips: '(none)',
        'docs.arguments': 'enabled{type="oneof"}(on{type="pure-token" token="ON"} off{type="pure-token" token="OFF"})',
      },
    },
  ],
  [
    'waitaof',
    {
      why: 'WAITAOF, added in 7.2.0 (WAITAOF in 7.2 commands.def, from waitaof.json: NOSCRIPT like WAIT, @connection)',
      fields: {
        arity: '4',
        flags: '+noscript',
        'first/last/step': '0 0 0',
        acl: '+@slow +@connection',
        tips: '"request_policy:all_shards" "response_policy:agg_min"',
        keyspecs: '(none)',
        'docs.group': 'generic',
        'docs.since': '7.2.0',
        'docs.arguments': 'numlocal{type="integer"} numreplicas{type="integer"} timeout{type="integer"}',
      },
    },
  ],
  [
    'lmovem',
    {
      why: 'LMOVEM, added in 8.10.0 and named in issue #5 (src/commands/lmovem.json of Redis 8.10)',
      fields: {
        ...moveManyCommand,
        arity: '-5',
        flags: '+write +denyoom',
        acl: '+@write +@list +@slow',
        'docs.arguments': `${MOVE_ENDS} ${HOW_MANY}`,
      },
    },
  ],
  [
    'xdelex',
    {
      why: 'XDELEX, added in 8.2.0 and named in issue #4 (the command page of Redis 8.2: content/commands/xdelex.md)',
      fields: {
        arity: '-5',
        flags: '+write +fast',
        'first/last/step': '1 1 1',
        acl: '+@write +@stream +@fast',
        tips: '(none)',
        keyspecs: '{"flags": ~[+RW, +delete], "begin_search": {"type": "index", "spec": {"index": :1}}, "find_keys": {"type": "range", "spec": {"lastkey": :0, "keystep": :1, "limit": :0}}}',
        'docs.group': 'stream',
        'docs.since': '8.2.0',
        'docs.arguments':
          'key{type="key" key_spec_index=:0} condition{type="oneof" flags=~[+optional]}(keepref{type="pure-token" token="KEEPREF"} delref{type="pure-token" token="DELREF"} acked{type="pure-token" token="ACKED"}) ids{type="block" token="IDS"}(numids{type="integer"} id{type="string" flags=~[+multiple]})',
      },
    },
  ],
  [
    'xackdel',
    {
      why: 'XACKDEL, added in 8.2.0 and named in issue #4 (src/commands/xackdel.json of Redis 8.2 and content/commands/xackdel.md)',
      fields: {
        arity: '-6',
        flags: '+write +fast',
        'first/last/step': '1 1 1',
        acl: '+@write +@stream +@fast',
        tips: '(none)',
        keyspecs: '{"flags": ~[+RW, +update, +delete], "begin_search": {"type": "index", "spec": {"index": :1}}, "find_keys": {"type": "range", "spec": {"lastkey": :0, "keystep": :1, "limit": :0}}}',
        'docs.group': 'stream',
        'docs.since': '8.2.0',
        'docs.arguments':
          'key{type="key" key_spec_index=:0} group{type="string"} condition{type="oneof" flags=~[+optional]}(keepref{type="pure-token" token="KEEPREF"} delref{type="pure-token" token="DELREF"} acked{type="pure-token" token="ACKED"}) ids{type="block" token="IDS"}(numids{type="integer"} id{type="string" flags=~[+multiple]})',
      },
    },
  ],
  [
    'xcfgset',
    {
      why: 'XCFGSET, added in 8.6.0 and named in issue #4 (src/commands/xcfgset.json of Redis 8.6)',
      fields: {
        arity: '-2',
        flags: '+write +fast',
        'first/last/step': '1 1 1',
        acl: '+@write +@stream +@fast',
        tips: '(none)',
        keyspecs: '{"flags": ~[+RW, +update], "begin_search": {"type": "index", "spec": {"index": :1}}, "find_keys": {"type": "range", "spec": {"lastkey": :0, "keystep": :1, "limit": :0}}}',
        'docs.group': 'stream',
        'docs.since': '8.6.0',
        'docs.arguments':
          'key{type="key" key_spec_index=:0} idmp-duration-block{type="block" flags=~[+optional]}(idmp-duration-token{type="pure-token" token="IDMP-DURATION"} duration{type="integer"}) idmp-maxsize-block{type="block" flags=~[+optional]}(idmp-maxsize-token{type="pure-token" token="IDMP-MAXSIZE"} maxsize{type="integer"})',
      },
    },
  ],
  [
    'xnack',
    {
      why: 'XNACK, added in 8.8.0 and named in issue #4 (the command page of Redis 8.8: content/commands/xnack.md, its JSON metadata)',
      fields: {
        arity: '-7',
        flags: '+write +fast',
        'first/last/step': '1 1 1',
        acl: '+@write +@stream +@fast',
        tips: '(none)',
        keyspecs: '{"flags": ~[+RW, +update], "begin_search": {"type": "index", "spec": {"index": :1}}, "find_keys": {"type": "range", "spec": {"lastkey": :0, "keystep": :1, "limit": :0}}}',
        'docs.group': 'stream',
        'docs.since': '8.8.0',
        'docs.arguments':
          'key{type="key" key_spec_index=:0} group{type="string"} mode{type="oneof"}(silent{type="pure-token" token="SILENT"} fail{type="pure-token" token="FAIL"} fatal{type="pure-token" token="FATAL"}) ids{type="block" token="IDS"}(numids{type="integer"} id{type="string" flags=~[+multiple]}) count{type="integer" token="RETRYCOUNT" flags=~[+optional]} force{type="pure-token" token="FORCE" flags=~[+optional]}',
      },
    },
  ],
  [
    'blmovem',
    {
      why: 'BLMOVEM, added in 8.10.0 and named in issue #5 (src/commands/blmovem.json of Redis 8.10)',
      fields: {
        ...moveManyCommand,
        arity: '-6',
        flags: '+write +denyoom +blocking',
        acl: '+@write +@list +@slow +@blocking',
        'docs.arguments': `${MOVE_ENDS} timeout{type="double"} ${HOW_MANY}`,
      },
    },
  ],
]);

/** One field whose value changed between 7.0 and 7.2; values are written as the table test renders them. */
export interface ChangedIn72 {
  readonly command: string;
  readonly field: string;
  readonly redis70: string;
  readonly redis72: string;
  readonly why: string;
}

export const CHANGED_IN_72: readonly ChangedIn72[] = [
  // 7.2 lets GETKEYS inspect a command given with no arguments (COMMAND GETKEYS <cmd>): arity -3.
  { command: 'command|getkeys', field: 'arity', redis70: '-4', redis72: '-3', why: 'command-getkeys.json arity -3 in 7.2' },
  { command: 'command|getkeysandflags', field: 'arity', redis70: '-4', redis72: '-3', why: 'command-getkeysandflags.json arity -3 in 7.2' },
  // 7.0's JSON declared no arguments for these; 7.2 documents "command" and "arg".
  {
    command: 'command|getkeys',
    field: 'docs.arguments',
    redis70: '(none)',
    redis72: 'command{type="string"} arg{type="string" flags=~[+optional, +multiple]}',
    why: 'COMMAND_GETKEYS_Args in 7.2 commands.def',
  },
  {
    command: 'command|getkeysandflags',
    field: 'docs.arguments',
    redis70: '(none)',
    redis72: 'command{type="string"} arg{type="string" flags=~[+optional, +multiple]}',
    why: 'COMMAND_GETKEYSANDFLAGS_Args in 7.2 commands.def',
  },
  // 7.2 adds lib-name and lib-ver to CLIENT LIST lines (and its history says so).
  {
    command: 'client|list',
    field: 'docs.history',
    redis70: '2.8.12 5.0.0 6.0.0 6.2.0 7.0.0 7.0.3',
    redis72: '2.8.12 5.0.0 6.0.0 6.2.0 7.0.0 7.0.3 7.2.0',
    why: 'CLIENT LIST history 7.2.0: Added lib-name and lib-ver fields',
  },
  // 7.2 adds XINFO CONSUMERS' inactive field and XINFO STREAM FULL's active-time (and their history says so).
  {
    command: 'xinfo|consumers',
    field: 'docs.history',
    redis70: '(none)',
    redis72: '7.2.0',
    why: 'XINFO CONSUMERS history 7.2.0: Added the `inactive` field, and changed the meaning of `idle`',
  },
  {
    command: 'xinfo|stream',
    field: 'docs.history',
    redis70: '6.0.0 7.0.0',
    redis72: '6.0.0 7.0.0 7.2.0',
    why: 'XINFO STREAM history 7.2.0: Added the `active-time` field, and changed the meaning of `seen-time`',
  },
  // QUIT is deprecated in 7.2 (clients should just close the connection).
  { command: 'quit', field: 'docs.doc_flags', redis70: '(none)', redis72: '+deprecated', why: 'QUIT: CMD_DOC_DEPRECATED in 7.2 commands.def' },
  { command: 'quit', field: 'docs.deprecated_since', redis70: '(none)', redis72: '7.2.0', why: 'QUIT deprecated_since 7.2.0' },
  { command: 'quit', field: 'docs.replaced_by', redis70: '(none)', redis72: 'just closing the connection', why: 'QUIT replaced_by in 7.2' },
  {
    command: 'xadd',
    field: 'docs.arguments',
    redis70: `${XADD_KEY} ${XADD_REST}`,
    redis72: `${XADD_KEY} ${REF_POLICY} ${IDMP_ARGS} ${XADD_REST}`,
    why: `${REF_POLICY_WHY}; Redis 8.6's IDMPAUTO pid | IDMP pid iid after them (the 8.6 command page, redis/docs#2637)`,
  },
  {
    command: 'xreadgroup',
    field: 'docs.arguments',
    redis70: `${XREADGROUP_HEAD} ${XREADGROUP_TAIL}`,
    redis72: `${XREADGROUP_HEAD} ${CLAIM_ARG} ${XREADGROUP_TAIL}`,
    why: "Redis 8.4 (issue #4): CLAIM min-idle-time, after BLOCK, since 8.4.0 (redis.io's XREADGROUP page metadata; src/commands/xreadgroup.json)",
  },
  {
    command: 'xreadgroup',
    field: 'docs.history',
    redis70: '(none)',
    redis72: '8.4.0',
    why: 'Redis 8.4 (issue #4): history "Added the `CLAIM` option." (src/commands/xreadgroup.json)',
  },
  { command: 'xtrim', field: 'docs.arguments', redis70: XTRIM_ARGS, redis72: `${XTRIM_ARGS} ${REF_POLICY}`, why: REF_POLICY_WHY },
];

/** Whether a difference (ours vs the installed Redis) is a known 7.0 → 7.2 change with ours at 7.2's value. */
export function isKnown72Change(command: string, field: string, ours: string, redis: string): boolean {
  return CHANGED_IN_72.some((c) => c.command === command && c.field === field && c.redis70 === redis && c.redis72 === ours);
}

/** Fields of a command known to differ between 7.0 and 7.2 (for tests that cannot compare values). */
export function changedFields(command: string): string[] {
  return CHANGED_IN_72.filter((c) => c.command === command).map((c) => c.field);
}

/**
 * Redis 7.2 closes every HELP reply with "Print this help."; 7.0 (the installed server) says
 * "Prints this help.". Differential steps on HELP replies compare through this mask.
 */
export function helpAs72(reply: Buffer): string {
  return reply.toString('latin1').replace('+    Prints this help.\r\n', '+    Print this help.\r\n');
}

/**
 * Behaviour (not command descriptions) where Redis 7.2 differs from the installed 7.0. Differential
 * tests leave these cases out of their scripts; the test named checks 7.2's behaviour on Sluice.
 */
export const BEHAVIOUR_CHANGED_IN_72: ReadonlyArray<{ readonly command: string; readonly change: string; readonly why: string; readonly test: string }> = [
  {
    command: 'wait',
    change: 'a CLIENT REPLY SKIP covering a WAIT that blocks drops its reply also when replica acknowledgments end the wait (7.0.15 sends that reply; a WAIT answered at once, timed out or ended by CLIENT UNBLOCK is skipped by both)',
    why: "7.2's blocking rework writes WAIT's reply before unblockClient resets the client, so the SKIP still covers it; 7.0 reset the client (ending the SKIP) first. Issue 5 asks for 7.2's behaviour",
    test: 'test/connection/client-reply.test.ts',
  },
  {
    command: 'xsetid',
    change: 'an ID below the stream\'s max deleted entry ID is refused: "ERR The ID specified in XSETID is smaller than current max_deleted_entry_id"',
    why: 'redis/redis#11444 (merged for 7.2, not backported to 7.0)',
    test: 'test/stream/delete-trim-read.test.ts',
  },
  {
    command: 'xread',
    change: "the unbalanced keys/IDs error names the command in quotes: \"ERR Unbalanced 'xread' list of streams: ...\" (7.0: \"Unbalanced XREAD list\")",
    why: 'redis/redis#11799 and #12238 (7.2)',
    test: 'test/stream/delete-trim-read.test.ts',
  },
  {
    command: 'xread',
    change: 'BLOCK with a timeout that overflows when added to now: "ERR timeout is out of range" (7.0 went on)',
    why: "7.2's getTimeoutFromObjectOrReply checks tval > LLONG_MAX - now",
    test: 'test/stream/delete-trim-read.test.ts',
  },
  {
    command: 'xreadgroup',
    change: 'the consumer is created (and seen) even when nothing is delivered, also before blocking; XCLAIM and XAUTOCLAIM create it even when they claim nothing',
    why: 'Redis 7.2 consumer active-time work (XINFO STREAM/CONSUMERS history 7.2.0); Redis 7.2 source creates the consumer before serving',
    test: 'test/stream/groups-72.test.ts',
  },
  {
    command: 'xinfo|consumers',
    change: 'four fields: idle is the time since the consumer was last seen (any attempt), inactive the time since it last got entries (-1 never); 7.0 had name, pending, idle',
    why: 'XINFO history 7.2.0 (Added the inactive / active-time field)',
    test: 'test/stream/groups-72.test.ts (differential steps drop inactive and mask idle)',
  },
  {
    command: 'xinfo|stream',
    change:
      'Redis 8.6 (issue #4): after recorded-first-entry-id, idmp-duration, idmp-maxsize, pids-tracked, iids-tracked, iids-added, iids-duplicates (XADD IDMP / IDMPAUTO)',
    why: "Redis 8.6's xinfoReplyWithStreamInfo (16 fields, 15 with FULL)",
    test: 'test/stream/idmp.test.ts (differential steps drop them: group-masks.ts IDMP_INFO_FIELDS)',
  },
  {
    command: 'xinfo|stream',
    change: 'FULL shows each consumer\'s active-time after seen-time',
    why: 'XINFO history 7.2.0 (Added the inactive / active-time field)',
    test: 'test/stream/groups-72.test.ts (differential steps drop active-time)',
  },
  {
    command: 'xreadgroup',
    change: "the unbalanced keys/IDs error names the command and '>': \"ERR Unbalanced 'xreadgroup' list of streams: ... an ID or '>' must be specified.\"",
    why: 'redis/redis#11799 and #12238 (7.2)',
    test: 'test/stream/groups-72.test.ts (differential steps compare through unbalancedAs72)',
  },
  {
    command: 'xreadgroup',
    change: 'a consumer blocked on a group is woken by DEL of the key, XGROUP DESTROY or a type change and answers the error a new run of the command gives (NOGROUP ... in XREADGROUP with GROUP option, WRONGTYPE)',
    why: '7.2 re-runs blocked commands (unblock_on_nokey for XREADGROUP)',
    test: 'test/stream/groups-block.test.ts',
  },
];

/**
 * ACL wording that changed in Redis 7.2 (acl.c getAclErrorMessage): refusals name the user.
 *   7.0: -NOPERM this user has no permissions to run the 'get' command
 *   7.2: -NOPERM User alice has no permissions to run the 'get' command
 *   7.0: -NOPERM this user has no permissions to access one of the keys used as arguments
 *   7.2: -NOPERM No permissions to access a key          (and "... a channel" for channels)
 * ACL DRYRUN's verbose texts likewise: "User alice has no permissions to access the 'k' key".
 * 7.2 also keeps a user's command rules in the order given (selector command_rules) where 7.0
 * rebuilt them from the command bitmap; ACL differential tests use rule sets both describe alike.
 * This mask rewrites a 7.0 reply for a refusal of `user` into 7.2's words.
 */
export function nopermAs72(user: string): (reply: Buffer) => string {
  return (reply) =>
    reply
      .toString('latin1')
      .replace(/this user has no permissions to run the '([^']*)' command/i, `User ${user} has no permissions to run the '$1' command`)
      .replace(/this user has no permissions to access the '([^']*)' (key|channel)/i, `User ${user} has no permissions to access the '$1' $2`)
      .replace('NOPERM this user has no permissions to access one of the keys used as arguments', 'NOPERM No permissions to access a key')
      .replace('NOPERM this user has no permissions to access one of the channels used as arguments', 'NOPERM No permissions to access a channel')
      // A rewritten bulk string gets its new length.
      .replace(/^\$\d+\r\n(.*)\r\n$/s, (_m, body: string) => `$${Buffer.byteLength(body, 'latin1')}\r\n${body}\r\n`);
}

/**
 * Redis 7.2 names the command and its special ID in XREADGROUP's unbalanced-streams error (redis
 * PR #11799): "Unbalanced 'xreadgroup' list of streams: ... an ID or '>' must be specified."; 7.0
 * says "Unbalanced XREAD list of streams: ... an ID or '$' must be specified.". Differential
 * steps compare through this mask.
 */
export function unbalancedAs72(reply: Buffer): string {
  return reply
    .toString('latin1')
    .replace("Unbalanced XREAD list of streams: for each stream key an ID or '$'", "Unbalanced 'xreadgroup' list of streams: for each stream key an ID or '>'");
}
