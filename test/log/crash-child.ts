// Child process for the kill -9 test: opens the log in argv[2] with appendfsync always and
// appends turns of records forever, printing "acked <n>" after each flush resolves (the moment a
// server would release the replies). The parent kills it at a random moment.

import { openLog } from '../../storage/log/recovery';
import { recordOf } from './helpers';

const dir = process.argv[2]!;
const segmentBytesMax = Number(process.argv[3] ?? 4096);
let count = 0;
const { log } = openLog({
  dir,
  fsync: 'always',
  segmentBytesMax,
  replay: () => {
    count++;
  },
});

async function run(): Promise<void> {
  for (;;) {
    const n = 1 + (count % 7);
    for (let j = 0; j < n; j++) {
      const i = count++;
      log.append(recordOf(i, i % 50));
    }
    await log.flush();
    process.stdout.write(`acked ${count}\n`);
  }
}
void run();
