"use client";
import { type Channel, NOTIFICATION_EVENT_TYPES, type Page } from "@agenthifive/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CodeBlock } from "@/components/ui/copy-button";
import { ErrorAlert, Notice, QueryState } from "@/components/ui/feedback";
import { SelectField, TextField } from "@/components/ui/field";
import { Badge, Card, cell, Table } from "@/components/ui/layout";
import { useConnections } from "@/features/connections/hooks/use-connections";
import { api, idempotencyKey } from "@/lib/api-client";
import { isApiError } from "@/lib/api-error";
import { relativeTime } from "@/lib/format";

const KEY = ["notification-channels"];
type ChannelType = "email" | "webhook" | "slack" | "telegram";

async function listChannels(): Promise<Page<Channel> | null> {
  try {
    return await api<Page<Channel>>("/v1/notification-channels", { query: { limit: 200 } });
  } catch (e) {
    if (isApiError(e) && e.status === 404) return null;
    throw e;
  }
}

function ChannelRow({ c, onSecret }: { c: Channel; onSecret: (s: string) => void }) {
  const qc = useQueryClient();
  const done = () => qc.invalidateQueries({ queryKey: KEY });
  const test = useMutation({
    mutationFn: () =>
      api<{ deliveredAt: string }>(`/v1/notification-channels/${c.id}/test`, { method: "POST" }),
    onSettled: done,
  });
  const toggle = useMutation({
    mutationFn: () =>
      api(`/v1/notification-channels/${c.id}`, { method: "PATCH", body: { enabled: !c.enabled } }),
    onSettled: done,
  });
  const rotate = useMutation({
    mutationFn: () =>
      api<{ signingSecret: string }>(`/v1/notification-channels/${c.id}/rotate-secret`, { method: "POST" }),
    onSuccess: (r) => onSecret(r.signingSecret),
  });
  const remove = useMutation({
    mutationFn: () => api(`/v1/notification-channels/${c.id}`, { method: "DELETE" }),
    onSettled: done,
  });
  return (
    <tr>
      <td className={cell}>
        {c.label}
        <div className="text-xs text-zinc-500">{c.events.join(", ")}</div>
        <ErrorAlert error={test.error ?? toggle.error ?? rotate.error ?? remove.error} />
      </td>
      <td className={cell}>{c.type}</td>
      <td className={cell}>
        <Badge tone={c.enabled ? (c.verified ? "green" : "amber") : "zinc"}>
          {c.enabled ? (c.verified ? "verified" : "not verified") : "disabled"}
        </Badge>
        {c.lastError ? <div className="text-xs text-red-600">{c.lastError}</div> : null}
        <div className="text-xs text-zinc-500">last delivery {relativeTime(c.lastDeliveryAt)}</div>
        {test.isSuccess ? (
          <div role="status" className="text-xs text-emerald-600">
            Test delivered
          </div>
        ) : null}
      </td>
      <td className={`${cell} whitespace-nowrap`}>
        <Button variant="ghost" busy={test.isPending} onClick={() => test.mutate()}>
          Send test
        </Button>
        <Button variant="ghost" busy={toggle.isPending} onClick={() => toggle.mutate()}>
          {c.enabled ? "Disable" : "Enable"}
        </Button>
        {c.type === "webhook" ? (
          <Button variant="ghost" busy={rotate.isPending} onClick={() => rotate.mutate()}>
            Rotate secret
          </Button>
        ) : null}
        <Button
          variant="ghost"
          className="text-red-600"
          busy={remove.isPending}
          onClick={() => remove.mutate()}
        >
          Delete
        </Button>
      </td>
    </tr>
  );
}

