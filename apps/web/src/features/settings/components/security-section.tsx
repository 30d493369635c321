"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorAlert, Notice, QueryState } from "@/components/ui/feedback";
import { TextField } from "@/components/ui/field";
import { Card, cell, Table } from "@/components/ui/layout";
import { fromAuthError } from "@/features/auth/auth-error";
import { authClient } from "@/lib/auth-client";
import { formatDate } from "@/lib/format";

async function unwrap<T>(p: Promise<{ data: T | null; error: unknown }>): Promise<T> {
  const { data, error } = await p;
  if (error) throw fromAuthError(error as Parameters<typeof fromAuthError>[0]);
  return data as T;
}

interface PasskeyRow {
  id: string;
  name?: string | null;
  createdAt: string | Date;
  deviceType?: string;
}
interface SessionRow {
  id: string;
  token: string;
  userAgent?: string | null;
  ipAddress?: string | null;
  createdAt: string | Date;
  expiresAt: string | Date;
}

const iso = (d: string | Date) => (typeof d === "string" ? d : d.toISOString());

/** Passkeys and sessions: Better Auth's own routes, reached same-origin through /api/auth. */
export function SecuritySection() {
  const qc = useQueryClient();
  const [name, setName] = useState("");
  const passkeys = useQuery({
    queryKey: ["passkeys"],
    queryFn: () => unwrap<PasskeyRow[]>(authClient.passkey.listUserPasskeys() as never),
  });
  const sessions = useQuery({
    queryKey: ["sessions"],
    queryFn: () => unwrap<SessionRow[]>(authClient.listSessions() as never),
  });
  const current = useQuery({
    queryKey: ["current-session"],
    queryFn: () => unwrap<{ session: { id: string } }>(authClient.getSession() as never),
  });
  const add = useMutation({
    mutationFn: async () => {
      const res = await authClient.passkey.addPasskey({ name: name.trim() || undefined });
      if (res?.error) throw fromAuthError(res.error);
    },
    onSuccess: () => {
      setName("");
      return qc.invalidateQueries({ queryKey: ["passkeys"] });
    },
  });
  const removePasskey = useMutation({
    mutationFn: (id: string) => unwrap(authClient.passkey.deletePasskey({ id }) as never),
    onSettled: () => qc.invalidateQueries({ queryKey: ["passkeys"] }),
  });
  const revokeSession = useMutation({
    mutationFn: (token: string) => unwrap(authClient.revokeSession({ token }) as never),
    onSettled: () => qc.invalidateQueries({ queryKey: ["sessions"] }),
  });
  return (
    <Card title="Sign-in and security">
      <div className="space-y-6">
        <section aria-label="Passkeys" className="space-y-3">
          <h3 className="font-medium">Passkeys</h3>
          <QueryState
            query={passkeys}
            empty={(d) => (d?.length ? null : <p className="text-sm text-zinc-500">No passkeys yet.</p>)}
          >
            {(d) => (
              <ul className="space-y-1" data-testid="passkey-list">
                {d.map((p) => (
                  <li key={p.id} className="flex items-center justify-between gap-2 text-sm">
                    <span>
                      {p.name || "Passkey"} · added {formatDate(iso(p.createdAt))}
                    </span>
                    <Button variant="ghost" onClick={() => removePasskey.mutate(p.id)}>
                      Remove
                    </Button>
                  </li>
                ))}
              </ul>
            )}
          </QueryState>
          <form
            className="flex flex-wrap items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              add.mutate();
            }}
          >
            <TextField
              label="Passkey name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="This laptop"
            />
            <Button type="submit" busy={add.isPending}>
              Add a passkey
            </Button>
          </form>
          {add.isSuccess ? <Notice tone="success">Passkey added. You can now sign in with it.</Notice> : null}
          <ErrorAlert error={add.error ?? removePasskey.error} />
        </section>
        <section aria-label="Sessions" className="space-y-3">
          <h3 className="font-medium">Active sessions</h3>
          <QueryState query={sessions}>
            {(d) => (
              <Table caption="Active sessions" head={["Device", "Signed in", "Expires", ""]}>
                {d.map((s) => (
                  <tr key={s.id}>
                    <td className={`${cell} max-w-xs truncate`} title={s.userAgent ?? undefined}>
                      {s.userAgent ?? "Unknown device"}
                      {s.ipAddress ? <div className="text-xs text-zinc-500">{s.ipAddress}</div> : null}
                    </td>
                    <td className={cell}>{formatDate(iso(s.createdAt))}</td>
                    <td className={cell}>{formatDate(iso(s.expiresAt))}</td>
                    <td className={cell}>
                      {current.data?.session.id === s.id ? (
                        "This session"
                      ) : (
                        <Button
                          variant="ghost"
                          className="text-red-600"
                          onClick={() => revokeSession.mutate(s.token)}
                        >
                          Revoke
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </Table>
            )}
          </QueryState>
          <ErrorAlert error={revokeSession.error} />
        </section>
      </div>
    </Card>
  );
}
