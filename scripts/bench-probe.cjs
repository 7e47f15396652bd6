// Preloaded (node -r) into a process the benchmark measures: on exit, appends the process's peak
// resident memory and CPU time to $MYCLI_BENCH_PROBE_OUT as one JSON line. Timing runs go without it.
const { appendFileSync } = require('node:fs');

process.on('exit', () => {
  const out = process.env.MYCLI_BENCH_PROBE_OUT;
  if (!out) return;
  const { maxRSS } = process.resourceUsage();
  const cpu = process.cpuUsage();
  appendFileSync(out, `${JSON.stringify({ maxRssKiB: maxRSS, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
});
