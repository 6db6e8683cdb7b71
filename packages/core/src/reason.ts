/** One reason a routing decision was taken: the rule, whether it held, and what it compared.
 * Its own file so classification (conv-class.ts) can give reasons without importing Backend. */
export interface Reason {
  rule: string;
  holds: boolean;
  detail: string;
  values?: Record<string, unknown>;
}
