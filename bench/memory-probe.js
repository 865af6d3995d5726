/**
 * Preloaded into a tombstone child (`node --expose-gc --import ./bench/memory-probe.js`, with an IPC channel):
 * on the bench's 'heap' message it runs full garbage collections and answers with heapUsed, so the bench reads
 * the live heap of the real serving process, seed and all, without adding an endpoint to the mock.
 */
process.on('message', (message) => {
  if (message !== 'heap') return;
  globalThis.gc();
  globalThis.gc();
  process.send({ heapUsed: process.memoryUsage().heapUsed });
});
process.channel?.unref();
