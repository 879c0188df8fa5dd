// Consumer groups against real Redis, byte for byte, in RESP2 and RESP3: XGROUP (every subcommand
// and error path), XREADGROUP (`>`, COUNT, NOACK, history, many streams, a key named twice, every
// error in Redis's order), XACK, XPENDING (summary and pages, IDLE, consumer, exclusive bounds),
// XCLAIM (IDLE, TIME, RETRYCOUNT, FORCE, JUSTID, LASTID), XAUTOCLAIM (cursor, COUNT, JUSTID) and
// XINFO STREAM [FULL [COUNT]] / GROUPS / CONSUMERS.
//
// Times the servers read from their own clocks (idle, seen-time) are masked; delivery times are
// pinned with XCLAIM TIME where a reply shows them. Where Redis 7.2 answers differently from the
// installed 7.0 (XINFO CONSUMERS' inactive, XINFO STREAM FULL's active-time, HELP's last line) the
// comparison drops or rewrites exactly that, and test/stream/groups-72.test.ts checks 7.2's form.

import t from 'tap';
import { helpAs72, unbalancedAs72 } from '../command/redis72';
import { DiffPair, redisSkip, type Step } from '../support/differential';
import { consumersInfo, fullInfo, pendingPage, streamInfo } from './group-masks';

const step = (cmd: string[], mask: (reply: Buffer) => string): Step => ({ cmd, mask });

