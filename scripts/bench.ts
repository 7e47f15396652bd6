// `npm run bench`: how fast mycli's everyday commands start, next to bare Node.js, and what they cost.
// Sets up a real logged-in session against a local oidc-provider, then times each command against
// `node -e 0` in interleaved rounds (so load on the machine hits all alike), and prints a table.
// Not a test: nothing here fails `npm test`. `--check` exits 1 when a target is missed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { completeLogin, waitForUrl } from '../test/support/login-driver.ts';
import { startTestProvider } from '../test/support/provider.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'mycli.js');
const probe = join(root, 'scripts', 'bench-probe.cjs');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 40;
const check = args.includes('--check');

interface Case {
  name: string;
  argv: string[];
  env: NodeJS.ProcessEnv;
  expectedExit: number;
  maxRatio?: number;
}

const work = mkdtempSync(join(tmpdir(), 'mycli-bench-'));
const baseEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(MYCLI_|CI$|BROWSER$|DISPLAY$|NO_COLOR$)/.test(k)),
);
const loggedIn = { ...baseEnv, MYCLI_CONFIG_DIR: join(work, 'in') };
const loggedOut = { ...baseEnv, MYCLI_CONFIG_DIR: join(work, 'out') };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function runOnce(c: Case, extraNodeArgs: string[] = [], env: NodeJS.ProcessEnv = c.env): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [...extraNodeArgs, ...c.argv], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== c.expectedExit) {
    throw new Error(`${c.name} exited ${result.status}, expected ${c.expectedExit}: ${result.stderr}`);
  }
  return ms;
}

/** Peak memory and CPU of one run, from the probe preloaded into the measured process. */
function probeOnce(c: Case): { maxRssKiB: number; cpuMs: number } {
  const out = join(work, `probe-${Math.random().toString(36).slice(2)}.jsonl`);
  runOnce(c, ['-r', probe], { ...c.env, MYCLI_BENCH_PROBE_OUT: out });
  return JSON.parse(readFileSync(out, 'utf8').trim().split('\n').pop()!);
}

async function logIn(issuer: string, clientId: string, env: NodeJS.ProcessEnv, withProbe = false): Promise<void> {
  const child = spawn(process.execPath, [...(withProbe ? ['-r', probe] : []), bin, 'login', '--issuer', issuer, '--client-id', clientId, '--port', '0'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await waitForUrl(child.stderr!, /\/auth\?/);
  await completeLogin(url, { login: 'bench' });
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`login exited ${code}`);
}

const provider = await startTestProvider({ accessTokenTtl: 24 * 3600 });
try {
  await logIn(provider.issuer, provider.clientId, loggedIn);
  const node: Case = { name: 'node -e 0', argv: ['-e', '0'], env: baseEnv, expectedExit: 0 };
  const cases: Case[] = [
    { name: 'mycli whoami', argv: [bin, 'whoami'], env: loggedIn, expectedExit: 0, maxRatio: 1.3 },
    { name: 'mycli whoami --json', argv: [bin, 'whoami', '--json'], env: loggedIn, expectedExit: 0, maxRatio: 1.3 },
    { name: 'mycli token', argv: [bin, 'token'], env: loggedIn, expectedExit: 0, maxRatio: 1.3 },
    { name: 'mycli whoami (logged out)', argv: [bin, 'whoami'], env: loggedOut, expectedExit: 4, maxRatio: 1.3 },
    { name: 'mycli --help', argv: [bin, '--help'], env: loggedIn, expectedExit: 0, maxRatio: 1.5 },
  ];
  const all = [node, ...cases];
  const times = new Map<Case, number[]>(all.map((c) => [c, []]));
  for (const c of all) runOnce(c); // warm the file cache
  for (let round = 0; round < runs; round++) {
    // A fresh order each round, so no command always follows the same one.
    for (const c of [...all].sort(() => Math.random() - 0.5)) times.get(c)!.push(runOnce(c));
  }
  const base = median(times.get(node)!);

  const memoryLimitMiB = 60;
  const rows: string[][] = [];
  let missed = 0;
  const nodeProbe = probeOnce(node);
  const fastest = (c: Case) => Math.min(...times.get(c)!);
  rows.push([node.name, base.toFixed(1), fastest(node).toFixed(1), '1.00', '', (nodeProbe.maxRssKiB / 1024).toFixed(1), '']);
  for (const c of cases) {
    const ms = median(times.get(c)!);
    const ratio = ms / base;
    const mem = probeOnce(c).maxRssKiB / 1024;
    const ok = ratio <= c.maxRatio! && mem <= memoryLimitMiB;
    if (!ok) missed++;
    rows.push([c.name, ms.toFixed(1), fastest(c).toFixed(1), ratio.toFixed(2), `≤ ${c.maxRatio!.toFixed(1)}x, ≤ ${memoryLimitMiB} MiB`, mem.toFixed(1), ok ? 'ok' : 'MISSED']);
  }

  // login: the CPU the process itself spends (waiting for the person and the provider is idle time),
  // each login followed by a `node -e 0`, so both see the same load on the machine.
  const logins = 9;
  const loginCpu: number[] = [];
  const nodeCpus: number[] = [];
  for (let i = 0; i < logins; i++) {
    const out = join(work, `login-${i}.jsonl`);
    await logIn(provider.issuer, provider.clientId, { ...baseEnv, MYCLI_CONFIG_DIR: join(work, `login-${i}`), MYCLI_BENCH_PROBE_OUT: out }, true);
    loginCpu.push(JSON.parse(readFileSync(out, 'utf8').trim()).cpuMs);
    nodeCpus.push(probeOnce(node).cpuMs);
  }
  const nodeCpu = median(nodeCpus);
  const loginOwn = median(loginCpu) - nodeCpu;
  const loginOk = loginOwn < 150;
  if (!loginOk) missed++;

  const header = ['command', 'median ms', 'min ms', 'ratio (medians)', 'target', 'peak MiB', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`mycli benchmark: ${runs} interleaved runs each, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  console.log(
    `\nmycli login, CPU of the process (median of ${logins} logins): ${median(loginCpu).toFixed(0)} ms in all, ${loginOwn.toFixed(0)} ms beyond bare Node.js start-up (${nodeCpu.toFixed(0)} ms); target < 150 ms: ${loginOk ? 'ok' : 'MISSED'}`,
  );
  if (check && missed > 0) process.exitCode = 1;
} finally {
  await provider.close();
  rmSync(work, { recursive: true, force: true });
}
