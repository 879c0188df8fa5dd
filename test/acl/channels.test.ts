// Channel permissions for the pub/sub commands, against real Redis in RESP2 and RESP3: SUBSCRIBE,
// SSUBSCRIBE and PUBLISH check channel names against the user's &patterns, PSUBSCRIBE checks its
// patterns literally; refusals are -NOPERM (7.2's words) and ACL DRYRUN names the channel. Rules
// that take channels away close the user's subscribers that lost theirs.

import t from 'tap';
import { nopermAs72 } from '../command/redis72';
import { DiffPair, redisSkip, type Step } from '../support/differential';
import { RawClient } from '../support/resp';
import { startSluice } from '../support/servers';

const as72 = nopermAs72('sub');

t.test('channel permissions of SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE and PUBLISH match Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  await pair.check(t, [['ACL', 'SETUSER', 'sub', 'on', '>pw', '+@all', '~*', 'resetchannels', '&news.*', '&exact']]);
  for (const resp of [2, 3] as const) {
    const publisher: Step[] = [
      ['AUTH', 'sub', 'pw'],
      ['PUBLISH', 'news.sport', 'hi'],
      ['PUBLISH', 'exact', 'hi'],
      { cmd: ['PUBLISH', 'other', 'hi'], mask: as72 },
      ['SPUBLISH', 'news.x', 'hi'],
      { cmd: ['SPUBLISH', 'other', 'hi'], mask: as72 },
      { cmd: ['ACL', 'DRYRUN', 'sub', 'PUBLISH', 'other', 'x'], mask: as72 },
      ['ACL', 'DRYRUN', 'sub', 'PUBLISH', 'news.a', 'x'],
      { cmd: ['ACL', 'DRYRUN', 'sub', 'PSUBSCRIBE', 'news.a*'], mask: as72 },
    ];
    await pair.check(t, publisher, { resp, flush: false });
    const subscriber: Step[] = [
      ['AUTH', 'sub', 'pw'],
      { cmd: ['SUBSCRIBE', 'news.a', 'other'], mask: as72 },
      ['SUBSCRIBE', 'news.a'],
      ['SUBSCRIBE', 'exact'],
      { cmd: ['PSUBSCRIBE', 'news.a*'], mask: as72 },
      ['PSUBSCRIBE', 'news.*'],
      { cmd: ['SSUBSCRIBE', 'other'], mask: as72 },
      ['UNSUBSCRIBE', 'whatever'],
    ];
    await pair.check(t, subscriber, { resp, flush: false });
  }
});

t.test('taking channels away from a user closes its subscribers that lost theirs', async (t) => {
  const server = await startSluice();
  t.teardown(() => server.stop());
  const admin = await RawClient.connect(server.port);
  t.teardown(() => admin.close());
  await admin.call('ACL', 'SETUSER', 'listener', 'on', '>pw', '+@all', '&news.*', '&alerts');
  const news = await RawClient.connect(server.port);
  const alerts = await RawClient.connect(server.port);
  await news.call('AUTH', 'listener', 'pw');
  await alerts.call('AUTH', 'listener', 'pw');
  await news.call('PSUBSCRIBE', 'news.*');
  await alerts.call('SUBSCRIBE', 'alerts');
  // Adding a channel takes nothing away: both stay.
  t.equal((await admin.call('ACL', 'SETUSER', 'listener', '&more')).toString(), '+OK\r\n');
  t.equal((await admin.call('PUBLISH', 'alerts', 'x')).toString(), ':1\r\n');
  // Dropping "alerts" closes the connection subscribed to it, not the other one.
  t.equal((await admin.call('ACL', 'SETUSER', 'listener', 'resetchannels', '&news.*')).toString(), '+OK\r\n');
  t.equal((await alerts.readUntilClose(2000)).closed, true, 'the subscriber of a revoked channel is closed');
  t.equal((await admin.call('PUBLISH', 'news.a', 'x')).toString(), ':1\r\n', 'the pattern subscriber stays');
  news.close();
});
