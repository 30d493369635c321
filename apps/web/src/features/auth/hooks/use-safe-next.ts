"use client";
import { useSearchParams } from "next/navigation";
import { safeNextPath } from "../safe-next";

/** `?next=` when it is a dashboard-relative path (never an open redirect). */
export function useSafeNext(fallback = "/overview"): string {
  return safeNextPath(useSearchParams().get("next"), fallback);
}
