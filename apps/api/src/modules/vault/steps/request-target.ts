import { buildFinalUrl } from "../../policies/engine/index.js";

/**
 * Where a vault request goes, as audit rows and approval summaries record it: method, host (with
 * a non-default port), path and the sorted query parameter names. Read from the normalised URL
 * the policy engine already built (and remembers), not parsed again.
 */
export function requestTarget(url: string | undefined, method: string | undefined) {
  const built = url ? buildFinalUrl(url, undefined, { allowHttp: true }) : undefined;
  const u = built?.ok ? built.url : undefined;
  return {
    method,
    host: u ? u.origin.slice(u.scheme.length + "://".length) : undefined,
    path: u?.path,
    queryKeys: u ? [...new Set(u.query.map((p) => p.key))].sort() : [],
  };
}
