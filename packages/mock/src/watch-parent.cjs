// Preloaded into Prism (node --require). Prism exits as soon as the process that started it is
// gone, however it went (SIGKILL included), because the IPC channel closes with its parent. Over
// the same channel it answers 'heap' with its heap in use after a collection (for the soak bench).
if (process.channel) {
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message) => {
    if (message !== 'heap') return;
    globalThis.gc?.();
    process.send({ heapUsed: process.memoryUsage().heapUsed });
  });
  process.channel.unref();
}
