/**
 * Agent headers the engine refuses before any rule runs: they would make the provider act on
 * something other than what the policy, the fingerprint and the approver saw.
 */
const OVERRIDES = new Set([
  "x-http-method-override",
  "x-http-method",
  "x-method-override",
  "x-original-method",
  "x-original-url",
  "x-rewrite-url",
]);

export interface HeaderProblem {
  reason: string;
  hint: string;
}

export function requestHeaderProblem(
  headers: Readonly<Record<string, unknown>> | undefined,
): HeaderProblem | null {
  if (!headers) return null;
  const seen = new Set<string>();
  for (const raw of Object.keys(headers)) {
    const name = raw.toLowerCase();
    if (seen.has(name)) {
      return {
        reason: `the header ${name} is sent twice (header names are case-insensitive)`,
        hint: "Send each header once.",
      };
    }
    seen.add(name);
    if (OVERRIDES.has(name)) {
      return {
        reason: `${name} would make the provider run another method or URL than the one the policy checks`,
        hint: "Send the real method and URL instead of an override header.",
      };
    }
    if (name === "content-encoding") {
      return {
        reason: "a compressed request body cannot be checked by the policy",
        hint: "Send the body uncompressed, without Content-Encoding.",
      };
    }
  }
  return null;
}
