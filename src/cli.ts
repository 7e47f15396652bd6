import { main } from './main.js';
import { createProcessContext } from './process-context.js';

/** The entry point bin/mycli.js calls. */
export function run(argv: string[], signal: AbortSignal): Promise<number> {
  return main(argv, createProcessContext(signal));
}
