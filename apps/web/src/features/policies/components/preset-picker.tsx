"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorAlert, Loading } from "@/components/ui/feedback";
import { TextField } from "@/components/ui/field";
import { Card } from "@/components/ui/layout";
import { useCreateFromTemplate, useCreatePolicy, useTemplates } from "../hooks/use-policies";
import { BUILT_IN_PRESETS } from "../presets";

const TIER_LABEL: Record<string, string> = {
  strict: "Strict",
  standard: "Standard",
  permissive: "Permissive",
};

/** Presets first: the API's templates for this provider, or the built-in ones with an origin. */
export function PresetPicker({
  agentId,
  connectionId,
  provider,
  origins,
  onCustom,
}: {
  agentId: string;
  connectionId: string;
  provider: string;
  origins: string[];
  onCustom: () => void;
}) {
  const templates = useTemplates(provider);
  const fromTemplate = useCreateFromTemplate();
  const create = useCreatePolicy();
  const [origin, setOrigin] = useState(origins.join(", "));
  const originList = origin
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);

  if (templates.isPending) return <Loading label="Loading presets…" />;
  const apiTemplates = templates.data ?? [];
  return (
    <Card title="Choose a preset">
      <div className="space-y-4">
        {apiTemplates.length ? (
          <ul className="grid gap-3 md:grid-cols-2">
            {apiTemplates.map((t) => (
              <li key={t.id} className="rounded-md border border-zinc-200 p-3 dark:border-zinc-700">
                <p className="font-medium">{t.label}</p>
                <p className="text-sm text-zinc-600 dark:text-zinc-400">{t.description}</p>
                <div className="mt-2 flex flex-wrap gap-2">
                  {t.tiers.map((tier) => (
                    <Button
                      key={tier}
                      variant="secondary"
                      busy={fromTemplate.isPending && fromTemplate.variables?.tier === tier}
                      onClick={() => fromTemplate.mutate({ agentId, connectionId, templateId: t.id, tier })}
                    >
                      {TIER_LABEL[tier] ?? tier}
                    </Button>
                  ))}
                </div>
              </li>
            ))}
          </ul>
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
