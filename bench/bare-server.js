/**
 * The limit: a node:http server that reads each request and answers 204, nothing else. Plain JS, so it starts
 * without any loader, like the compiled mock. Usage: node bench/bare-server.js <port>
 */
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  req.on('end', () => res.writeHead(204).end());
  req.resume();
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1');
