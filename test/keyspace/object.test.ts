// OBJECT ENCODING, REFCOUNT, IDLETIME, FREQ and HELP against real Redis, byte for byte, in RESP2
// and RESP3: the encodings Redis would choose for strings made in each way (INCRBYFLOAT's results
// included), shared small integers, missing keys, the FREQ refusal without an LFU policy, and the
// container's errors.

import t from 'tap';
import { DiffPair, redisSkip, type Step } from '../support/differential';
import { helpAs72 } from '../command/redis72';

/** When the running script began: every key it asks IDLETIME of was touched after that. */
let scriptStartedMs = 0;

/** An IDLETIME no longer than the script has run (whole seconds, plus one for the tick), else the bytes. */
function idleSinceScriptStart(reply: Buffer): string {
  const text = reply.toString('latin1');
  if (!text.startsWith(':')) return text;
  const idle = Number(text.slice(1, -2));
  const limit = Math.ceil((Date.now() - scriptStartedMs) / 1000) + 1;
  return idle >= 0 && idle <= limit ? ':(idle no longer than the script ran)' : text;
}

const script: Step[] = [
  ['SET', 'one', '1'],
  ['SET', 'b', '12345'],
  ['SET', 'c', 'hello'],
  ['SET', 'd44', 'x'.repeat(44)],
  ['SET', 'd45', 'x'.repeat(45)],
  ['SET', 'negzero', '-0'],
  ['SET', 'lead', '01'],
  ['SET', 'max', '9223372036854775807'],
  ['SET', 'over', '9223372036854775808'],
  ['SET', 'min', '-9223372036854775808'],
  ['SET', 'space', ' 1'],
  ['SET', 'plus', '+1'],
  ['SET', 'n9999', '9999'],
  ['SET', 'n10000', '10000'],
  ['SET', 'neg', '-1'],
  ['SET', 'empty', ''],
  ['SET', 'big', '123456789012345678901'],
  ...['one', 'b', 'c', 'd44', 'd45', 'negzero', 'lead', 'max', 'over', 'min', 'space', 'plus', 'n9999', 'n10000', 'neg', 'empty', 'big'].flatMap(
    (key): Step[] => [
      ['OBJECT', 'ENCODING', key],
      ['OBJECT', 'REFCOUNT', key],
    ],
  ),
  // Strings grown in place are "raw"; one created by APPEND is encoded as SET would.
  ['APPEND', 'c', 'x'],
  ['OBJECT', 'ENCODING', 'c'],
  ['APPEND', 'fresh', '12'],
  ['OBJECT', 'ENCODING', 'fresh'],
  ['OBJECT', 'REFCOUNT', 'fresh'],
  ['APPEND', 'fresh', '3'],
  ['OBJECT', 'ENCODING', 'fresh'],
  ['SETRANGE', 'ranged', '0', 'ab'],
  ['OBJECT', 'ENCODING', 'ranged'],
  ['SETRANGE', 'one', '0', '2'],
  ['OBJECT', 'ENCODING', 'one'],
  ['OBJECT', 'REFCOUNT', 'one'],
  // Counters.
  ['INCR', 'counter'],
  ['OBJECT', 'ENCODING', 'counter'],
  ['OBJECT', 'REFCOUNT', 'counter'],
  ['INCRBY', 'b', '1'],
  ['OBJECT', 'ENCODING', 'b'],
  ['OBJECT', 'REFCOUNT', 'b'],
  ['DECR', 'below'],
  ['OBJECT', 'REFCOUNT', 'below'],
  // INCRBYFLOAT stores its result as a plain string, never integer-encoded or shared, even when it
  // reads as an integer; a later INCR makes it an integer again.
  ['SET', 'f', '1.5'],
  ['INCRBYFLOAT', 'f', '1.5'],
  ['OBJECT', 'ENCODING', 'f'],
  ['OBJECT', 'REFCOUNT', 'f'],
  ['INCRBYFLOAT', 'fnew', '5'],
  ['OBJECT', 'ENCODING', 'fnew'],
  ['OBJECT', 'REFCOUNT', 'fnew'],
  ['INCRBYFLOAT', 'b', '0'],
  ['OBJECT', 'ENCODING', 'b'],
  ['INCRBYFLOAT', 'fbig', '12345678901234567890'],
  ['OBJECT', 'ENCODING', 'fbig'],
  ['INCRBYFLOAT', 'fneg', '-7.0'],
  ['OBJECT', 'ENCODING', 'fneg'],
  ['INCR', 'f'],
  ['OBJECT', 'ENCODING', 'f'],
  ['OBJECT', 'REFCOUNT', 'f'],
  ['SET', 'x', 'v'],
  ['RENAME', 'x', 'y'],
  ['OBJECT', 'ENCODING', 'y'],
  ['MOVE', 'y', '1'],
  ['SET', 'e', 'v', 'EX', '100'],
  ['OBJECT', 'ENCODING', 'e'],
  // Access times: just written, just read. Idle at most the time since the script began (plus
  // the second that may tick over), however slowly a loaded machine runs the steps.
  { cmd: ['OBJECT', 'IDLETIME', 'c'], mask: idleSinceScriptStart },
  ['GET', 'c'],
  { cmd: ['OBJECT', 'IDLETIME', 'c'], mask: idleSinceScriptStart },
  ['GET', 'n9999'],
  { cmd: ['OBJECT', 'IDLETIME', 'n9999'], mask: idleSinceScriptStart },
  // A shared integer's object was made at start-up: idle since then unless some key holding it was read.
  { cmd: ['OBJECT', 'IDLETIME', 'n10000'], mask: idleSinceScriptStart },
  // Missing keys: a null, before any policy check.
  ['OBJECT', 'ENCODING', 'nokey'],
  ['OBJECT', 'REFCOUNT', 'nokey'],
  ['OBJECT', 'IDLETIME', 'nokey'],
  ['OBJECT', 'FREQ', 'nokey'],
  ['OBJECT', 'FREQ', 'c'],
  ['OBJECT', 'freq', 'one'],
  // The container.
  { cmd: ['OBJECT', 'HELP'], mask: helpAs72 },
  { cmd: ['object', 'help'], mask: helpAs72 },
  ['OBJECT'],
  ['OBJECT', 'foo'],
  ['OBJECT', 'foo', 'bar'],
  ['OBJECT', 'encoding'],
  ['OBJECT', 'ENCODING', 'a', 'b'],
  ['OBJECT', 'HELP', 'x'],
  ['OBJECT', 'IDLETIME'],
  ['OBJECT', 'REFCOUNT'],
  ['OBJECT', 'FREQ', 'a', 'b'],
];

t.test('OBJECT matches Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  scriptStartedMs = Date.now();
  await pair.check(t, script);
  scriptStartedMs = Date.now();
  await pair.check(t, script, { resp: 3 });
});
