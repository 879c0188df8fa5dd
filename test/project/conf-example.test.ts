// redis.conf.example documents every directive the server knows, and the server accepts it as is.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { Config, DIRECTIVES } from '../../server/config';
import { ROOT } from '../support/servers';

const text = readFileSync(join(ROOT, 'redis.conf.example'), 'utf8');

t.test('every directive is documented in redis.conf.example', async (t) => {
  const documented = new Set(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => l.split(/\s+/)[0]!),
  );
  for (const d of DIRECTIVES) t.ok(documented.has(d.name), `${d.name} is in redis.conf.example`);
  for (const name of documented) t.ok(DIRECTIVES.some((d) => d.name === name), `${name} is a real directive`);
});

t.test('redis.conf.example loads and gives the defaults', async (t) => {
  const config = new Config();
  config.loadText(text, ROOT, new Set());
  const defaults = new Config();
  for (const d of DIRECTIVES) t.equal(config.get(d.name), defaults.get(d.name), `${d.name} default`);
});
