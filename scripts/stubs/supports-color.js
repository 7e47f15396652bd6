// Stands in for chalk's bundled supports-color in mycli's bundles. chalk runs it at load time to pick
// the colour level of its default instances, loading node:tty (and with it node:net) at start-up; mycli
// never uses those instances: src/ui/terminal.ts makes its own Chalk with the level it decides.
export default { stdout: false, stderr: false };
