#!/usr/bin/env -S node --max-semi-space-size=2
// sluice-server [config-file] [--directive value ...]: starts like redis-server.
//
// Run with V8's young generation capped at 2 MB per semi-space (`--max-semi-space-size=2`, in the
// line above and in `npm start`): the default lets it grow to 16 MB, and those pages stay
// resident, which added ~11 bytes of RSS per entry to 1M stream entries (40.8 vs 29.6 bytes; Redis
// 31.8) for no measurable throughput gain (bench/README.md).

import { mkdirSync } from 'node:fs';
import { CorruptLogError, DirLockedError } from '../storage/log';
import { AclStartupError } from './acl/acl';
import { Config, ConfigError } from './config';
import { createLogger } from './logger';
import { strerror } from './persistence';
import { Server } from './server';
import { TlsConfigError } from './tls';

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
  /** A start-up failure: one clear line on stderr (and in the log), exit status 1. */
  const fatal = (message: string): never => {
    log.fatal(message);
    log.flush();
    process.stderr.write(`sluice-server: ${message}\n`);
    process.exit(1);
  };
  try {
    mkdirSync(dir, { recursive: true });
    process.chdir(dir);
  } catch (err) {
    fatal(`Can't use the data directory ${dir}: ${describe(err as Error)}`);
  }
  let server: Server;
  try {
    server = new Server(config, log);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.report() + '\n');
      process.exit(1);
    }
    if (err instanceof AclStartupError) fatal(err.message);
    throw err;
  }
  try {
    server.openStorage();
  } catch (err) {
    if (err instanceof DirLockedError || err instanceof CorruptLogError) fatal(err.message);
    fatal(`Can't open the data in ${dir}: ${describe(err as Error)}`);
  }
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'shutting down');
    server.close().then(
      () => {
        log.info('Sluice is now ready to exit, bye bye...');
        log.flush();
        process.exit(0);
      },
      (err: Error) => {
        log.error({ err: err.message }, 'Shutdown could not make every write durable');
        log.flush();
        process.exit(1);
      },
    );
  };
  server.onShutdown = () => stop('SHUTDOWN');
  // Signals shut down as SHUTDOWN does (saving when save points are set); a failed save keeps the
  // server running, as in Redis.
  const onSignal = (signal: string) => {
    if (stopping) return;
    log.info(`Received ${signal} scheduling shutdown...`);
    if (server.shutdown('default') !== null) {
      log.warn(`${signal} received but errors trying to shut down the server, check the logs for more information`);
    }
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  try {
    await server.listen();
  } catch (err) {
    if (err instanceof TlsConfigError) fatal(`Failed to configure TLS: ${err.message}`);
    fatal(`Failed listening for clients, aborting: ${describe(err as Error)}`);
  }
}

/** An I/O error as strerror's text plus what was being done; any other error as its message. */
function describe(err: Error): string {
  return (err as NodeJS.ErrnoException).code !== undefined ? `${strerror(err)} (${err.message})` : err.message;
}

void main(process.argv.slice(2));
