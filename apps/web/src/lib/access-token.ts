import type { TokenExchangeResponse } from "@agenthifive/contracts";
import { toApiError } from "./api-error";

/**
 * The dashboard's 5-minute API JWT (API.md §2.2). The API signs it; the browser only exchanges
 * its first-party session cookie for it and keeps it in memory (never in storage), refreshing a
 * minute before it expires.
 */
export interface Access extends TokenExchangeResponse {
  expiresAt: number;
}

const REFRESH_MARGIN_MS = 60_000;
let current: Access | null = null;
let inflight: Promise<Access> | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<(a: Access | null) => void>();

async function exchange(workspaceId?: string): Promise<Access> {
  const res = await fetch("/api/internal/token/exchange", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(workspaceId ? { workspaceId } : {}),
  });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw toApiError(res.status, body);
  const data = body as TokenExchangeResponse;
  return { ...data, expiresAt: Date.now() + data.expiresIn * 1000 };
}

function store(a: Access | null) {
  current = a;
  clearTimeout(timer);
  if (a && typeof window !== "undefined") {
    const wait = Math.max(5_000, a.expiresAt - Date.now() - REFRESH_MARGIN_MS);
    timer = setTimeout(() => {
      void getAccess({ force: true }).catch(() => undefined);
    }, wait);
  }
  for (const l of listeners) l(a);
}

/** The current token, exchanged (once, even when many callers ask together) when missing or stale. */
export function getAccess(opts: { force?: boolean; workspaceId?: string } = {}): Promise<Access> {
  const fresh = current && current.expiresAt - Date.now() > REFRESH_MARGIN_MS;
  const sameWorkspace = !opts.workspaceId || current?.workspaceId === opts.workspaceId;
  if (current && fresh && sameWorkspace && !opts.force) return Promise.resolve(current);
  if (inflight && !opts.workspaceId) return inflight;
  const p = exchange(opts.workspaceId ?? current?.workspaceId).then(
    (a) => {
      store(a);
      return a;
    },
    (e: unknown) => {
      if ((e as { status?: number }).status === 401) store(null);
      throw e;
    },
  );
  inflight = p.finally(() => {
    if (inflight === p) inflight = null;
  });
  return p;
}

export function peekAccess(): Access | null {
  return current;
}

export function clearAccess(): void {
  store(null);
}

export function onAccessChange(listener: (a: Access | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
