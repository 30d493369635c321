import type { Principal } from "@agenthifive/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../../lib/errors.js";
import type { EventHub, WorkspaceEvent } from "./events.service.js";

const MAX_STREAMS_PER_USER = 5;

const frame = (e: WorkspaceEvent) =>
  `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify({ type: e.type, id: e.resourceId, workspaceId: e.workspaceId, occurredAt: e.occurredAt })}\n\n`;

/**
 * GET /v1/events (API.md §3.14): Server-Sent Events, ids only. Bearer JWT/PAT, or the session
 * cookie for EventSource; `Last-Event-ID` replays the last hour; a comment every 15 s keeps
 * proxies from closing the stream.
 */
export const eventRoutes: FastifyPluginAsyncZod<{
  hub: EventHub;
  heartbeatMs?: number;
  /**
   * No stream outlives this (EVENT_STREAM_MAX_SECONDS), whatever its credential: a session cookie
   * lasts 30 days, and a signed-out or removed member must stop hearing events. EventSource
   * reconnects by itself with Last-Event-ID, and the reconnect re-checks session and membership.
   */
  maxStreamMs: number;
}> = async (app, { hub, heartbeatMs = 15_000, maxStreamMs }) => {
  const open = new Map<string, number>();

  app.get(
    "/v1/events",
    {
      config: { principal: "human", scope: "events:read", cookieAuth: true },
      schema: {
        tags: ["events"],
        querystring: z.strictObject({ lastEventId: z.string().uuid().optional() }),
      },
    },
    async (request, reply) => {
      const p = request.principal as Extract<Principal, { kind: "user" }>;
      const streams = open.get(p.userId) ?? 0;
      if (streams >= MAX_STREAMS_PER_USER) {
        throw new AppError("RATE_LIMITED", "Too many open event streams.", {
          headers: { "retry-after": "5" },
          hint: "Close another dashboard tab, or reuse one stream.",
        });
      }
      open.set(p.userId, streams + 1);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        connection: "keep-alive",
        "x-accel-buffering": "no",
        "x-content-type-options": "nosniff",
        "x-request-id": request.id,
      });
      res.write("retry: 3000\n\n");
      const buffered: WorkspaceEvent[] = [];
      let live = false;
      const unsubscribe = hub.subscribe(p.workspaceId, (e) =>
        live ? res.write(frame(e)) : buffered.push(e),
      );
      const heartbeat = setInterval(() => res.write(": ping\n\n"), heartbeatMs);
      // The stream lives no longer than the credential that opened it (API.md §3.14): the
      // client reconnects with a fresh token, which re-checks membership and scopes.
      const expiry = setTimeout(
        () => res.end(),
        Math.max(0, Math.min(p.expiresAt ? p.expiresAt - Date.now() : maxStreamMs, maxStreamMs)),
      );
      const close = () => {
        clearInterval(heartbeat);
        clearTimeout(expiry);
        unsubscribe();
        open.set(p.userId, (open.get(p.userId) ?? 1) - 1);
      };
      request.raw.on("close", close);

      const header = request.headers["last-event-id"];
      const lastEventId =
        (typeof header === "string" && /^[0-9a-f-]{36}$/.test(header) ? header : undefined) ??
        request.query.lastEventId;
      const seen = new Set<string>();
      if (lastEventId) {
        const replay = await hub.replay(p.workspaceId, lastEventId);
        if (replay === "reset") res.write("event: reset\ndata: {}\n\n");
        else
          for (const e of replay) {
            seen.add(e.id);
            res.write(frame(e));
          }
      }
      // Events that arrived during the replay go out once, in order, then the stream is live.
      for (const e of buffered) if (!seen.has(e.id)) res.write(frame(e));
      live = true;
    },
  );
};
