"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { usePendingCount } from "@/features/approvals/hooks/use-approvals";

const ITEMS = [
  { href: "/overview", label: "Overview" },
  { href: "/connections", label: "Connections" },
  { href: "/agents", label: "Agents" },
  { href: "/policies", label: "Policies" },
  { href: "/approvals", label: "Approvals" },
  { href: "/activity", label: "Activity" },
  { href: "/settings", label: "Settings" },
];

export function NavLinks({ onNavigate }: { onNavigate?: () => void }) {
  const pathname = usePathname();
  const pending = usePendingCount();
  return (
    <ul className="space-y-1">
      {ITEMS.map((item) => {
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              onClick={onNavigate}
              aria-current={active ? "page" : undefined}
              className={`flex items-center justify-between rounded-md px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-500 ${
                active
                  ? "bg-indigo-50 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300"
                  : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
              }`}
            >
              {item.label}
              {item.href === "/approvals" && pending ? (
                <span
                  data-testid="pending-approvals-badge"
                  className="rounded-full bg-red-600 px-2 py-0.5 text-xs font-semibold text-white"
                >
                  {pending >= 200 ? "200+" : pending}
                  <span className="sr-only"> pending</span>
                </span>
              ) : null}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
