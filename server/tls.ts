// TLS for client connections, configured with Redis's tls-* directives and carried out by Node's
// `tls` module: the same RESP server behind a TLS listener on tls-port.
//
// The certificate, key and CA files are read when the server starts and whenever CONFIG SET changes
// a TLS directive; a set that does not make a working context (a missing file, a key that does not
// match its certificate) is refused whole and the running context stays, as Redis's
// applyTLSConfig does.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { constants as cryptoConstants } from 'node:crypto';
import { createSecureContext, type TLSSocket, type TlsOptions } from 'node:tls';

/** The directives a TLS context is built from: a CONFIG SET of any of them rebuilds it. */
export const TLS_CONTEXT_DIRECTIVES = [
  'tls-cert-file',
  'tls-key-file',
  'tls-key-file-pass',
  'tls-ca-cert-file',
  'tls-ca-cert-dir',
  'tls-dh-params-file',
  'tls-protocols',
  'tls-ciphers',
  'tls-ciphersuites',
  'tls-prefer-server-ciphers',
  'tls-session-caching',
  'tls-session-cache-timeout',
  'tls-auth-clients',
] as const;

/** Redis's reply to a CONFIG SET that would leave TLS unusable (the reason goes to the log). */
export const TLS_UPDATE_REFUSED = 'Unable to update TLS configuration. Check server logs.';

/** A TLS set-up that cannot work, with the reason for the log. */
export class TlsConfigError extends Error {
  override readonly name = 'TlsConfigError';
}

type Version = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
const VERSIONS: readonly Version[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** Redis's default when tls-protocols is empty: TLS 1.2 and 1.3. */
const DEFAULT_PROTOCOLS: readonly Version[] = ['TLSv1.2', 'TLSv1.3'];

/**
 * tls-protocols ("TLSv1.2 TLSv1.3") as the version range Node takes. Node sets a minimum and a
 * maximum, so a list with a hole ("TLSv1 TLSv1.3") is refused rather than silently widened.
 */
export function protocolRange(text: string): { minVersion: Version; maxVersion: Version } {
  const words = text.split(/\s+/).filter((w) => w !== '');
  const chosen = words.length === 0 ? DEFAULT_PROTOCOLS : words;
  const indexes: number[] = [];
  for (const word of chosen) {
    const index = VERSIONS.findIndex((v) => v.toLowerCase() === word.toLowerCase());
    if (index < 0) throw new TlsConfigError(`invalid tls-protocols value '${word}' (expected TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3)`);
    indexes.push(index);
  }
  const min = Math.min(...indexes);
  const max = Math.max(...indexes);
  if (new Set(indexes).size !== max - min + 1) {
    throw new TlsConfigError(`tls-protocols '${text}' is not a contiguous range of versions`);
  }
  return { minVersion: VERSIONS[min]!, maxVersion: VERSIONS[max]! };
}

/**
 * Read the files and build the options of a TLS server (tls.createServer, Server.setSecureContext),
 * checked by building a context from them once. `valueOf` gives a directive's value (the running
 * config, or the values a CONFIG SET would leave). Throws TlsConfigError.
 */
export function buildTlsOptions(valueOf: (name: string) => string): TlsOptions {
  const certFile = valueOf('tls-cert-file');
  const keyFile = valueOf('tls-key-file');
  if (certFile === '' || keyFile === '') throw new TlsConfigError('tls-cert-file and tls-key-file must both be set');
  const authClients = valueOf('tls-auth-clients');
  const caFile = valueOf('tls-ca-cert-file');
  const caDir = valueOf('tls-ca-cert-dir');
  if (authClients !== 'no' && caFile === '' && caDir === '') {
    throw new TlsConfigError('either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-auth-clients is yes or optional');
  }
  const ca = [...(caFile !== '' ? [readPem(caFile, 'tls-ca-cert-file')] : []), ...(caDir !== '' ? readPemDir(caDir) : [])];
  const dhFile = valueOf('tls-dh-params-file');
  const ciphers = [valueOf('tls-ciphersuites'), valueOf('tls-ciphers')].filter((c) => c !== '').join(':');
  const sessionCaching = valueOf('tls-session-caching') === 'yes';
  const passphrase = valueOf('tls-key-file-pass');
  const options: TlsOptions = {
    cert: readPem(certFile, 'tls-cert-file'),
    key: readPem(keyFile, 'tls-key-file'),
    ...(passphrase !== '' ? { passphrase } : {}),
    ...(ca.length > 0 ? { ca } : {}),
    ...(dhFile !== '' ? { dhparam: readPem(dhFile, 'tls-dh-params-file') } : {}),
    ...(ciphers !== '' ? { ciphers } : {}),
    ...protocolRange(valueOf('tls-protocols')),
    honorCipherOrder: valueOf('tls-prefer-server-ciphers') === 'yes',
    // Without session caching no tickets either: every connection makes a full handshake.
    ...(sessionCaching ? { sessionTimeout: Number(valueOf('tls-session-cache-timeout')) } : { secureOptions: cryptoConstants.SSL_OP_NO_TICKET }),
    // yes: a valid client certificate is required; optional: checked when one is presented (see
    // acceptsPeer); no: none is asked for.
    requestCert: authClients !== 'no',
    rejectUnauthorized: authClients === 'yes',
  };
  try {
    createSecureContext(options);
  } catch (err) {
    throw new TlsConfigError(`cannot build the TLS context: ${(err as Error).message}`);
  }
  return options;
}

/**
 * tls-auth-clients optional: a client may come without a certificate, but one it presents must be
 * valid (Node's rejectUnauthorized would refuse clients without one, so this is checked here).
 */
export function acceptsPeer(socket: TLSSocket): boolean {
  if (socket.authorized) return true;
  const peer = socket.getPeerCertificate();
  return peer === null || Object.keys(peer).length === 0;
}

function readPem(path: string, directive: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new TlsConfigError(`cannot read ${directive} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Every certificate file in a CA directory (the PEM files; OpenSSL's hash links point at them). */
function readPemDir(dir: string): Buffer[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    throw new TlsConfigError(`cannot read tls-ca-cert-dir ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const out: Buffer[] = [];
  for (const name of names) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    const bytes = readFileSync(path);
    if (bytes.includes('-----BEGIN CERTIFICATE-----')) out.push(bytes);
  }
  if (out.length === 0) throw new TlsConfigError(`tls-ca-cert-dir ${dir} holds no PEM certificate`);
  return out;
}
