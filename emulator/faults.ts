/**
 * Fault injection, switchable per route by tests: a rule makes the next `times` matching requests
 * (or a `rate` share of them) answer with an error status or arrive slowly.
 */
export type RetryAfter = { seconds: number } | { date: number } | "absent";
export type FaultRule = {
  /** Route key as counted, e.g. "GET /v1.0/organization"; a trailing "*" matches by prefix ("GET /beta/*", "*"). */
  route: string;
  status?: 429 | 500 | 503 | 504;
  retryAfter?: RetryAfter;
  /**
   * "Apply then fail": the request is carried out and only then answered with `status` (500 or
   * 504), or not at all (`drop`), as when Graph's answer is lost after the write happened. A client
   * that retries such a create makes a second object (Graph documents no idempotency key for
   * Intune creates). With `afterApply`, `delayMs` holds the answer back after the write.
   */
  afterApply?: boolean;
  /**
   * No answer at all: the connection is destroyed — before the request is carried out (a reset, a
   * proxy giving up), or with `afterApply` after it was.
   */
  drop?: boolean;
  delayMs?: number;
  times?: number;
  rate?: number;
};

export class FaultBook {
  #rules: FaultRule[] = [];

  add(rule: FaultRule) {
    this.#rules.push({ ...rule });
  }

  clear() {
    this.#rules = [];
  }

  /** The rule that applies to this request, consuming one of its `times`. */
  take(route: string): FaultRule | undefined {
    for (const rule of this.#rules) {
      if (rule.route.endsWith("*") ? !route.startsWith(rule.route.slice(0, -1)) : rule.route !== route) continue;
      if (rule.rate !== undefined && Math.random() >= rule.rate) continue;
      if (rule.times !== undefined) {
        if (rule.times <= 0) continue;
        rule.times -= 1;
      }
      return rule;
    }
    return undefined;
  }
}

export function retryAfterHeader(retryAfter: RetryAfter | undefined): string | undefined {
  if (!retryAfter || retryAfter === "absent") return undefined;
  if ("seconds" in retryAfter) return String(retryAfter.seconds);
  return new Date(Date.now() + retryAfter.date * 1000).toUTCString();
}
