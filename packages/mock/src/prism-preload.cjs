// Preloaded into Prism (node --require), talking to the process that started it over the IPC channel:
//  - Prism binds the port it is given (0: one the OS picks) and reports the address it really holds
//    as { listening: address }, so the parent never guesses a port that someone else could take;
//  - Prism exits as soon as its parent is gone, however it went (SIGKILL included), because the IPC
//    channel closes with the parent;
//  - it answers 'heap' with its heap in use after a collection (for the soak bench).
if (process.channel) {
  const net = require('node:net');
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function listenAndReport(...args) {
    this.once('listening', () => process.send({ listening: this.address() }));
    return listen.apply(this, args);
  };
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message) => {
    if (message !== 'heap') return;
    globalThis.gc?.();
    process.send({ heapUsed: process.memoryUsage().heapUsed });
  });
  process.channel.unref();
}
