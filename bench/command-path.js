#!/usr/bin/env node
'use strict';
// In-process cost of the command path, without sockets: request bytes → reader → dispatch →
// handler → reply writer, for pipelines of 16 commands. Prints nanoseconds per command, so a change
// to the hot path can be judged in seconds (run it twice: the machine is noisy).
//
//   npm run build && node bench/command-path.js [ping|set|get|incr|lpush|xadd|publish|xrange|xreadgroup] [seconds]

const { EventEmitter } = require('node:events');
const path = require('node:path');
const dist = path.join(__dirname, '..', 'dist', 'server');
const { Server } = require(path.join(dist, 'server.js'));
const { Config } = require(path.join(dist, 'config.js'));
const { silentLogger } = require(path.join(dist, 'logger.js'));
const { Client } = require(path.join(dist, 'client.js'));

const command = process.argv[2] ?? 'get';
const seconds = Number(process.argv[3] ?? 3);
const PIPELINE = 16;
const KEYSPACE = Number(process.env.KEYSPACE ?? 100000);

/** Enough of a net.Socket for a Client: it counts what would have been written. */
class NullSocket extends EventEmitter {
  remoteAddress = '127.0.0.1';
  remotePort = 40000;
  localAddress = '127.0.0.1';
  localPort = 6379;
  written = 0;
  setNoDelay() {}
  setKeepAlive() {}
  write(bytes) {
    this.written += bytes.length;
    return true;
  }
  end() {}
  destroy() {}
}

function encode(args) {
  let text = `*${args.length}\r\n`;
  for (const a of args) text += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  return text;
}

function randomKey() {
  return 'key:' + String(Math.floor(Math.random() * KEYSPACE)).padStart(12, '0');
}

const ARGS = {
  ping: () => ['PING'],
  set: () => ['SET', randomKey(), 'xxx'],
  get: () => ['GET', randomKey()],
  incr: () => ['INCR', randomKey()],
  lpush: () => ['LPUSH', 'bench:list', 'xxx'],
  xadd: () => ['XADD', 'bench:stream', '*', 'f', String(Math.floor(Math.random() * 1e12))],
  publish: () => ['PUBLISH', 'bench:channel', 'hello-world-0123456789'],
  xrange: () => ['XRANGE', 'bench:xrange', '-', '+', 'COUNT', '10'],
  xreadgroup: () => ['XREADGROUP', 'GROUP', 'g', 'c' + Math.floor(Math.random() * 50), 'COUNT', '10', 'STREAMS', 'bench:xrg', '>'],
};
if (!(command in ARGS)) {
  console.error(`usage: node bench/command-path.js [${Object.keys(ARGS).join('|')}] [seconds]`);
  process.exit(1);
}

const server = new Server(Config.fromArgs(['--appendonly', 'no']), silentLogger());
const socket = new NullSocket();
const client = new Client(1, socket, server);
// Fill the keyspace so reads hit, as redis-benchmark's runs after SET do.
for (let i = 0; i < KEYSPACE; i += 1000) {
  let batch = '';
  for (let j = i; j < i + 1000; j++) batch += encode(['SET', 'key:' + String(j).padStart(12, '0'), 'xxx']);
  socket.emit('data', Buffer.from(batch));
  client.flush();
}

// XRANGE reads a stream of 10,000 entries, as ../shared/bench/compare's xrange test does.
if (command === 'xrange') {
  let batch = '';
  for (let i = 0; i < 10000; i++) batch += encode(['XADD', 'bench:xrange', '*', 'f', String(i)]);
  socket.emit('data', Buffer.from(batch));
  client.flush();
}

// XREADGROUP reads COUNT 10 new entries per call from a stream of 200,000, leaving them pending
// (the PEL grows, as in ../shared/bench/compare's xreadgroup test); the group starts over at the end.
const XRG_ENTRIES = 200000;
const resetGroup = Buffer.from(encode(['XGROUP', 'DESTROY', 'bench:xrg', 'g']) + encode(['XGROUP', 'CREATE', 'bench:xrg', 'g', '0']));
if (command === 'xreadgroup') {
  for (let i = 0; i < XRG_ENTRIES; i += 1000) {
    let batch = '';
    for (let j = i; j < i + 1000; j++) batch += encode(['XADD', 'bench:xrg', '*', 'f', String(j)]);
    socket.emit('data', Buffer.from(batch));
    client.flush();
  }
  socket.emit('data', resetGroup);
  client.flush();
}
const chunksPerGroup = Math.floor(XRG_ENTRIES / (10 * PIPELINE)) - 1;

const chunks = [];
for (let c = 0; c < 2000; c++) {
  let text = '';
  for (let i = 0; i < PIPELINE; i++) text += encode(ARGS[command]());
  chunks.push(Buffer.from(text));
}

let commands = 0;
const started = process.hrtime.bigint();
const deadline = Date.now() + seconds * 1000;
while (Date.now() < deadline) {
  for (let c = 0; c < chunks.length; c++) {
    socket.emit('data', chunks[c]);
    client.flush();
    commands += PIPELINE;
    if (command === 'xreadgroup' && (commands / PIPELINE) % chunksPerGroup === 0) {
      socket.emit('data', resetGroup);
      client.flush();
    }
  }
}
const ns = Number(process.hrtime.bigint() - started);
console.log(`${command} ${(ns / commands).toFixed(0)} ns/command (${commands} commands, pipeline ${PIPELINE})`);
process.exit(0);
