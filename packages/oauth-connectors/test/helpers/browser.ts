/**
 * A minimal headless "browser" for the OAuth server's HTML side: a cookie jar, manual redirects
 * and form posts, over real HTTP with the global fetch. Every request carries `x-test-browser`,
 * so the server can tell user-agent traffic (which legitimately has cookies) from the
 * connector's back-channel calls (which must never have any).
 */
export class TestBrowser {
  private readonly jar = new Map<string, string>();

  constructor(private readonly decision: "approve" | "deny" = "approve") {}

  async request(url: URL, init: { method?: string; form?: URLSearchParams } = {}): Promise<Response> {
    const headers = new Headers({ "x-test-browser": "1", "x-test-decision": this.decision });
    if (this.jar.size > 0) headers.set("cookie", [...this.jar].map(([k, v]) => `${k}=${v}`).join("; "));
    if (init.form) headers.set("content-type", "application/x-www-form-urlencoded");
    const response = await fetch(url, {
      method: init.method ?? (init.form ? "POST" : "GET"),
      headers,
      body: init.form?.toString(),
      redirect: "manual",
    });
    for (const cookie of response.headers.getSetCookie()) this.store(cookie);
    return response;
  }

  /**
   * Follows redirects from `url` until one points under `stopAt` (returned, not fetched) or a
   * non-redirect answer arrives (returned as the final response with its URL).
   */
  async follow(
    url: URL,
    stopAt: string,
    init: { method?: string; form?: URLSearchParams } = {},
  ): Promise<{ url: URL; response?: Response }> {
    let current = url;
    let next = init;
    for (let hop = 0; hop < 20; hop++) {
      if (current.href.startsWith(stopAt)) return { url: current };
      const response = await this.request(current, next);
      const location = response.headers.get("location");
      if (response.status < 300 || response.status > 399 || !location) return { url: current, response };
      await response.body?.cancel();
      current = new URL(location, current);
      next = {};
    }
    throw new Error("too many redirects");
  }

  private store(setCookie: string): void {
    const [pair = "", ...attributes] = setCookie.split(";");
    const eq = pair.indexOf("=");
    if (eq === -1) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === "";
    if (expired) this.jar.delete(name);
    else this.jar.set(name, value);
  }
}

/** The hidden inputs of the first form in an HTML page. */
export function hiddenInputs(html: string): URLSearchParams {
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)) {
    form.set(match[1] ?? "", decodeHtml(match[2] ?? ""));
  }
  return form;
}

function decodeHtml(value: string): string {
  return value
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}