const xgroup: Step[] = [
  ['XADD', 's', '1-1', 'f', 'v'],
  ['XADD', 's', '1-2', 'f', 'v'],
  ['XADD', 's', '2-1', 'a', 'b'],
  ['XGROUP', 'CREATE', 's', 'g', '0'],
  ['XGROUP', 'CREATE', 's', 'g', '0'],
  ['XGROUP', 'create', 's', 'g2', '$'],
  ['XGROUP', 'CREATE', 's', 'g3', '1'],
  ['XGROUP', 'CREATE', 's', 'g4', '1-1', 'ENTRIESREAD', '1'],
  ['XGROUP', 'CREATE', 's', 'g5', '1-1', 'entriesread', '-1', 'MKSTREAM'],
  ['XGROUP', 'CREATE', 's', 'g6', '0', 'ENTRIESREAD', '-2'],
  ['XGROUP', 'CREATE', 's', 'g6', '0', 'ENTRIESREAD', 'x'],
  ['XGROUP', 'CREATE', 's', 'g6', '0', 'ENTRIESREAD'],
  ['XGROUP', 'CREATE', 's', 'g6', '0', 'ENTRIESREAD', '99999999999999999999'],
  ['XGROUP', 'CREATE', 's', 'g6', '0', 'MKSTREAM', 'MKSTREAM', 'MKSTREAM', 'MKSTREAM'],
  ['XGROUP', 'CREATE', 's', 'g6', '0', 'foo'],
  ['XGROUP', 'CREATE', 's', 'g6', '-'],
  ['XGROUP', 'CREATE', 's', 'g6', '+'],
  ['XGROUP', 'CREATE', 's', 'g6', 'x'],
  ['XGROUP', 'CREATE', 's', 'g6', '>'],
  ['XGROUP', 'CREATE', 's', 'g6', '18446744073709551615-18446744073709551615'],
  ['XGROUP', 'CREATE', 'missing', 'g', '$'],
  ['XGROUP', 'CREATE', 'missing', 'g', 'x', 'MKSTREAM'],
  ['EXISTS', 'missing'],
  ['XGROUP', 'CREATE', 'missing', 'g', '$', 'MKSTREAM'],
  ['TYPE', 'missing'],
  ['XLEN', 'missing'],
  ['XGROUP', 'CREATE', 'missing', 'g', '$', 'MKSTREAM'],
  ['XGROUP', 'CREATE', 'm2', 'g', '5-5', 'MKSTREAM', 'ENTRIESREAD', '3'],
  ['XINFO', 'GROUPS', 'm2'],
  ['XINFO', 'GROUPS', 's'],
  ['XGROUP', 'SETID', 's', 'g', '1-2'],
  ['XGROUP', 'SETID', 's', 'g', '$', 'ENTRIESREAD', '3'],
  ['XGROUP', 'SETID', 's', 'g2', '-'],
  ['XGROUP', 'SETID', 's', 'g3', '+'],
  ['XGROUP', 'SETID', 's', 'g4', '1'],
  ['XGROUP', 'SETID', 's', 'g4', '(1'],
  ['XGROUP', 'SETID', 's', 'g4', '0', 'ENTRIESREAD', '-3'],
  ['XGROUP', 'SETID', 's', 'g4', '0', 'MKSTREAM'],
  ['XGROUP', 'SETID', 's', 'g4', '0', 'ENTRIESREAD', '1', 'ENTRIESREAD'],
  ['XGROUP', 'SETID', 's', 'g4', '0', 'ENTRIESREAD', '1', 'ENTRIESREAD', '2'],
  ['XGROUP', 'SETID', 's', 'nogroup', '0'],
  ['XGROUP', 'SETID', 'missing2', 'g', '0'],
  ['XINFO', 'GROUPS', 's'],
  ['XGROUP', 'CREATECONSUMER', 's', 'g', 'alice'],
  ['XGROUP', 'CREATECONSUMER', 's', 'g', 'alice'],
  ['XGROUP', 'CREATECONSUMER', 's', 'g', 'bob'],
  ['XGROUP', 'CREATECONSUMER', 's', 'nogroup', 'bob'],
  ['XGROUP', 'CREATECONSUMER', 'missing2', 'g', 'bob'],
  ['XGROUP', 'CREATECONSUMER', 's', 'g'],
  ['XGROUP', 'CREATECONSUMER', 's', 'g', 'a', 'b'],
  step(['XINFO', 'CONSUMERS', 's', 'g'], consumersInfo),
  ['XGROUP', 'DELCONSUMER', 's', 'g', 'nobody'],
  ['XGROUP', 'DELCONSUMER', 's', 'g', 'bob'],
  ['XGROUP', 'DELCONSUMER', 's', 'nogroup', 'bob'],
  step(['XINFO', 'CONSUMERS', 's', 'g'], consumersInfo),
  ['XGROUP', 'DESTROY', 's', 'g2'],
  ['XGROUP', 'DESTROY', 's', 'g2'],
  ['XGROUP', 'DESTROY', 'missing2', 'g2'],
  ['XGROUP', 'DESTROY', 's'],
  ['XGROUP', 'DESTROY', 's', 'g', 'x'],
  ['XINFO', 'GROUPS', 's'],
  ['XGROUP', 'FOO', 's', 'g'],
  ['XGROUP'],
  ['XGROUP', 'CREATE', 's', 'g'],
  ['XGROUP', 'SETID', 's', 'g'],
  step(['XGROUP', 'HELP'], helpAs72),
  ['XGROUP', 'HELP', 'x'],
  ['SET', 'str', 'x'],
  ['XGROUP', 'CREATE', 'str', 'g', '0'],
  ['XGROUP', 'CREATE', 'str', 'g', '0', 'MKSTREAM'],
  ['XGROUP', 'SETID', 'str', 'g', '0'],
  ['XGROUP', 'CREATE', 'str', 'g', '0', 'bad'],
  ['XGROUP', 'CREATE', 's', Buffer.from('g\0x'), '0'],
  ['XGROUP', 'SETID', 's', Buffer.from('n\0x'), '0'],
  ['XGROUP', 'SETID', Buffer.from('s\0x'), 'g', '0'],
  ['XGROUP', 'CREATECONSUMER', 's', 'g\r\nx', 'c'],
  ['XINFO', 'GROUPS', 's'],
];

