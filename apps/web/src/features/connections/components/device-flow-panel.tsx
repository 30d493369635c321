"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { ErrorAlert, Notice } from "@/components/ui/feedback";
import { connectionKeys, deviceFlowStatus, startDeviceFlow } from "../api";

/**
 * RFC 8628 device flow. The API polls the provider; this screen only reads the flow's state from
 * the API (refreshed by the `connection.updated` event, with a slow fallback).
 */
export function DeviceFlowPanel({ provider, label }: { provider: string; label: string }) {
  const start = useMutation({ mutationFn: () => startDeviceFlow(provider) });
  const flow = start.data;
  const status = useQuery({
    queryKey: connectionKeys.device(flow?.deviceFlowId ?? "none"),
    queryFn: () => deviceFlowStatus(flow?.deviceFlowId ?? ""),
    enabled: Boolean(flow),
    refetchInterval: (q) => (q.state.data && q.state.data.status !== "pending" ? false : 10_000),
  });

  if (!flow) {
    return (
      <div className="space-y-2">
        <Button variant="secondary" onClick={() => start.mutate()} busy={start.isPending}>
          Connect {label} with a device code
        </Button>
        <ErrorAlert error={start.error} />
      </div>
    );
  }
  const s = status.data?.status ?? "pending";
  return (
    <div className="space-y-3" aria-live="polite">
      <p className="text-sm">
        Open{" "}
        <a
          href={flow.verificationUriComplete ?? flow.verificationUri}
          target="_blank"
          rel="noreferrer"
          className="text-indigo-600 underline dark:text-indigo-400"
        >
          {flow.verificationUri}
        </a>{" "}
        and enter this code:
      </p>
      <div className="flex items-center gap-3">
        <code className="rounded bg-zinc-100 px-3 py-2 font-mono text-2xl tracking-widest dark:bg-zinc-800">
          {flow.userCode}
        </code>
        <CopyButton text={flow.userCode} label="Copy code" />
      </div>
      {s === "pending" ? <Notice>Waiting for you to approve on the provider’s page…</Notice> : null}
      {s === "complete" ? <Notice tone="success">Connected.</Notice> : null}
      {s === "denied" ? <Notice tone="warning">The request was denied at the provider.</Notice> : null}
      {s === "expired" ? <Notice tone="warning">The code expired. Start again.</Notice> : null}
      <ErrorAlert error={status.error} />
    </div>
  );
}
