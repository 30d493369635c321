"use client";
import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";

export type LiveState = "connecting" | "live" | "offline";

/** Which cached lists an event makes stale (API.md §3.14: events carry ids only; we refetch). */
const INVALIDATES: Record<string, string[][]> = {
  "approval.created": [["approvals"], ["audit"]],
  "approval.decided": [["approvals"], ["audit"]],
  "connection.updated": [["connections"]],
  "agent.enrolled": [["agents"], ["audit"]],
  "policy.updated": [["policies"]],
  "permission_request.created": [["permission-requests"]],
};

function invalidate(qc: QueryClient, type: string) {
  if (type === "reset") {
    void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== "access" });
    return;
  }
  for (const key of INVALIDATES[type] ?? []) void qc.invalidateQueries({ queryKey: key });
}

/**
 * One EventSource on GET /v1/events for the whole dashboard. It authenticates with the session
 * cookie (EventSource cannot send headers); the workspace is the session's active one, which the
 * token exchange sets, so it reconnects when the workspace changes.
 */
export function useLiveEvents(workspaceId: string | undefined): LiveState {
  const qc = useQueryClient();
  const [state, setState] = useState<LiveState>("connecting");
  useEffect(() => {
    if (!workspaceId) return;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const open = () => {
      setState("connecting");
      source = new EventSource("/v1/events");
      source.onopen = () => setState("live");
      source.onerror = () => {
        if (source?.readyState === EventSource.CLOSED && !stopped) {
          // A refused stream (e.g. 401 after sign-out elsewhere) is not retried by the browser.
          setState("offline");
          retry = setTimeout(open, 5_000);
        } else setState("connecting");
      };
      for (const type of [...Object.keys(INVALIDATES), "reset"]) {
        source.addEventListener(type, () => invalidate(qc, type));
      }
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [qc, workspaceId]);
  return state;
}
