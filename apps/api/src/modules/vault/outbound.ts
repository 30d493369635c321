import type { Readable } from "node:stream";

/** The SSRF-guarded client the vault calls providers through (lib/safe-fetch). */
export interface OutboundRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  signal?: AbortSignal;
  /** The headers the credential was injected into: never sent on to another origin. */
  credentialHeaders?: readonly string[];
  /** Re-checks each redirect target against the policy; throws to refuse it. */
  checkRedirect?: (url: URL) => void;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Readable;
  url: string;
  redirects: number;
}

export interface OutboundClient {
  request(request: OutboundRequest): Promise<OutboundResponse>;
}
