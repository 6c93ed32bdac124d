// Preloaded into Prism (node --require): Prism exits as soon as the process that started it is
// gone, however it went (SIGKILL included), because the IPC channel closes with its parent.
if (process.channel) {
  process.on('disconnect', () => process.exit(0));
  process.channel.unref();
}
