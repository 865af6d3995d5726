/**
 * The mock under soak: a child process (run with --expose-gc) that reports its heap after a full GC when asked
 * over IPC (bench/memory-probe.js), so the measurement sees the server alone, not the load generator.
 */
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '../src/mock/adapter/node/http.js';
import { createMock } from '../src/mock/adapter/node/index.js';
// Answers the 'heap' message with heapUsed after full GCs, as it does for the bench.
import '../bench/memory-probe.js';

const app = await createMock();
const server = createHttpServer(app);
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
