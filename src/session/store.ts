import { join } from 'node:path';
import { NotLoggedInError } from '../errors.js';
import { parseSession, type Session } from './format.js';
import { readPrivateFile, removeFile, writePrivateJson } from './files.js';

/** One file per profile: CONFIG_DIR/sessions/PROFILE.json (the profile name is validated first). */
export function sessionPath(configDir: string, profile: string): string {
  return join(configDir, 'sessions', `${profile}.json`);
}

/** The saved session, or undefined when there is none. A damaged file is one clear error (exit 4). */
export function readSession(configDir: string, profile: string): Session | undefined {
  const path = sessionPath(configDir, profile);
  let text: string | undefined;
  try {
    text = readPrivateFile(path);
  } catch (error) {
    throw new NotLoggedInError(
      `Cannot read the session file ${path} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).`,
      'Check its permissions, or run `mycli login` to replace it.',
    );
  }
  if (text === undefined) return undefined;
  const parsed = parseSession(text);
  if (!parsed.ok) {
    throw new NotLoggedInError(
      `The session file ${path} is damaged (${parsed.problem}).`,
      'Run `mycli login` to replace it.',
    );
  }
  return parsed.session;
}

export async function saveSession(configDir: string, profile: string, session: Session): Promise<void> {
  await writePrivateJson(sessionPath(configDir, profile), session);
}

export function deleteSession(configDir: string, profile: string): boolean {
  return removeFile(sessionPath(configDir, profile));
}
