import type { ReactNode } from "react";
import { ApiError, validationIssues } from "@/lib/api-error";

/** An error box that always shows the API's `hint` (what to do next) and the request id. */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const e = error instanceof ApiError ? error : null;
  const message = e?.message ?? (error instanceof Error ? error.message : String(error));
  const issues = e ? validationIssues(e) : [];
  return (
    <div
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
    >
      <p className="font-medium">{title ?? message}</p>
      {title ? <p>{message}</p> : null}
      {issues.length ? (
        <ul className="mt-1 list-disc pl-5">
          {issues.map((i) => (
            <li key={i}>{i}</li>
          ))}
        </ul>
      ) : null}
      {e?.hint ? <p className="mt-1">{e.hint}</p> : null}
      {e?.code || e?.requestId ? (
        <p className="mt-1 font-mono text-xs opacity-70">
          {e.code}
          {e.requestId ? ` · request ${e.requestId}` : ""}
        </p>
      ) : null}
    </div>
  );
}

export function Notice({
  children,
  tone = "info",
}: {
  children: ReactNode;
  tone?: "info" | "success" | "warning";
}) {
  const tones = {
    info: "border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100",
    success:
      "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100",
    warning:
      "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100",
  };
  return (
    <div role="status" className={`rounded-md border p-3 text-sm ${tones[tone]}`}>
      {children}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-zinc-300 p-8 text-center dark:border-zinc-700">
      <p className="font-medium text-zinc-900 dark:text-zinc-100">{title}</p>
      {children ? <div className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{children}</div> : null}
    </div>
  );
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p role="status" className="animate-pulse text-sm text-zinc-500 dark:text-zinc-400">
      {label}
    </p>
  );
}

/** Renders the loading / error / empty states of a query, or its content. */
export function QueryState<T>({
  query,
  empty,
  children,
}: {
  query: { isPending: boolean; error: unknown; data: T | undefined };
  empty?: (data: T) => ReactNode | null;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorAlert error={query.error} />;
  if (query.data === undefined) return null;
  const e = empty?.(query.data);
  return <>{e ?? children(query.data)}</>;
}
