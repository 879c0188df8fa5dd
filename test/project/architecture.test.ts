// Imports go one way: server → commands → storage. storage/ imports neither; commands/ never
// imports server/. This test reads the sources and fails on an import against the direction.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import t from 'tap';
import { ROOT } from '../support/servers';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const FORBIDDEN: Record<string, string[]> = {
  storage: ['server', 'commands'],
  commands: ['server'],
};

for (const [layer, forbidden] of Object.entries(FORBIDDEN)) {
  t.test(`${layer}/ does not import ${forbidden.join(' or ')}/`, async (t) => {
    const files = sources(join(ROOT, layer));
    t.ok(files.length > 0);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      for (const spec of imports) {
        if (!spec.startsWith('.')) continue;
        const target = relative(ROOT, join(file, '..', spec)).split('/')[0]!;
        t.notOk(forbidden.includes(target), `${relative(ROOT, file)} imports ${spec}`);
      }
    }
  });
}
