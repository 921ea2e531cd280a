// Preloaded into the load generator's process (load.ts): as it exits, its own CPU time (user and
// system, µs) goes to stderr as the last line. Beside the server's CPU time it tells which of the
// two a run was waiting for: on two cores autocannon itself can be the bottleneck of a bare route.
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`\ncpu-us ${user + system}\n`);
});
