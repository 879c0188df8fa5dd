#!/usr/bin/env node
'use strict';
// The floor of Node.js networking on this machine: a TCP server that does no work at all, answering
// every command frame with a fixed 3-byte bulk reply (and +PONG to PING). Comparing it with real
// Redis shows how much of the throughput gap is Node's socket and stream machinery rather than
// Sluice's own code:
//
//   ../shared/bench/compare --a "node bench/node-ceiling.js {port}" --label-a node-floor \
//     --b "redis-server --bind 127.0.0.1 --port {port} --save '' --appendonly no" --label-b redis \
//     --tests get --pipeline 1,16
//
// The replies are only right for GET-like benchmarks; it is a measuring device, not a server.

const net = require('node:net');

const REPLY = Buffer.from('$3\r\nxxx\r\n');
const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write('usage: node bench/node-ceiling.js PORT\n');
  process.exit(1);
}

net
  .createServer({ noDelay: true }, (socket) => {
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      if (chunk.includes('PING')) {
        socket.write('+PONG\r\n');
        return;
      }
      let frames = 0;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 0x2a) frames++;
      if (frames === 0) return;
      const out = Buffer.allocUnsafe(REPLY.length * frames);
      for (let i = 0; i < frames; i++) REPLY.copy(out, i * REPLY.length);
      socket.write(out);
    });
  })
  .listen(port, '127.0.0.1');
