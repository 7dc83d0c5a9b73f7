// The reference the sensor is measured against: the least a Node `net` server can do for one
// short connection (accept, read, reply with a fixed HTTP response, close when the client
// ends). Usage: node bench/baseline-server.js PORT [HOST]; prints "listening" when ready.
import net from 'node:net';

const REPLY = Buffer.from(
  'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok',
);

const port = Number(process.argv[2]);
const host = process.argv[3] ?? '127.0.0.1';
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  process.stderr.write('usage: node bench/baseline-server.js PORT [HOST]\n');
  process.exit(2);
}

const server = net.createServer((socket) => {
  socket.once('data', () => socket.write(REPLY));
  // A load generator that closes right after the first reply byte may reset the connection;
  // the socket is destroyed either way, so there is nothing to report.
  socket.on('error', () => {});
});

server.listen(port, host, () => process.stdout.write('listening\n'));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
