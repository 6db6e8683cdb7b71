import { calibratedPolicy, calibrationTable, type PolicyLike, parseRuleTable, tablePolicy } from '@convroute/router';
import { parseJsonFile, readText } from './files.ts';

/** Same test as the router's: a name with a slash or ending in .json is a rule-table file. */
function looksLikePath(s: string): boolean {
  return s.endsWith('.json') || s.includes('/') || s.includes('\\');
}

/** `--policy`: a built-in name is passed on; a rule-table or `calibrated:<file>` file is read here,
 * bounded and regular files only, and a file that is not JSON is reported without its content. */
export async function policyFromFlag(text: string | undefined, flag = '--policy'): Promise<PolicyLike | undefined> {
  if (text === undefined) return undefined;
  if (text.startsWith('calibrated:')) {
    const file = text.slice('calibrated:'.length);
    return calibratedPolicy(calibrationTable(parseJsonFile(flag, file, await readText(flag, file)), file));
  }
  if (!looksLikePath(text)) return text;
  return tablePolicy(parseRuleTable(parseJsonFile(flag, text, await readText(flag, text)), text));
}
