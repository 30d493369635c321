"use client";
import { patGrantableScopes, type Scope } from "@agenthifive/contracts";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CodeBlock } from "@/components/ui/copy-button";
import { ErrorAlert, Notice, QueryState } from "@/components/ui/feedback";
import { TextField } from "@/components/ui/field";
import { Card, cell, Table } from "@/components/ui/layout";
import { useAccess } from "@/features/shell/hooks/use-access";
import { formatDate, relativeTime } from "@/lib/format";
import { useCreateToken, useRevokeToken, useTokens } from "../hooks/use-settings";

/** Personal access tokens for the CLI and scripts; the token is shown once. */
export function TokensSection() {
  const access = useAccess();
  const tokens = useTokens();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const role = access.data?.roles[0] ?? "viewer";
  const grantable = patGrantableScopes(role);
  const [name, setName] = useState("");
  const [days, setDays] = useState("30");
  const [scopes, setScopes] = useState<Scope[]>(grantable.filter((s) => s.endsWith(":read")));
  const toggle = (s: Scope) =>
    setScopes((cur) => (cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s]));
  return (
    <Card title="Personal access tokens">
      <div className="space-y-4">
        <form
          aria-label="Create a personal access token"
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ name: name.trim(), scopes, expiresInDays: Number(days) });
          }}
        >
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField
              label="Name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              maxLength={100}
            />
            <TextField
              label="Expires in (days, 1–90)"
              type="number"
              min={1}
              max={90}
              value={days}
              onChange={(e) => setDays(e.target.value)}
            />
          </div>
          <fieldset>
            <legend className="mb-1 text-sm font-medium">Scopes</legend>
            <div className="grid gap-1 sm:grid-cols-3">
              {grantable.map((s) => (
                <label key={s} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    className="h-4 w-4"
                    checked={scopes.includes(s)}
                    onChange={() => toggle(s)}
                  />
                  <code>{s}</code>
                </label>
              ))}
            </div>
          </fieldset>
          <Button type="submit" busy={create.isPending} disabled={!name.trim() || !scopes.length}>
            Create token
          </Button>
        </form>
        <ErrorAlert error={create.error ?? revoke.error} />
        {create.data ? (
          <div className="space-y-2">
            <Notice tone="warning">Copy the token now: it is shown once.</Notice>
            <CodeBlock label={create.data.pat.name} code={create.data.token} />
          </div>
        ) : null}
        <QueryState
          query={tokens}
          empty={(d) => (d.items.length ? null : <p className="text-sm text-zinc-500">No tokens.</p>)}
        >
          {(d) => (
            <Table caption="Your tokens" head={["Name", "Scopes", "Expires", "Last used", ""]}>
              {d.items.map((t) => (
                <tr key={t.id}>
                  <td className={cell}>
                    {t.name} <span className="font-mono text-xs text-zinc-500">…{t.lastFour}</span>
                  </td>
                  <td className={`${cell} text-xs`}>{t.scopes.join(", ")}</td>
                  <td className={cell}>{formatDate(t.expiresAt)}</td>
                  <td className={cell}>{relativeTime(t.lastUsedAt)}</td>
                  <td className={cell}>
                    {t.revokedAt ? (
                      "revoked"
                    ) : (
                      <Button variant="ghost" className="text-red-600" onClick={() => revoke.mutate(t.id)}>
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </QueryState>
      </div>
    </Card>
  );
}
