import { type Readable, Transform } from "node:stream";
import { describeTarget, responseTooLarge, toTransportError } from "./errors.js";

const noop = () => {};

/**
 * The response body as handed to callers: the bytes of undici's body stream, with backpressure,
 * with transport errors mapped like those of `request()` (a body timeout is
 * `PROVIDER_UNAVAILABLE`) and an optional byte cap (`RESPONSE_TOO_LARGE`). Destroying the returned
 * stream destroys undici's, which frees (closes) the socket. One Transform, no async iteration:
 * this runs for every vault call, and each extra stream layer showed in its CPU profile.
 */
export function guardedBody(
  source: Readable,
  url: URL,
  maxBytes: number | undefined,
  signal: AbortSignal | undefined,
): Readable {
  let total = 0;
  const guarded = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      if (maxBytes !== undefined && total > maxBytes) done(responseTooLarge(describeTarget(url), maxBytes));
      else done(null, chunk);
    },
    flush(done) {
      // undici hands the socket back to the pool in a microtask after the last byte; ending one
      // macrotask later lets a caller's next request reuse that socket instead of opening another.
      setImmediate(done);
    },
  });
  source.on("error", (err) => guarded.destroy(toTransportError(err, url, signal) as Error));
  guarded.on("close", () => {
    if (!source.readableEnded) destroyQuietly(source);
  });
  return source.pipe(guarded);
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
