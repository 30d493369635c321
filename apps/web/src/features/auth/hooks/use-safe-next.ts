"use client";
import { useSearchParams } from "next/navigation";

/** `?next=` when it is a dashboard-relative path (never an open redirect). */
export function useSafeNext(fallback = "/overview"): string {
  const next = useSearchParams().get("next");
  return next?.startsWith("/") && !next.startsWith("//") ? next : fallback;
}
