import { isConvrouteError } from '@convroute/core';
import { describe, expect, it } from 'vitest';
import { calibrationTable, parseRuleTable, profileFromJson } from '../src/index.ts';

// Text handed to the router's parsers may be any file a caller read (issue 12: `--policy
// /etc/passwd` echoed its first bytes through JSON.parse's message). A syntax error names the
// position only.
const secret = 'root:x:0:0:SECRET-LINE:/root:/bin/bash';

describe('router JSON parsers never echo the text they could not parse', () => {
  for (const [name, parse, code] of [
    ['parseRuleTable', (t: string) => parseRuleTable(t, 'policy.json'), 'INVALID_POLICY'],
    ['calibrationTable', (t: string) => calibrationTable(t, 'profile.json'), 'INVALID_POLICY'],
    ['profileFromJson', (t: string) => profileFromJson(t, 'profile.json'), 'INVALID_PROFILE'],
  ] as const) {
    it(name, () => {
      let err: unknown;
      try {
        parse(secret);
      } catch (e) {
        err = e;
      }
      expect(isConvrouteError(err, code)).toBe(true);
      const e = err as Error & { value: unknown; field: string };
      expect(e.message).not.toMatch(/SECRET|root:x/);
      expect(e.value).toBeUndefined();
      expect(e.field).toMatch(/\.json$/);
      expect(e.message).toMatch(/is not valid JSON( \(at character \d+\))?; content not shown/);
    });
  }
});
