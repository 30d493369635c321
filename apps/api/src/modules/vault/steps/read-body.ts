import type { Readable } from "node:stream";
import { AppError } from "../../../lib/errors.js";
import { providerError, providerUnavailable } from "../../../lib/safe-fetch.js";

/**
 * Reads a provider body up to `maxBytes`. Bigger bodies are never cut: the call fails
 * `RESPONSE_TOO_LARGE` with a hint to use `download` (API.md §3.9.2). Plain stream events rather
 * than async iteration: this runs on every buffered vault call.
 */
export function readBody(body: Readable, maxBytes: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (err: unknown) => {
      body.off("data", onData);
      // Transport errors arrive as AppErrors already; anything else (a compressed body that does
      // not decode) is the provider's answer being unreadable.
      reject(
        err instanceof AppError
          ? err
          : providerError("The provider's answer could not be read.", { reason: "body" }),
      );
    };
    const onData = (chunk: Buffer | Uint8Array) => {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += buf.length;
      if (size > maxBytes) {
        body.off("error", fail);
        body.on("error", () => undefined);
        body.destroy();
        fail(
          new AppError(
            "RESPONSE_TOO_LARGE",
            "The provider's answer is larger than the policy allows to buffer.",
            {
              hint: "Use download: true (or stream: true) for large bodies.",
              details: { maxResponseBytes: maxBytes },
            },
          ),
        );
        return;
      }
      chunks.push(buf);
    };
    body.on("data", onData);
    body.once("error", fail);
    body.once("end", () => {
      body.off("error", fail);
      resolve(Buffer.concat(chunks, size));
    });
    // Destroyed without an error and before its end: without this the call would wait forever.
    body.once("close", () => {
      if (!body.readableEnded)
        fail(providerUnavailable("The provider's answer stopped before its end.", { reason: "closed" }));
    });
  });
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
