"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/feedback";
import { controlClass } from "@/components/ui/field";
import { Badge, Card } from "@/components/ui/layout";
import { simulatePolicy } from "../api";

const TONE = { allow: "green", deny: "red", require_approval: "amber" } as const;

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (!text.trim()) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Runs POST /v1/policies/simulate on the unsaved draft: no provider call, no audit, no approval. */
export function SimulatePanel({ draft, defaultUrl }: { draft: unknown; defaultUrl?: string }) {
  const [model, setModel] = useState<"A" | "B">("B");
  const [method, setMethod] = useState("GET");
  const [url, setUrl] = useState(defaultUrl ?? "https://");
  const [body, setBody] = useState("");
  const [response, setResponse] = useState("");
  const [jsonError, setJsonError] = useState<string | null>(null);
  const sim = useMutation({
    mutationFn: () => {
      const b = parseJson(body);
      const r = parseJson(response);
      if (!b.ok || !r.ok)
        throw new Error(
          !b.ok ? "The request body is not valid JSON." : "The response sample is not valid JSON.",
        );
      return simulatePolicy(
        draft,
        model === "A"
          ? { model }
          : { model, method, url, ...(b.value === undefined ? {} : { bodySample: b.value }) },
        r.value === undefined ? undefined : { body: r.value },
      );
    },
    onMutate: () => setJsonError(null),
    onError: (e) => setJsonError(e instanceof Error && !("code" in e) ? e.message : null),
  });
  const res = sim.data;
  return (
    <Card title="Try a request">
      <form
        className="space-y-3"
        aria-label="Simulate a request"
        onSubmit={(e) => {
          e.preventDefault();
          sim.mutate();
        }}
      >
        <div className="grid grid-cols-3 gap-2">
          <label className="text-xs font-medium">
            Model
            <select
              className={controlClass}
              value={model}
              onChange={(e) => setModel(e.target.value as "A" | "B")}
            >
              <option value="B">B</option>
              <option value="A">A</option>
            </select>
          </label>
          <label className="col-span-2 text-xs font-medium">
            Method
            <select
              className={controlClass}
              value={method}
              onChange={(e) => setMethod(e.target.value)}
              disabled={model === "A"}
            >
              {["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"].map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </label>
        </div>
        <label className="block text-xs font-medium">
          URL
          <input
            className={controlClass}
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            disabled={model === "A"}
          />
        </label>
        <label className="block text-xs font-medium">
          Request body (JSON, optional)
          <textarea
            className={`${controlClass} font-mono`}
            rows={3}
            value={body}
            onChange={(e) => setBody(e.target.value)}
          />
        </label>
        <label className="block text-xs font-medium">
          Sample response body (JSON, optional: shows the filters)
          <textarea
            className={`${controlClass} font-mono`}
            rows={3}
            value={response}
            onChange={(e) => setResponse(e.target.value)}
          />
        </label>
        <Button type="submit" variant="secondary" busy={sim.isPending}>
          Simulate
        </Button>
      </form>
      {jsonError ? (
        <p role="alert" className="mt-2 text-sm text-red-600">
          {jsonError}
        </p>
      ) : (
        <div className="mt-2">
          <ErrorAlert error={sim.error} />
        </div>
      )}
      {res ? (
        <div className="mt-3 space-y-2 text-sm" aria-live="polite" data-testid="simulate-result">
          <p>
            <Badge tone={TONE[res.decision]}>{res.decision.replace("_", " ")}</Badge>{" "}
            {res.code ? <code className="text-xs">{res.code}</code> : null}
            {res.ruleId ? <span className="text-xs text-zinc-500"> · rule {res.ruleId}</span> : null}
          </p>
          <p>{res.reason}</p>
          {res.hint ? <p className="text-zinc-500">{res.hint}</p> : null}
          {res.shadow.length ? (
            <p className="text-xs">
              Shadow: {res.shadow.map((s) => `${s.ruleId} → ${s.wouldBe}`).join(", ")}
            </p>
          ) : null}
          {res.redactions?.length ? (
            <p className="text-xs">
              Redacted: {res.redactions.map((r) => `${r.path} (${r.type})`).join(", ")}
            </p>
          ) : null}
          {res.filteredBody !== undefined ? (
            <pre className="max-h-48 overflow-auto rounded bg-zinc-50 p-2 text-xs dark:bg-zinc-950">
              {JSON.stringify(res.filteredBody, null, 2)}
            </pre>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}
