#!/usr/bin/env node
// sluice-check-log <dir> [--fix] [--yes]: the command-line face of storage/log/check.ts.

import { createInterface } from 'node:readline';
import { runCheckCli } from './check';

async function confirm(question: string): Promise<boolean | null> {
  if (!process.stdin.isTTY) return null;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

runCheckCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  confirm,
}).then(
  (status) => {
    process.exitCode = status;
  },
  (err: Error) => {
    process.stderr.write(`sluice-check-log: ${err.stack ?? err.message}\n`);
    process.exitCode = 2;
  },
);
