"use client";
import { useState } from "react";
import { Notice } from "@/components/ui/feedback";
import { Card } from "@/components/ui/layout";
import type { CatalogEntry } from "../catalog";
import { ApiKeyForm } from "./api-key-form";
import { DeviceFlowPanel } from "./device-flow-panel";
import { OAuthConnect } from "./oauth-connect";
import { ProviderLogo } from "./provider-logo";

export function AddConnection({ catalog }: { catalog: CatalogEntry[] }) {
  const [selected, setSelected] = useState<CatalogEntry | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  return (
    <Card title="Connect an account">
      <ul className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-5" aria-label="Services">
        {catalog.map((p) => (
          <li key={p.id}>
            <button
              type="button"
              aria-pressed={selected?.id === p.id}
              onClick={() => {
                setSelected(p);
                setAdded(null);
              }}
              className="flex w-full items-center gap-2 rounded-md border border-zinc-200 p-2 text-left text-sm hover:border-indigo-400 focus-visible:outline-2 focus-visible:outline-indigo-500 aria-pressed:border-indigo-500 aria-pressed:bg-indigo-50 dark:border-zinc-700 dark:aria-pressed:bg-indigo-950"
            >
              <ProviderLogo id={p.id} label={p.label} />
              <span className="min-w-0 truncate">{p.label}</span>
            </button>
          </li>
        ))}
      </ul>
      {added ? (
        <div className="mt-4">
          <Notice tone="success">Connected “{added}”.</Notice>
        </div>
      ) : null}
      {selected && !added ? (
        <div className="mt-4 space-y-4 border-t border-zinc-200 pt-4 dark:border-zinc-800">
          <h3 className="font-medium">{selected.label}</h3>
          {selected.authTypes.includes("oauth") ? (
            <OAuthConnect provider={selected.id} label={selected.label} />
          ) : null}
          {selected.deviceFlow ? <DeviceFlowPanel provider={selected.id} label={selected.label} /> : null}
          {selected.authTypes.includes("api_key") || selected.authTypes.includes("bot_token") ? (
            <ApiKeyForm key={selected.id} entry={selected} onDone={setAdded} />
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}
