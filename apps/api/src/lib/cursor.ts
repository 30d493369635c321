import { createHmac } from "node:crypto";
import { timingSafeEqualString } from "@agenthifive/security";
import { AppError } from "./errors.js";

const CURSOR_TTL_MS = 24 * 3600 * 1000;

interface CursorBody {
  /** The sort key of the last item returned (its id, time-ordered). */
  k: string;
  /** Hash of the route and filters the cursor was issued for. */
  f: string;
  /** Issued at, ms. */
  t: number;
}

/**
 * Opaque, signed pagination cursors (API.md §1.4): a tampered cursor, one issued for other
 * filters or another route, or one older than 24 h is a 400 VALIDATION_FAILED.
 */
export function createCursorCodec(secret: string, now: () => number = Date.now) {
  const sign = (payload: string) => createHmac("sha256", secret).update(payload).digest("base64url");
  const filterKey = (scope: string, filters: Record<string, unknown>) =>
    createHmac("sha256", secret)
      .update(`${scope}\n${JSON.stringify(filters, Object.keys(filters).sort())}`)
      .digest("base64url")
      .slice(0, 16);
  const invalid = () =>
    new AppError("VALIDATION_FAILED", "The cursor is not valid for this list.", {
      details: {
        field: "cursor",
        issues: [{ path: "cursor", message: "invalid or expired cursor", code: "invalid_cursor" }],
      },
      hint: "Restart the listing without a cursor.",
    });

  return {
    encode(scope: string, filters: Record<string, unknown>, lastKey: string): string {
      const body: CursorBody = { k: lastKey, f: filterKey(scope, filters), t: now() };
      const payload = Buffer.from(JSON.stringify(body)).toString("base64url");
      return `${payload}.${sign(payload)}`;
    },
    /** Returns the last key, or undefined when no cursor was given. */
    decode(scope: string, filters: Record<string, unknown>, cursor: string | undefined): string | undefined {
      if (cursor === undefined) return undefined;
      const [payload, mac, extra] = cursor.split(".");
      if (!payload || !mac || extra !== undefined || !timingSafeEqualString(mac, sign(payload)))
        throw invalid();
      let body: CursorBody;
      try {
        body = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as CursorBody;
      } catch {
        throw invalid();
      }
      if (
        typeof body.k !== "string" ||
        body.f !== filterKey(scope, filters) ||
        now() - body.t > CURSOR_TTL_MS
      ) {
        throw invalid();
      }
      return body.k;
    },
  };
}
export type CursorCodec = ReturnType<typeof createCursorCodec>;

/** Builds `{ items, nextCursor }` from a query that fetched `limit + 1` rows. */
export function toPage<T, R>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => string,
  map: (row: T) => R,
  cursorFor: (lastKey: string) => string,
): { items: R[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return { items: page.map(map), nextCursor: more && last ? cursorFor(keyOf(last)) : null };
}
