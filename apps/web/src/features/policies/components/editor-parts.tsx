"use client";
import type { ReactNode } from "react";
import { controlClass } from "@/components/ui/field";

/** A labelled input bound by `register` props; errors come from the policy resolver. */
export function Field({
  label,
  error,
  children,
  htmlFor,
  className = "",
}: {
  label: string;
  error?: string;
  children: ReactNode;
  htmlFor: string;
  className?: string;
}) {
  return (
    <div className={className}>
      <label htmlFor={htmlFor} className="mb-1 block text-xs font-medium text-zinc-700 dark:text-zinc-300">
        {label}
      </label>
      {children}
      {error ? (
        <p role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function Section({
  title,
  description,
  children,
  actions,
}: {
  title: string;
  description?: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <fieldset className="space-y-3 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <legend className="px-1 text-sm font-semibold">{title}</legend>
      {description ? <p className="text-xs text-zinc-500">{description}</p> : null}
      {children}
      {actions ? <div className="flex gap-2">{actions}</div> : null}
    </fieldset>
  );
}

export const input = controlClass;
export const itemBox = "space-y-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-700";
