"use client";
import { useState } from "react";
import { CodeBlock } from "@/components/ui/copy-button";
import { Notice } from "@/components/ui/feedback";
import { formatDate } from "@/lib/format";
import type { BootstrapSecret } from "../api";
import { setupCommands } from "../setup-commands";

/** The secret is shown exactly once; the API stores only its hash. */
export function BootstrapSecretPanel({ agentName, secret }: { agentName: string; secret: BootstrapSecret }) {
  const commands = setupCommands(secret.bootstrapSecret, secret.bootstrapUrl);
  const [tab, setTab] = useState(commands[0]?.id ?? "sdk");
  const active = commands.find((c) => c.id === tab) ?? commands[0];
  return (
    <section aria-label="Bootstrap secret" className="space-y-3">
      <Notice tone="warning">
        Copy this bootstrap secret for <strong>{agentName}</strong> now: it is shown once and works once,
        until {formatDate(secret.expiresAt)}.
      </Notice>
      <CodeBlock label="Bootstrap secret" code={secret.bootstrapSecret} />
      <div role="tablist" aria-label="Setup commands" className="flex flex-wrap gap-1">
        {commands.map((c) => (
          <button
            key={c.id}
            type="button"
            role="tab"
            id={`tab-${c.id}`}
            aria-selected={c.id === tab}
            aria-controls={`panel-${c.id}`}
            onClick={() => setTab(c.id)}
            className="rounded-md px-3 py-1.5 text-sm aria-selected:bg-indigo-600 aria-selected:text-white hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:bg-zinc-800"
          >
            {c.label}
          </button>
        ))}
      </div>
      {active ? (
        <div role="tabpanel" id={`panel-${active.id}`} aria-labelledby={`tab-${active.id}`}>
          <CodeBlock label={active.label} code={active.code} />
        </div>
      ) : null}
    </section>
  );
}
