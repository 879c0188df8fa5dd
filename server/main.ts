#!/usr/bin/env node
// sluice-server [config-file] [--directive value ...]: starts like redis-server.

import { mkdirSync } from 'node:fs';
import { Config, ConfigError } from './config';
import { createLogger } from './logger';
import { Server } from './server';

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '-v' || argv[0] === '--version') {
    process.stdout.write('Sluice server v=0.1.0 (speaks Redis 7.2)\n');
    return;
  }
  if (argv[0] === '-h' || argv[0] === '--help') {
    process.stdout.write(
      'Usage: sluice-server [/path/to/sluice.conf] [--directive value ...]\n' +
        '       sluice-server --port 7777 --dir ./data --appendfsync always\n',
    );
    return;
  }
  let config: Config;
  try {
    config = Config.fromArgs(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.report() + '\n');
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.get('loglevel'), config.get('logfile'));
  const dir = config.get('dir');
  mkdirSync(dir, { recursive: true });
  process.chdir(dir);
  const server = new Server(config, log);
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'shutting down');
    void server.close().then(() => {
      log.flush();
      process.exit(0);
    });
  };
  server.onShutdown = () => stop('SHUTDOWN');
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  try {
    await server.listen();
  } catch (err) {
    log.fatal({ err: (err as Error).message }, 'could not listen');
    log.flush();
    process.exit(1);
  }
}

void main(process.argv.slice(2));
