// Stands in for ajv and ajv-formats in mycli's bundle. conf imports them at load time but only uses
// them when given a JSON schema, and mycli gives it none: the session format is checked by
// src/session/format.ts. Loading ajv was the largest single cost of a login or config write.
function unavailable() {
  throw new Error('mycli is built without ajv: conf schemas are not supported');
}
export class Ajv2020 {
  constructor() {
    unavailable();
  }
}
export default unavailable;
