import { ConvrouteError, type ErrorCode } from './errors.ts';

/**
 * JSON.parse for text that may come from any file (a wrong path can name a password file): a
 * syntax error names the field, the value the caller gives (a path, or nothing) and the character
 * position, never the content or JSON.parse's message, which quotes it.
 */
export function parseJsonText(text: string, code: ErrorCode, field: string, value?: unknown): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message);
    throw new ConvrouteError(code, field, value, `is not valid JSON${at ? ` (at character ${at[1]})` : ''}; content not shown`);
  }
}
