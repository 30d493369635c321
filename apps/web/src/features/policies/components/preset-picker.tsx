"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorAlert, Loading } from "@/components/ui/feedback";
import { TextField } from "@/components/ui/field";
import { Badge, Card } from "@/components/ui/layout";
import type { PolicyTemplate } from "../api";
import { useCreateFromTemplate, useCreatePolicy, useTemplates } from "../hooks/use-policies";
import { BUILT_IN_PRESETS } from "../presets";

const TIERS: Record<string, { label: string; text: string }> = {
  strict: { label: "Strict", text: "Reads only; personal data redacted; tight rate limits." },
  standard: { label: "Standard", text: "Reads freely; asks you before any write." },
  permissive: { label: "Permissive", text: "Reads and writes; asks you before deleting." },
};

function TemplateCard({
  t,
  onPick,
  busyTier,
}: {
  t: PolicyTemplate;
  onPick: (tier: string) => void;
  busyTier?: string;
}) {
  return (
    <div className="space-y-3">
      <div>
        <p className="font-medium">{t.label}</p>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{t.description}</p>
        {t.actions?.length ? (
          <p className="mt-1 flex flex-wrap gap-1">
            {t.actions.map((a) => (
              <Badge key={a.id} tone={a.kind === "read" ? "green" : a.kind === "write" ? "amber" : "red"}>
                {a.label}
              </Badge>
            ))}
          </p>
        ) : null}
      </div>
      <ul className="grid gap-3 md:grid-cols-3">
        {t.tiers.map((tier) => (
          <li key={tier} className="flex flex-col rounded-md border border-zinc-200 p-3 dark:border-zinc-700">
            <p className="font-medium">{TIERS[tier]?.label ?? tier}</p>
            <p className="flex-1 text-sm text-zinc-600 dark:text-zinc-400">{TIERS[tier]?.text}</p>
            <Button
              className="mt-3"
              busy={busyTier === tier}
              disabled={Boolean(busyTier)}
              onClick={() => onPick(tier)}
            >
              Use {TIERS[tier]?.label ?? tier}
            </Button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Presets first: the API's templates for this service, or built-in ones when the API has none. */
export function PresetPicker({
  agentId,
  connectionId,
  provider,
  service,
  origins,
  onCustom,
}: {
  agentId: string;
  connectionId: string;
  provider: string;
  service: string;
  origins: string[];
  onCustom: () => void;
}) {
  const templates = useTemplates(provider, service);
  const fromTemplate = useCreateFromTemplate();
  const create = useCreatePolicy();
  const [origin, setOrigin] = useState(origins.join(", "));
  const originList = origin
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);

  if (templates.isPending) return <Loading label="Loading presets…" />;
  const forService = (templates.data ?? []).filter((t) => t.service === service || t.id === service);
  return (
    <Card title="Choose a preset">
      <div className="space-y-4">
        {forService.length ? (
          forService.map((t) => (
            <TemplateCard
              key={t.id}
              t={t}
              busyTier={fromTemplate.isPending ? fromTemplate.variables?.tier : undefined}
              onPick={(tier) => fromTemplate.mutate({ agentId, connectionId, templateId: t.id, tier })}
            />
          ))
        ) : (
          <>
            <TextField
              label="API origin(s) the agent may reach"
              help="scheme://host[:port], comma-separated"
              value={origin}
              onChange={(e) => setOrigin(e.target.value)}
            />
            <ul className="grid gap-3 md:grid-cols-3">
              {BUILT_IN_PRESETS.map((p) => (
                <li
                  key={p.id}
                  className="flex flex-col rounded-md border border-zinc-200 p-3 dark:border-zinc-700"
                >
                  <p className="font-medium">{p.label}</p>
                  <p className="flex-1 text-sm text-zinc-600 dark:text-zinc-400">{p.description}</p>
                  <Button
                    className="mt-3"
                    disabled={!originList.length}
                    busy={create.isPending}
                    onClick={() => create.mutate({ agentId, connectionId, document: p.build(originList) })}
                  >
                    Use “{p.label}”
                  </Button>
                </li>
              ))}
            </ul>
          </>
        )}
        <ErrorAlert error={templates.error ?? fromTemplate.error ?? create.error} />
        <Button variant="ghost" onClick={onCustom}>
          Start from scratch instead
        </Button>
      </div>
    </Card>
  );
}