function CreateChannel({ onSecret }: { onSecret: (s: string) => void }) {
  const qc = useQueryClient();
  const connections = useConnections();
  const [type, setType] = useState<ChannelType>("email");
  const [label, setLabel] = useState("");
  const [target, setTarget] = useState("");
  const [connectionId, setConnectionId] = useState("");
  const [events, setEvents] = useState<string[]>(["approval.created"]);
  const bots = (connections.data?.items ?? []).filter((c) => c.provider === type);
  const create = useMutation({
    mutationFn: () => {
      const config =
        type === "email"
          ? { email: target }
          : type === "webhook"
            ? { url: target }
            : type === "telegram"
              ? { chatId: target }
              : target.startsWith("https://")
                ? { webhookUrl: target }
                : { channelId: target };
      const conn = connectionId || bots[0]?.id;
      return api<{ channel: Channel; signingSecret?: string }>("/v1/notification-channels", {
        method: "POST",
        headers: { "idempotency-key": idempotencyKey() },
        body: {
          type,
          label,
          events,
          config,
          ...((type === "telegram" || type === "slack") && conn ? { connectionId: conn } : {}),
        },
      });
    },
    onSuccess: (r) => {
      if (r.signingSecret) onSecret(r.signingSecret);
      setLabel("");
      setTarget("");
      return qc.invalidateQueries({ queryKey: KEY });
    },
  });
  const targetLabel = {
    email: "Email address",
    webhook: "Webhook URL (https)",
    slack: "Slack incoming-webhook URL or channel id",
    telegram: "Telegram chat id",
  }[type];
  return (
    <form
      aria-label="Add a notification channel"
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <div className="grid gap-3 sm:grid-cols-3">
        <SelectField
          label="Type"
          value={type}
          onChange={(e) => setType(e.target.value as ChannelType)}
          options={["email", "webhook", "slack", "telegram"].map((t) => ({ value: t, label: t }))}
        />
        <TextField label="Channel label" value={label} onChange={(e) => setLabel(e.target.value)} required />
        <TextField label={targetLabel} value={target} onChange={(e) => setTarget(e.target.value)} required />
        {type === "telegram" || type === "slack" ? (
          <SelectField
            label="Bot connection"
            value={connectionId}
            onChange={(e) => setConnectionId(e.target.value)}
            options={[
              { value: "", label: bots.length ? "First matching connection" : "None" },
              ...bots.map((c) => ({ value: c.id, label: c.label })),
            ]}
          />
        ) : null}
      </div>
      <fieldset>
        <legend className="mb-1 text-sm font-medium">Events</legend>
        <div className="flex flex-wrap gap-3">
          {NOTIFICATION_EVENT_TYPES.map((ev) => (
            <label key={ev} className="flex items-center gap-1.5 text-sm">
              <input
                type="checkbox"
                className="h-4 w-4"
                checked={events.includes(ev)}
                onChange={() =>
                  setEvents((cur) => (cur.includes(ev) ? cur.filter((x) => x !== ev) : [...cur, ev]))
                }
              />
              <code>{ev}</code>
            </label>
          ))}
        </div>
      </fieldset>
      <Button
        type="submit"
        busy={create.isPending}
        disabled={!label.trim() || !target.trim() || !events.length}
      >
        Add channel
      </Button>
      <ErrorAlert error={create.error} />
    </form>
  );
}

/** Where approval requests and other events are sent (API.md §3.15). */
export function ChannelsSection() {
  const q = useQuery({ queryKey: KEY, queryFn: listChannels });
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <Card title="Notification channels">
      <div className="space-y-4">
        <QueryState
          query={q}
          empty={(d) =>
            d === null ? (
              <Notice>This API version does not offer notification channels yet.</Notice>
            ) : d.items.length ? null : (
              <p className="text-sm text-zinc-500">No channels: approvals only show up in the dashboard.</p>
            )
          }
        >
          {(d) => (
            <Table caption="Notification channels" head={["Channel", "Type", "State", ""]}>
              {(d?.items ?? []).map((c) => (
                <ChannelRow key={c.id} c={c} onSecret={setSecret} />
              ))}
            </Table>
          )}
        </QueryState>
        {secret ? (
          <div className="space-y-2">
            <Notice tone="warning">Copy the webhook signing secret now: it is shown once.</Notice>
            <CodeBlock label="Signing secret" code={secret} />
          </div>
        ) : null}
        {q.data !== null ? <CreateChannel onSecret={setSecret} /> : null}
      </div>
    </Card>
  );
}
