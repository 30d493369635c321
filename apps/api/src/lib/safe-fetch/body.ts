import { Readable } from "node:stream";
import { describeTarget, responseTooLarge, toTransportError } from "./errors.js";

const noop = () => {};

/**
 * The response body as handed to callers: the bytes of undici's body stream, pulled lazily (with
 * backpressure), with transport errors mapped like those of `request()` (a body timeout is
 * `PROVIDER_UNAVAILABLE`) and an optional byte cap (`RESPONSE_TOO_LARGE`). Destroying the returned
 * stream destroys undici's, which frees (closes) the socket.
 */
export function guardedBody(
  source: Readable,
  url: URL,
  maxBytes: number | undefined,
  signal: AbortSignal | undefined,
): Readable {
  // Errors reach the consumer through the iterator below; this listener only keeps an early
  // destroy (undici emits an AbortError then) from becoming an uncaught exception.
  source.on("error", noop);
  async function* pump(): AsyncGenerator<Buffer> {
    let total = 0;
    try {
      for await (const chunk of source) {
        const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
        total += buf.length;
        if (maxBytes !== undefined && total > maxBytes) throw responseTooLarge(describeTarget(url), maxBytes);
        yield buf;
      }
      // undici hands the socket back to the pool in a microtask after the last byte; ending one
      // macrotask later lets a caller's next request reuse that socket instead of opening another.
      await new Promise<void>((resolve) => setImmediate(resolve));
    } catch (err) {
      throw toTransportError(err, url, signal);
    }
  }
  return Readable.from(pump(), { objectMode: false });
}

/** Destroys a stream without an unhandled `error` event (undici's body emits one on destroy). */
export function destroyQuietly(stream: Readable): void {
  stream.on("error", noop);
  stream.destroy();
}

/** Reads and discards a body we do not hand out (redirect responses); never throws. */
export async function discardBody(
  body: Readable & { dump?: (opts?: { limit: number }) => Promise<unknown> },
) {
  try {
    if (typeof body.dump === "function") await body.dump({ limit: 64 * 1024 });
    else destroyQuietly(body);
  } catch {
    destroyQuietly(body);
  }
}

/** A WHATWG stream over a Node stream, pulled on demand; cancelling it destroys the source. */
export function toWebStream(body: Readable): ReadableStream<Uint8Array> {
  const iterator = body[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value as Buffer);
    },
    async cancel() {
      await iterator.return?.();
      destroyQuietly(body);
    },
  });
}
