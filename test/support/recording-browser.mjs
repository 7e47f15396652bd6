#!/usr/bin/env node
// A stand-in for the user's browser in tests: records the URL it was handed and exits.
import { appendFileSync } from 'node:fs';

const url = process.argv[process.argv.length - 1];
if (process.env.MYCLI_TEST_BROWSER_LOG) appendFileSync(process.env.MYCLI_TEST_BROWSER_LOG, `${url}\n`);
if (process.env.MYCLI_TEST_BROWSER_FAIL) process.exit(1);
