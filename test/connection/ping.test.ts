import t from 'tap';
import { DiffPair, redisSkip } from '../support/differential';

t.test('PING and unknown commands match Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const script = [['PING'], ['PING', 'hello'], ['ping', ''], ['PING', 'a', 'b'], ['NOSUCH', 'x', 'y']];
  await pair.check(t, script);
  await pair.check(t, script, { resp: 3 });
});
