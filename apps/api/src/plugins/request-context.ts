import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** `X-Request-Id` is accepted when well-formed, else generated (API.md §1.6). */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && REQUEST_ID.test(given) ? given : `req-${randomUUID()}`;
}
