"use client";
import { useQuery } from "@tanstack/react-query";
import { Notice, QueryState } from "@/components/ui/feedback";
import { Card, cell, Table } from "@/components/ui/layout";
import { api } from "@/lib/api-client";
import { isApiError } from "@/lib/api-error";

interface Listing<T> {
  items: T[];
  platformProviders?: string[];
}

/** Fetches a list that newer APIs offer; `null` (404) renders "not available" instead of an error. */
function useOptionalList<T>(key: string, path: string) {
  return useQuery({
    queryKey: [key],
    queryFn: async () => {
      try {
        return await api<Listing<T>>(path, { query: { limit: 200 } });
      } catch (e) {
        if (isApiError(e) && e.status === 404) return null;
        throw e;
      }
    },
  });
}

const unavailable = <Notice>This API version does not offer this yet.</Notice>;

export function ChannelsSection() {
  const q = useOptionalList<{ id: string; type: string; label: string; enabled: boolean; verified: boolean }>(
    "notification-channels",
    "/v1/notification-channels",
  );
  return (
    <Card title="Notification channels">
      <QueryState
        query={q}
        empty={(d) =>
          d === null ? (
            unavailable
          ) : d.items.length ? null : (
            <p className="text-sm text-zinc-500">No channels.</p>
          )
        }
      >
        {(d) => (
          <Table caption="Notification channels" head={["Label", "Type", "State"]}>
            {(d?.items ?? []).map((c) => (
              <tr key={c.id}>
                <td className={cell}>{c.label}</td>
                <td className={cell}>{c.type}</td>
                <td className={cell}>
                  {c.enabled ? "enabled" : "disabled"}
                  {c.verified ? " · verified" : ""}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </QueryState>
    </Card>
  );
}

export function OAuthAppsSection() {
  const q = useOptionalList<{
    id: string;
    provider: string;
    label: string;
    clientId: string;
    redirectUri: string;
  }>("oauth-apps", "/v1/oauth-apps");
  return (
    <Card title="OAuth apps (bring your own client)">
      <QueryState query={q} empty={(d) => (d === null ? unavailable : null)}>
        {(d) => (
          <div className="space-y-2">
            {d?.platformProviders?.length ? (
              <p className="text-sm">Platform apps: {d.platformProviders.join(", ")}</p>
            ) : null}
            {d?.items.length ? (
              <Table caption="OAuth apps" head={["Label", "Provider", "Client id", "Redirect URI"]}>
                {d.items.map((a) => (
                  <tr key={a.id}>
                    <td className={cell}>{a.label}</td>
                    <td className={cell}>{a.provider}</td>
                    <td className={`${cell} font-mono text-xs`}>{a.clientId}</td>
                    <td className={`${cell} font-mono text-xs`}>{a.redirectUri}</td>
                  </tr>
                ))}
              </Table>
            ) : (
              <p className="text-sm text-zinc-500">No workspace OAuth apps.</p>
            )}
          </div>
        )}
      </QueryState>
    </Card>
  );
}
