// redis-cli's interactive hints. redis-cli 7.0 sends COMMAND DOCS when its prompt starts and builds
// the grey argument hints it shows while one types from that reply (falling back to its own built-in
// table plus COMMAND when COMMAND DOCS fails). So the hints it shows against Sluice must be the ones
// it shows against Redis. redis-cli only does this on a terminal: it runs here under script(1), and
// this test answers the cursor-position queries a terminal would.

import { spawn, spawnSync } from 'node:child_process';
import t from 'tap';
import { redisSkip } from '../support/differential';
import { hasBinary, startRedis, startSluice } from '../support/servers';

const hasScript = spawnSync('script', ['--version']).status === 0;
const skip = redisSkip || (!hasBinary('redis-cli') ? 'redis-cli is not installed' : !hasScript ? 'script(1) is not installed' : false);

/**
 * Lines typed at the prompt; each is erased (Ctrl-U) after its hint has been drawn. (Not COMMAND
 * GETKEYS: 7.2 documents its arguments and so hints "command [arg [arg ...]]", 7.0 has no hint.)
 */
const TYPED = ['set k ', 'get ', 'command list ', 'command info ', 'client kill ', 'ping ', 'command docs ', 'del '];

const HINT = /\x1b\[0;90;49m(.*?)\x1b\[0m/g;

/** Type the lines into an interactive redis-cli and return every hint it drew, in order. */
function hintsShown(port: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const cli = spawn('script', ['-qc', `redis-cli -p ${port}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let typing = false;
    const timer = setTimeout(() => {
      cli.kill('SIGKILL');
      reject(new Error(`redis-cli did not finish; output so far: ${JSON.stringify(output.slice(-300))}`));
    }, 15000);
    const type = async () => {
      for (const line of TYPED) {
        for (const ch of line) {
          cli.stdin.write(ch);
          await new Promise((r) => setTimeout(r, 5));
        }
        await new Promise((r) => setTimeout(r, 150));
        cli.stdin.write('\x15');
      }
      cli.stdin.write('quit\r');
    };
    cli.stdout.on('data', (d: Buffer) => {
      const text = d.toString('latin1');
      output += text;
      // Answer linenoise's cursor-position queries as a 200-column terminal would.
      for (let i = text.indexOf('\x1b[6n'); i !== -1; i = text.indexOf('\x1b[6n', i + 1)) cli.stdin.write('\x1b[1;200R');
      if (!typing && output.includes(`:${port}> `)) {
        typing = true;
        void type();
      }
    });
    cli.on('exit', () => {
      clearTimeout(timer);
      resolve([...output.matchAll(HINT)].map((m) => m[1]!).filter((h) => h.trim() !== ''));
    });
  });
}

t.test('redis-cli shows the same argument hints for Sluice as for Redis', { skip }, async (t) => {
  const [redis, sluice] = await Promise.all([startRedis(), startSluice()]);
  t.teardown(() => Promise.all([redis.stop(), sluice.stop()]));
  const expected = await hintsShown(redis.port);
  const actual = await hintsShown(sluice.port);
  t.ok(expected.some((h) => h.includes('[FILTERBY MODULE module-name|ACLCAT category|PATTERN pattern]')), 'the hints were captured');
  t.same(actual, expected, 'hints drawn while typing');
});
