import { pipeline } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { providerError } from "../../../lib/safe-fetch.js";
import type { OutboundResponse } from "../outbound.js";

const DECODERS: Record<string, () => NodeJS.ReadWriteStream> = {
  gzip: createGunzip,
  "x-gzip": createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/**
 * The vault asks providers for `identity`; one that compresses anyway is decoded here, so the
 * response rules, the credential-echo check and the size limit all see the real bytes (a
 * compressed answer would slip past them). An encoding we cannot decode fails the call.
 */
export function decodeContentEncoding(response: OutboundResponse, method: string): OutboundResponse {
  // No body to decode: HEAD, 204, 304 or an empty one (S3 answers HEAD of a gzipped object so).
  if (
    method.toUpperCase() === "HEAD" ||
    response.status === 204 ||
    response.status === 304 ||
    response.headers["content-length"] === "0"
  ) {
    return response;
  }
  const raw = response.headers["content-encoding"];
  const encoding = String(Array.isArray(raw) ? raw.join(",") : (raw ?? ""))
    .trim()
    .toLowerCase();
  if (encoding === "" || encoding === "identity") return response;
  const make = DECODERS[encoding];
  if (!make) {
    response.body.destroy();
    throw providerError(`The provider answered in a content encoding the vault cannot read (${encoding}).`, {
      reason: "content_encoding",
      encoding,
    });
  }
  const { "content-encoding": _decoded, ...headers } = response.headers;
  // pipeline: an error or an early close on either side tears both down.
  const body = pipeline(response.body, make(), () => undefined) as unknown as OutboundResponse["body"];
  return { ...response, headers, body };
}
