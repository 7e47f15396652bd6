// Preloaded (NODE_OPTIONS=--require) into a mycli process by test/e2e/startup.test.ts: on exit, writes
// the Node built-ins the process loaded (process.moduleLoadList) to $MYCLI_TEST_MODULE_LIST.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  writeFileSync(process.env.MYCLI_TEST_MODULE_LIST, process.moduleLoadList.join('\n'));
});