const xreadgroup: Step[] = [
  ['XADD', 's', '1-1', 'f', 'v'],
  ['XADD', 's', '1-2', 'f', 'v', 'g', 'w'],
  ['XADD', 's', '2-1', 'a', 'b'],
  ['XADD', 't', '5-0', 'x', 'y'],
  ['XGROUP', 'CREATE', 's', 'g', '0'],
  ['XGROUP', 'CREATE', 't', 'g', '0'],
  ['XGROUP', 'CREATE', 'e', 'g', '$', 'MKSTREAM'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', '1', 'STREAMS', 's', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', 't', '>', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', 't', '>', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 'e', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', '2', 'STREAMS', 's', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '1-1'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '1'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '2-1'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', 't', '0', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 's', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 'e', '0'],
  ['XADD', 's', '3-1', 'n', '1'],
  ['XADD', 's', '3-2', 'n', '2'],
  ['XADD', 's', '3-3', 'n', '3'],
  ['XREADGROUP', 'GROUP', 'g', 'c2', 'NOACK', 'COUNT', '1', 'STREAMS', 's', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 's', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'c2', 'COUNT', '1', 'STREAMS', 's', 's', '>', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c2', 'COUNT', '-5', 'STREAMS', 's', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 's', '0'],
  ['XPENDING', 's', 'g'],
  ['XINFO', 'GROUPS', 's'],
  step(['XINFO', 'CONSUMERS', 's', 'g'], consumersInfo),
  // (7.2 creates c3 here though nothing is new; 7.0 does not: see groups-72.test.ts)
  ['XREADGROUP', 'GROUP', 'g', 'c3', 'STREAMS', 's', '>'],
  // moving the group back hands delivered entries to whoever reads them next, count 1
  ['XGROUP', 'SETID', 's', 'g', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'c3', 'COUNT', '2', 'STREAMS', 's', '>'],
  ['XPENDING', 's', 'g'],
  step(['XPENDING', 's', 'g', '-', '+', '10'], pendingPage),
  ['XINFO', 'GROUPS', 's'],
  ['XGROUP', 'SETID', 's', 'g', '1-2', 'ENTRIESREAD', '2'],
  ['XREADGROUP', 'GROUP', 'g', 'c3', 'STREAMS', 's', '>'],
  ['XINFO', 'GROUPS', 's'],
  // errors, in Redis's order
  step(['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's'], unbalancedAs72),
  step(['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', 't', '>'], unbalancedAs72),
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', 'x', 'STREAMS', 's', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'BLOCK', 'x', 'STREAMS', 's', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'BLOCK', '-1', 'STREAMS', 's', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'FOO', 'STREAMS', 's', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'STREAMS', 's', '>'],
  ['XREADGROUP', 'COUNT', '1', 'STREAMS', 's', '>', 'x', 'y'],
  ['XREADGROUP', 'COUNT', '1', 'NOACK', 'STREAMS', 's', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', '1', 'NOACK', 'x'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '$'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '+'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '-'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', 'x'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '(1'],
  ['XREADGROUP', 'GROUP', 'nogroup', 'c1', 'STREAMS', 's', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 'missing', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', 'missing', 'x', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 'missing', 's', '>', 'x'],
  ['SET', 'str', 'x'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 'str', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', 'str', '>', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 'missing', 'str', '>', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '18446744073709551615-18446744073709551615'],
  ['XREADGROUP', 'GROUP', 'g', 'c9', 'BLOCK', '100', 'STREAMS', 's', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'c9', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 's', 's', '0', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 'STREAMS', 's', '>', '>'],
  ['XREADGROUP', 'GROUP', 'g', Buffer.from('bin\0ary\xff'), 'STREAMS', 's', '0'],
  ['XREADGROUP', 'GROUP', Buffer.from('n\0o'), 'c1', 'STREAMS', 's', '>'],
  step(['XINFO', 'CONSUMERS', 's', 'g'], consumersInfo),
  ['XINFO', 'GROUPS', 's'],
];

const ackAndPending: Step[] = [
  ['XADD', 's', '1-1', 'f', '1'],
  ['XADD', 's', '1-2', 'f', '2'],
  ['XADD', 's', '2-1', 'f', '3'],
  ['XADD', 's', '2-2', 'f', '4'],
  ['XADD', 's', '3-0', 'f', '5'],
  ['XGROUP', 'CREATE', 's', 'g', '0'],
  ['XPENDING', 's', 'g'],
  ['XPENDING', 's', 'g', '-', '+', '10'],
  ['XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '2', 'STREAMS', 's', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'carol', 'STREAMS', 's', '>'],
  ['XPENDING', 's', 'g'],
  step(['XPENDING', 's', 'g', '-', '+', '10'], pendingPage),
  step(['XPENDING', 's', 'g', '-', '+', '2'], pendingPage),
  step(['XPENDING', 's', 'g', '(1-2', '+', '10'], pendingPage),
  step(['XPENDING', 's', 'g', '-', '(2-2', '10'], pendingPage),
  step(['XPENDING', 's', 'g', '2', '2', '10'], pendingPage),
  step(['XPENDING', 's', 'g', '1-2', '2-1', '10', 'alice'], pendingPage),
  step(['XPENDING', 's', 'g', '-', '+', '10', 'bob'], pendingPage),
  step(['XPENDING', 's', 'g', '-', '+', '10', 'bob', 'ignored'], pendingPage),
  ['XPENDING', 's', 'g', '-', '+', '10', 'nobody'],
  ['XPENDING', 's', 'g', '-', '+', '0'],
  ['XPENDING', 's', 'g', '-', '+', '-1'],
  ['XPENDING', 's', 'g', 'IDLE', '3600000', '-', '+', '10'],
  step(['XPENDING', 's', 'g', 'IDLE', '0', '-', '+', '10'], pendingPage),
  step(['XPENDING', 's', 'g', 'idle', '-5', '-', '+', '10', 'carol'], pendingPage),
  ['XPENDING', 's', 'g', 'IDLE', '3600000', '-', '+', '10', 'carol'],
  ['XPENDING', 's', 'g', '+', '-', '10'],
  // errors: syntax first, then the range, then the key and group
  ['XPENDING', 's', 'g', '-'],
  ['XPENDING', 's', 'g', '-', '+'],
  ['XPENDING', 's', 'g', '-', '+', '10', 'a', 'b', 'c'],
  ['XPENDING', 's', 'g', 'IDLE', '10', '-', '+'],
  ['XPENDING', 's', 'g', 'IDLE', 'x', '-', '+', '10'],
  ['XPENDING', 's', 'g', '-', '+', 'x'],
  ['XPENDING', 's', 'g', 'x', '+', '10'],
  ['XPENDING', 's', 'g', '-', 'x', '10'],
  ['XPENDING', 's', 'g', '(18446744073709551615-18446744073709551615', '+', '10'],
  ['XPENDING', 's', 'g', '-', '(0-0', '10'],
  ['XPENDING', 's', 'g', '(-', '+', '10'],
  ['XPENDING', 'missing', 'g', 'x', '+', '10'],
  ['XPENDING', 'missing', 'g'],
  ['XPENDING', 's', 'nogroup'],
  ['XPENDING', 's', 'nogroup', '-', '+', '10'],
  ['SET', 'str', 'x'],
  ['XPENDING', 'str', 'g'],
  ['XPENDING', 'str', 'g', 'x', '+', '10'],
  // XACK
  ['XACK', 's', 'g', '1-1'],
  ['XACK', 's', 'g', '1-1'],
  ['XACK', 's', 'g', '1-2', '1-2', '9-9', '2-1'],
  ['XACK', 's', 'g', '2-2', 'x'],
  ['XACK', 's', 'g', '2-2', '-'],
  ['XACK', 's', 'g', '2'],
  ['XACK', 's', 'nogroup', 'x'],
  ['XACK', 'missing', 'g', 'x'],
  ['XACK', 'str', 'g', '1-1'],
  ['XACK', 's', 'g'],
  ['XPENDING', 's', 'g'],
  step(['XPENDING', 's', 'g', '-', '+', '10'], pendingPage),
  ['XINFO', 'GROUPS', 's'],
  step(['XINFO', 'CONSUMERS', 's', 'g'], consumersInfo),
  ['XACK', 's', 'g', '3-0'],
  ['XPENDING', 's', 'g'],
  step(['XINFO', 'CONSUMERS', 's', 'g'], consumersInfo),
];

const claims: Step[] = [
  ['XADD', 's', '1-1', 'f', '1'],
  ['XADD', 's', '1-2', 'f', '2'],
  ['XADD', 's', '2-1', 'f', '3'],
  ['XADD', 's', '2-2', 'f', '4'],
  ['XADD', 's', '3-0', 'f', '5'],
  ['XGROUP', 'CREATE', 's', 'g', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '3', 'STREAMS', 's', '>'],
  ['XCLAIM', 's', 'g', 'alice', '3600000', '1-1'],
  ['XCLAIM', 's', 'g', 'alice', '0', '1-1', 'TIME', '1000000000000'],
  ['XCLAIM', 's', 'g', 'alice', '0', '1-2', 'JUSTID', 'TIME', '1000000000001'],
  ['XCLAIM', 's', 'g', 'alice', '0', '2-1', '9-9', 'RETRYCOUNT', '7', 'TIME', '1000000000002'],
  ['XCLAIM', 's', 'g', 'alice', '0', '2-2', 'TIME', '1000000000003'],
  ['XCLAIM', 's', 'g', 'alice', '0', '2-2', 'FORCE', 'TIME', '1000000000003'],
  ['XCLAIM', 's', 'g', 'alice', '0', '3-0', 'FORCE', 'JUSTID', 'TIME', '1000000000004'],
  ['XCLAIM', 's', 'g', 'alice', '0', '9-9', 'FORCE'],
  ['XPENDING', 's', 'g'],
  step(['XINFO', 'STREAM', 's', 'FULL'], fullInfo),
  ['XCLAIM', 's', 'g', 'carol', '0', '1-1', '1-1', 'TIME', '1000000000005'],
  ['XCLAIM', 's', 'g', 'carol', '0', '1-2', 'RETRYCOUNT', '0', 'JUSTID', 'TIME', '1000000000006'],
  ['XCLAIM', 's', 'g', 'carol', '0', '2-1', 'IDLE', '5000', 'JUSTID'],
  step(['XPENDING', 's', 'g', '-', '+', '10'], pendingPage),
  ['XCLAIM', 's', 'g', 'carol', '0', '2-1', 'TIME', '99999999999999', 'JUSTID'],
  ['XCLAIM', 's', 'g', 'carol', '0', '2-1', 'IDLE', '-5', 'JUSTID'],
  ['XCLAIM', 's', 'g', 'carol', '0', '2-1', 'TIME', '-5', 'RETRYCOUNT', '-5', 'JUSTID'],
  step(['XPENDING', 's', 'g', '-', '+', '10'], pendingPage),
  ['XCLAIM', 's', 'g', 'carol', '-100', '2-1', 'JUSTID', 'TIME', '1000000000007'],
  ['XCLAIM', 's', 'g', 'carol', '0', '2-1', 'LASTID', '5-0', 'JUSTID', 'TIME', '1000000000008'],
  ['XINFO', 'GROUPS', 's'],
  ['XCLAIM', 's', 'g', 'carol', '0', '2-1', 'LASTID', '1-0', 'JUSTID', 'TIME', '1000000000009'],
  ['XINFO', 'GROUPS', 's'],
  step(['XINFO', 'STREAM', 's', 'FULL'], fullInfo),
  step(['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '1'], fullInfo),
  step(['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '0'], fullInfo),
  step(['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '-3'], fullInfo),
  // XCLAIM errors, in Redis's order
  ['XCLAIM', 's', 'g', 'carol', 'x', '1-1'],
  ['XCLAIM', 's', 'g', 'carol', '0', '1-1', 'IDLE', 'x'],
  ['XCLAIM', 's', 'g', 'carol', '0', '1-1', 'TIME', 'x'],
  ['XCLAIM', 's', 'g', 'carol', '0', '1-1', 'RETRYCOUNT', 'x'],
  ['XCLAIM', 's', 'g', 'carol', '0', '1-1', 'LASTID', 'x'],
  ['XCLAIM', 's', 'g', 'carol', '0', '1-1', 'IDLE'],
  ['XCLAIM', 's', 'g', 'carol', '0', '1-1', 'BOGUS'],
  ['XCLAIM', 's', 'g', 'carol', '0', '1-1', 'JUSTID', '2-1'],
  ['XCLAIM', 's', 'g', 'carol', '0', 'x', '1-1'],
  ['XCLAIM', 's', 'nogroup', 'carol', 'x', '1-1'],
  ['XCLAIM', 'missing', 'g', 'carol', 'x', '1-1'],
  ['SET', 'str', 'x'],
  ['XCLAIM', 'str', 'g', 'carol', 'x', '1-1'],
  ['XCLAIM', 's', 'g', 'carol', '0'],
  ['XPENDING', 's', 'g'],
  // XAUTOCLAIM
  ['XAUTOCLAIM', 's', 'g', 'dave', '0', '0', 'COUNT', '2'],
  ['XAUTOCLAIM', 's', 'g', 'dave', '0', '(1-2', 'COUNT', '2', 'JUSTID'],
  ['XAUTOCLAIM', 's', 'g', 'dave', '0', '3-0'],
  ['XAUTOCLAIM', 's', 'g', 'dave', '0', '-', 'JUSTID'],
  ['XAUTOCLAIM', 's', 'g', 'dave', '3600000', '-'],
  ['XAUTOCLAIM', 's', 'g', 'erin', '3600000000', '-', 'COUNT', '1'],
  ['XAUTOCLAIM', 's', 'g', 'erin', '0', '+'],
  ['XAUTOCLAIM', 's', 'g', 'erin', '-10', '1', 'count', '1', 'COUNT', '10', 'justid'],
  ['XPENDING', 's', 'g'],
  ['XAUTOCLAIM', 's', 'g', 'erin', 'x', '-'],
  ['XAUTOCLAIM', 's', 'g', 'erin', '0', 'x'],
  ['XAUTOCLAIM', 's', 'g', 'erin', '0', '(18446744073709551615-18446744073709551615'],
  ['XAUTOCLAIM', 's', 'g', 'erin', '0', '-', 'COUNT', '0'],
  ['XAUTOCLAIM', 's', 'g', 'erin', '0', '-', 'COUNT', '-1'],
  ['XAUTOCLAIM', 's', 'g', 'erin', '0', '-', 'COUNT', 'x'],
  ['XAUTOCLAIM', 's', 'g', 'erin', '0', '-', 'COUNT', '576460752303423487', 'JUSTID'],
  ['XAUTOCLAIM', 's', 'g', 'erin', '0', '-', 'COUNT', '1000', 'JUSTID'],
  ['XAUTOCLAIM', 's', 'g', 'erin', '0', '-', 'COUNT', '576460752303423488'],
  ['XAUTOCLAIM', 's', 'g', 'erin', '0', '-', 'COUNT'],
  ['XAUTOCLAIM', 's', 'g', 'erin', '0', '-', 'BOGUS'],
  ['XAUTOCLAIM', 's', 'nogroup', 'erin', '0', '-'],
  ['XAUTOCLAIM', 'missing', 'g', 'erin', '0', '-'],
  ['XAUTOCLAIM', 'missing', 'g', 'erin', '0', '-', 'BOGUS'],
  ['XAUTOCLAIM', 'str', 'g', 'erin', '0', '-'],
  ['XAUTOCLAIM', 's', 'g', 'erin', '0'],
  step(['XINFO', 'CONSUMERS', 's', 'g'], consumersInfo),
];

/** A page of 25 entries read by a group, for XAUTOCLAIM's cursor and attempt limit. */
function manyPending(): Step[] {
  const steps: Step[] = [];
  for (let i = 1; i <= 25; i++) steps.push(['XADD', 'm', `${i}-0`, 'n', String(i)]);
  steps.push(['XGROUP', 'CREATE', 'm', 'g', '0']);
  steps.push(['XREADGROUP', 'GROUP', 'g', 'a', 'COUNT', '10', 'STREAMS', 'm', '>']);
  steps.push(['XREADGROUP', 'GROUP', 'g', 'b', 'STREAMS', 'm', '>']);
  steps.push(['XCLAIM', 'm', 'g', 'a', '0', '1-0', '2-0', '3-0', '4-0', '5-0', 'TIME', '1000000000000', 'JUSTID']);
  // One claim per call, then the 10 x COUNT attempts limit: idle entries after many fresh ones.
  steps.push(['XAUTOCLAIM', 'm', 'g', 'c', '3600000', '0', 'COUNT', '1', 'JUSTID']);
  steps.push(['XAUTOCLAIM', 'm', 'g', 'c', '3600000', '0', 'COUNT', '2', 'JUSTID']);
  steps.push(['XCLAIM', 'm', 'g', 'b', '0', '24-0', '25-0', 'TIME', '1000000000000', 'JUSTID']);
  steps.push(['XAUTOCLAIM', 'm', 'g', 'c', '3600000', '5-0', 'COUNT', '1', 'JUSTID']);
  steps.push(['XAUTOCLAIM', 'm', 'g', 'c', '3600000', '5-0', 'COUNT', '2', 'JUSTID']);
  steps.push(['XAUTOCLAIM', 'm', 'g', 'c', '3600000', '5-0', 'COUNT', '3', 'JUSTID']);
  steps.push(['XAUTOCLAIM', 'm', 'g', 'c', '0', '0', 'COUNT', '7']);
  steps.push(['XAUTOCLAIM', 'm', 'g', 'c', '0', '8-0', 'COUNT', '100', 'JUSTID']);
  steps.push(['XPENDING', 'm', 'g']);
  return steps;
}

const xinfo: Step[] = [
  ['XGROUP', 'CREATE', 'e', 'g', '$', 'MKSTREAM'],
  step(['XINFO', 'STREAM', 'e'], streamInfo),
  step(['XINFO', 'STREAM', 'e', 'FULL'], streamInfo),
  ['XINFO', 'GROUPS', 'e'],
  ['XINFO', 'CONSUMERS', 'e', 'g'],
  ['XADD', 's', '1-1', 'f', 'v'],
  step(['XINFO', 'STREAM', 's'], streamInfo),
  step(['XINFO', 'STREAM', 's', 'FULL'], streamInfo),
  ['XINFO', 'GROUPS', 's'],
  ['XADD', 's', '1-2', 'a', 'b', 'c', 'd'],
  ['XADD', 's', '5-0', 'x', ''],
  ['XGROUP', 'CREATE', 's', 'g1', '0'],
  ['XGROUP', 'CREATE', 's', 'g0', '$'],
  ['XGROUP', 'CREATE', 's', 'G', '1-1'],
  step(['XINFO', 'STREAM', 's'], streamInfo),
  ['XINFO', 'GROUPS', 's'],
  ['XINFO', 'CONSUMERS', 's', 'g1'],
  step(['XINFO', 'STREAM', 's', 'full'], streamInfo),
  step(['XINFO', 'STREAM', 's', 'FULL', 'count', '2'], streamInfo),
  step(['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '0'], streamInfo),
  step(['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '-1'], streamInfo),
  step(['XINFO', 'STREAM', 's', 'FULL', 'COUNT', 'x'], streamInfo),
  step(['XINFO', 'STREAM', 's', 'FULL', 'COUNT'], streamInfo),
  step(['XINFO', 'STREAM', 's', 'FULL', 'LIMIT', '1'], streamInfo),
  step(['XINFO', 'STREAM', 's', 'PART'], streamInfo),
  step(['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '1', 'x'], streamInfo),
  step(['XINFO', 'STREAM', 'missing'], streamInfo),
  step(['XINFO', 'STREAM', 'missing', 'BOGUS'], streamInfo),
  ['XINFO', 'GROUPS', 'missing'],
  ['XINFO', 'CONSUMERS', 'missing', 'g'],
  ['XINFO', 'CONSUMERS', 's', 'nogroup'],
  ['XINFO', 'CONSUMERS', 's', Buffer.from('no\0group')],
  ['SET', 'str', 'x'],
  step(['XINFO', 'STREAM', 'str'], streamInfo),
  ['XINFO', 'GROUPS', 'str'],
  ['XINFO', 'CONSUMERS', 'str', 'g'],
  ['XINFO', 'GROUPS', 's', 'x'],
  ['XINFO', 'CONSUMERS', 's'],
  step(['XINFO', 'STREAM'], streamInfo),
  ['XINFO', 'FOO', 's'],
  ['XINFO'],
  step(['XINFO', 'HELP'], helpAs72),
];

/** radix-tree-keys and -nodes for streams of 1 to 1000 entries filed in several nodes. */
function raxShapes(): Step[] {
  const steps: Step[] = [];
  let id = 0;
  for (const n of [1, 99, 100, 101, 250, 700, 1000]) {
    while (id < n) {
      id++;
      // IDs spread over bytes so that keys branch at different depths.
      steps.push(['XADD', 'r', `${id * 37 + (id % 7) * 65536}-${id % 3}`, 'f', 'v']);
    }
    steps.push(step(['XINFO', 'STREAM', 'r'], streamInfo));
  }
  steps.push(['CONFIG', 'SET', 'stream-node-max-entries', '3']);
  for (let i = 1; i <= 40; i++) steps.push(['XADD', 'q', `${i * 1000003}-${i}`, 'f', 'v']);
  steps.push(step(['XINFO', 'STREAM', 'q'], streamInfo));
  steps.push(['CONFIG', 'SET', 'stream-node-max-entries', '100']);
  return steps;
}

const scripts: Array<[string, Step[]]> = [
  ['XGROUP', xgroup],
  ['XREADGROUP', xreadgroup],
  ['XACK and XPENDING', ackAndPending],
  ['XCLAIM and XAUTOCLAIM', claims],
  ['XAUTOCLAIM cursor and attempts', manyPending()],
  ['XINFO', xinfo],
  ['XINFO radix-tree shapes', raxShapes()],
];

t.test('consumer groups against Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  try {
    for (const [name, script] of scripts) {
      await t.test(`${name} (RESP2)`, (t) => pair.check(t, script));
      await t.test(`${name} (RESP3)`, (t) => pair.check(t, script, { resp: 3 }));
    }
  } finally {
    await pair.stop();
  }
});
