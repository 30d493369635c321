"use client";
import type { Connection } from "@agenthifive/contracts";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorAlert } from "@/components/ui/feedback";
import { controlClass } from "@/components/ui/field";
import { cell } from "@/components/ui/layout";
import { relativeTime } from "@/lib/format";
import { connectionKeys, reconnectConnection } from "../api";
import { useDeleteConnection, useRenameConnection, useTestConnection } from "../hooks/use-connections";
import { ConnectionStatus } from "./connection-status";

export function ConnectionRow({ connection: c }: { connection: Connection }) {
  const [editing, setEditing] = useState(false);
  const [label, setLabel] = useState(c.label);
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [newSecret, setNewSecret] = useState<string | null>(null);
  const rename = useRenameConnection();
  const remove = useDeleteConnection();
  const test = useTestConnection();
  const qc = useQueryClient();

  const keyBased = c.authType === "api_key" || c.authType === "bot_token";
  // OAuth: back to the provider (same connection id, policies kept); keys: paste a new one.
  const reconnect = async (secret?: string) => {
    setError(null);
    try {
      const res = await reconnectConnection(c.id, secret ? { secret } : {});
      if ("authorizationUrl" in res) window.location.assign(res.authorizationUrl);
      else {
        setNewSecret(null);
        await qc.invalidateQueries({ queryKey: connectionKeys.all });
      }
    } catch (e) {
      setError(e);
    }
  };

  return (
    <tr>
      <td className={cell}>
        {editing ? (
          <form
            className="flex gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              rename.mutate(
                { id: c.id, label },
                { onSuccess: () => setEditing(false), onError: (err) => setError(err) },
              );
            }}
          >
            <label className="sr-only" htmlFor={`label-${c.id}`}>
              Label
            </label>
            <input
              id={`label-${c.id}`}
              className={controlClass}
              value={label}
              onChange={(e) => setLabel(e.target.value)}
            />
            <Button type="submit" busy={rename.isPending}>
              Save
            </Button>
          </form>
        ) : (
          <span className="font-medium">{c.label}</span>
        )}
        <div className="text-xs text-zinc-500">{c.accountId}</div>
        {newSecret !== null ? (
          <form
            className="mt-2 flex gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              void reconnect(newSecret);
            }}
          >
            <label className="sr-only" htmlFor={`secret-${c.id}`}>
              New key
            </label>
            <input
              id={`secret-${c.id}`}
              type="password"
              autoComplete="off"
              placeholder="New key"
              className={controlClass}
              value={newSecret}
              onChange={(e) => setNewSecret(e.target.value)}
            />
            <Button type="submit" disabled={!newSecret}>
              Save key
            </Button>
          </form>
        ) : null}
        {error ? <ErrorAlert error={error} /> : null}
      </td>
      <td className={cell}>
        {c.provider}
        <div className="text-xs text-zinc-500">
          {c.service} · {c.authType.replace("_", " ")}
        </div>
      </td>
      <td className={cell}>
        <ConnectionStatus status={c.status} />
        {c.statusReason ? <div className="mt-1 text-xs text-zinc-500">{c.statusReason}</div> : null}
        {test.data ? (
          <div className="mt-1 text-xs" role="status">
            Test: {test.data.ok ? "OK" : (test.data.error?.message ?? "failed")}
          </div>
        ) : null}
      </td>
      <td className={cell}>{relativeTime(c.lastUsedAt)}</td>
      <td className={`${cell} whitespace-nowrap`}>
        <div className="flex flex-wrap gap-1">
          {c.status === "needs_reauth" || c.status === "error" ? (
            <Button onClick={() => (keyBased ? setNewSecret("") : void reconnect())}>Reconnect</Button>
          ) : null}
          <Button
            variant="ghost"
            onClick={() => test.mutate(c.id, { onError: (e) => setError(e) })}
            busy={test.isPending}
          >
            Test
          </Button>
          <Button variant="ghost" onClick={() => setEditing((v) => !v)}>
            {editing ? "Cancel" : "Rename"}
          </Button>
          <Button variant="ghost" className="text-red-600" onClick={() => setConfirm(true)}>
            Delete
          </Button>
        </div>
        <ConfirmDialog
          open={confirm}
          title={`Delete “${c.label}”?`}
          confirmLabel="Delete connection"
          busy={remove.isPending}
          onCancel={() => setConfirm(false)}
          onConfirm={() =>
            remove.mutate(c.id, {
              onSettled: () => setConfirm(false),
              onError: (e) => setError(e),
            })
          }
        >
          The stored credential is destroyed, policies using it are disabled and pending approvals on it
          expire. The provider is asked to revoke access.
        </ConfirmDialog>
      </td>
    </tr>
  );
}
