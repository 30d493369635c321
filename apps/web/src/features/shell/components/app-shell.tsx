"use client";
import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { type ReactNode, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorAlert, Loading } from "@/components/ui/feedback";
import { type LiveState, useLiveEvents } from "@/features/events/hooks/use-live-events";
import { clearAccess } from "@/lib/access-token";
import { isApiError } from "@/lib/api-error";
import { authClient } from "@/lib/auth-client";
import { useAccess } from "../hooks/use-access";
import { NavLinks } from "./nav-links";
import { WorkspaceSwitcher } from "./workspace-switcher";

const liveLabel: Record<LiveState, string> = { connecting: "Connecting…", live: "Live", offline: "Offline" };

function LiveIndicator({ state }: { state: LiveState }) {
  const dot = state === "live" ? "bg-emerald-500" : state === "offline" ? "bg-red-500" : "bg-amber-400";
  return (
    <span
      className="inline-flex items-center gap-1.5 text-xs text-zinc-500"
      data-testid="live-state"
      data-state={state}
    >
      <span className={`h-2 w-2 rounded-full ${dot}`} aria-hidden="true" />
      {liveLabel[state]}
    </span>
  );
}

export function AppShell({ children }: { children: ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  const qc = useQueryClient();
  const access = useAccess();
  const live = useLiveEvents(access.data?.workspaceId);
  const [menuOpen, setMenuOpen] = useState(false);
  const signedOut = isApiError(access.error) && access.error.status === 401;

  useEffect(() => {
    // Keep the query too: `ah5 login` links carry the code to confirm after signing in.
    if (signedOut) router.replace(`/sign-in?next=${encodeURIComponent(pathname + window.location.search)}`);
  }, [signedOut, router, pathname]);

  const signOut = async () => {
    await authClient.signOut();
    clearAccess();
    qc.clear();
    router.replace("/sign-in");
  };

  if (access.isPending || signedOut) {
    return (
      <div className="flex min-h-screen items-center justify-center">
        <Loading label="Opening your dashboard…" />
      </div>
    );
  }
  if (access.error) {
    return (
      <div className="mx-auto max-w-lg p-8">
        <ErrorAlert error={access.error} title="The dashboard could not reach the API" />
      </div>
    );
  }

  const sidebar = (
    <nav aria-label="Main" className="flex h-full flex-col gap-4">
      <Link
        href="/overview"
        className="px-3 text-lg font-semibold tracking-tight text-indigo-600 dark:text-indigo-400"
      >
        AgentHiFive
      </Link>
      <div className="px-3">
        <WorkspaceSwitcher current={access.data.workspaceId} />
        <p className="mt-1 text-xs text-zinc-500">Role: {access.data.roles.join(", ")}</p>
      </div>
      <NavLinks onNavigate={() => setMenuOpen(false)} />
      <div className="mt-auto space-y-2 px-3">
        <LiveIndicator state={live} />
        <Button variant="secondary" className="w-full" onClick={signOut}>
          Sign out
        </Button>
      </div>
    </nav>
  );

  return (
    <div className="min-h-screen md:flex">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2"
      >
        Skip to content
      </a>
      <header className="flex items-center justify-between border-b border-zinc-200 bg-white px-4 py-3 md:hidden dark:border-zinc-800 dark:bg-zinc-900">
        <span className="font-semibold text-indigo-600 dark:text-indigo-400">AgentHiFive</span>
        <Button
          variant="ghost"
          aria-expanded={menuOpen}
          aria-controls="mobile-nav"
          onClick={() => setMenuOpen((o) => !o)}
        >
          Menu
        </Button>
      </header>
      {menuOpen ? (
        <div
          id="mobile-nav"
          className="border-b border-zinc-200 bg-white p-3 md:hidden dark:border-zinc-800 dark:bg-zinc-900"
        >
          {sidebar}
        </div>
      ) : null}
      <aside className="hidden w-60 shrink-0 border-r border-zinc-200 bg-white py-4 md:block dark:border-zinc-800 dark:bg-zinc-900">
        <div className="sticky top-4 h-[calc(100vh-2rem)]">{sidebar}</div>
      </aside>
      <main id="main" className="min-w-0 flex-1 px-4 py-6 sm:px-8">
        {children}
      </main>
    </div>
  );
}
