import type { Readable } from "node:stream";
import { AppError } from "../../../lib/errors.js";

/**
 * Reads a provider body up to `maxBytes`. Bigger bodies are never cut: the call fails
 * `RESPONSE_TOO_LARGE` with a hint to use `download` (API.md §3.9.2).
 */
export async function readBody(body: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buf.length;
    if (size > maxBytes) {
      body.destroy();
      throw new AppError(
        "RESPONSE_TOO_LARGE",
        "The provider's answer is larger than the policy allows to buffer.",
        {
          hint: "Use download: true (or stream: true) for large bodies.",
          details: { maxResponseBytes: maxBytes },
        },
      );
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export type BodyEnvelope = { body: unknown } | { bodyBase64: string };

/** JSON types → parsed JSON, text/* → string, anything else → base64. */
export function decodeBody(bytes: Buffer, contentType: string | undefined): BodyEnvelope {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (bytes.length === 0) return { body: null };
  if (type === "application/json" || type.endsWith("+json")) {
    try {
      return { body: JSON.parse(bytes.toString("utf8")) };
    } catch {
      return { body: bytes.toString("utf8") };
    }
  }
  if (type.startsWith("text/") || type === "application/x-ndjson" || type === "application/xml") {
    return { body: bytes.toString("utf8") };
  }
  return { bodyBase64: bytes.toString("base64") };
}
