// `npm run demo`: a local OpenID provider and the built mycli, step by step.
// MYCLI_DEMO_AUTOLOGIN=1 signs in without a person (scripts/demo-autologin.mjs as $BROWSER);
// MYCLI_DEMO_PORT fixes the provider's port.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { POST_LOGOUT_REDIRECT_URIS, startTestProvider } from '../test/support/provider.js';

interface Step {
  heading: string;
  args: string[];
  expectedExit: number;
  /** said after the step when it exits as expected */
  outcome?: string;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'mycli.js');
const autologin = process.env.MYCLI_DEMO_AUTOLOGIN === '1';

let child: ChildProcess | undefined;
let interrupted = false;

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`MYCLI_DEMO_PORT must be a port number (0-65535), not "${value}"`);
  }
  return port;
}

/** Command line for $BROWSER, which mycli splits on spaces: avoid paths with spaces in them. */
function browserCommand(): string {
  const node = /\s/.test(process.execPath) ? 'node' : process.execPath;
  const script = join(root, 'scripts', 'demo-autologin.mjs');
  return `${node} ${/\s/.test(script) ? relative(root, script) : script}`;
}

function childEnv(configDir: string): NodeJS.ProcessEnv {
  // The user's own mycli settings (MYCLI_ISSUER, MYCLI_TOKEN, MYCLI_PROFILE…) must not leak into the demo.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MYCLI_')));
  env.MYCLI_CONFIG_DIR = configDir;
  if (autologin) {
    env.BROWSER = browserCommand();
    // The stand-in browser plays the person, so this is not a non-interactive run even on CI.
    delete env.CI;
  }
  return env;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    // Asynchronous on purpose: the provider runs in this process and must keep answering.
    child = spawn(process.execPath, [bin, ...args], { cwd: root, env, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      child = undefined;
      resolve(code ?? (signal === 'SIGINT' ? 130 : 1));
    });
  });
}

function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) return;
  interrupted = true;
  // A Ctrl-C at the terminal reaches mycli too; forward only if it is still running after that.
  const running = child;
  setTimeout(() => running?.kill(signal), 500).unref();
}

async function main(): Promise<number> {
  if (!existsSync(bin)) {
    say(`${relative(process.cwd(), bin)} not found: build mycli first (npm run build).`);
    return 1;
  }
  const port = parsePort(process.env.MYCLI_DEMO_PORT);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const op = await startTestProvider({ port });
  const configDir = await mkdtemp(join(tmpdir(), 'mycli-demo-'));
  const env = childEnv(configDir);
  say(`A local OpenID provider is running at ${op.issuer} (client id ${op.clientId}).`);
  say(`mycli keeps its session in ${configDir} for this demo.`);

  const steps: Step[] = [
    {
      heading: 'mycli login — sign in with any username and password',
      args: ['login', '--issuer', op.issuer, '--client-id', op.clientId, '--port', '0', ...(autologin ? ['--timeout', '60'] : [])],
      expectedExit: 0,
    },
    { heading: 'mycli whoami — who is logged in, from the session file', args: ['whoami'], expectedExit: 0 },
    { heading: 'mycli whoami --json — the same, for scripts', args: ['whoami', '--json'], expectedExit: 0 },
    {
      heading: 'mycli logout — delete the session, revoke the refresh token, log out at the provider',
      args: ['logout', '--return-to', POST_LOGOUT_REDIRECT_URIS[0]!],
      expectedExit: 0,
    },
    {
      heading: 'mycli whoami — again',
      args: ['whoami'],
      expectedExit: 4,
      outcome: 'Exit code 4: not logged in any more, as expected.',
    },
  ];

  let status = 0;
  try {
    for (const [index, step] of steps.entries()) {
      say(`\nStep ${index + 1}/${steps.length}: ${step.heading}`);
      const code = await run(step.args, env);
      if (interrupted) {
        status = 130;
        break;
      }
      if (code !== step.expectedExit) {
        say(`Step ${index + 1} failed: mycli exited with ${code}, expected ${step.expectedExit}.`);
        status = 1;
        break;
      }
      if (step.outcome) say(step.outcome);
    }
    if (status === 0) say('\nDemo complete.');
  } finally {
    await op.close();
    await rm(configDir, { recursive: true, force: true });
  }
  return status;
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    say(`demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = interrupted ? 130 : 1;
  },
);
