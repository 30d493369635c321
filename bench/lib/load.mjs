import autocannon from "autocannon";

/**
 * One load run: `connections` concurrent keep-alive clients for `durationS` seconds. Bodies can
 * come from a generator (each request different, e.g. single-use assertions).
 */
export async function load({ url, method = "GET", headers = {}, body, nextBody, connections, durationS }) {
  const result = await autocannon({
    url,
    method,
    headers,
    body,
    connections,
    duration: durationS,
    pipelining: 1,
    ...(nextBody
      ? { requests: [{ method, headers, setupRequest: (req) => ({ ...req, body: nextBody() }) }] }
      : {}),
  });
  const non2xx = result.non2xx;
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p97_5: result.latency.p97_5,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx,
    total: result.requests.total,
  };
}
