import type { ConvrouteError } from '@convroute/core';

/** Every command's --json document starts with this, so consumers can check what they parse. */
export const JSON_FORMAT = 'convroute/v1';

/** One JSON document: `format` and `command` first, then the command's own fields. */
export function jsonDocument(command: string, body: object, indent?: number): string {
  return `${JSON.stringify({ format: JSON_FORMAT, command, ...body }, null, indent)}\n`;
}

/** An error under --json: the same shape, with the typed error's parts under `error`. */
export function jsonError(command: string | undefined, e: ConvrouteError): string {
  const { code, field, value, rule } = e;
  return jsonDocument(command ?? 'convroute', { error: { code, field, value: value === undefined ? null : value, rule, message: e.message } });
}
