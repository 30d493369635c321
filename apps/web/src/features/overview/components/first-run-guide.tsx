"use client";
import Link from "next/link";
import { Loading } from "@/components/ui/feedback";
import { Card } from "@/components/ui/layout";
import { useAgents } from "@/features/agents/hooks/use-agents";
import { usePendingCount } from "@/features/approvals/hooks/use-approvals";
import { useConnections } from "@/features/connections/hooks/use-connections";
import { usePolicies } from "@/features/policies/hooks/use-policies";

interface Step {
  title: string;
  done: boolean;
  href: string;
  action: string;
  text: string;
}

export function FirstRunGuide() {
  const connections = useConnections();
  const agents = useAgents();
  const policies = usePolicies();
  const pending = usePendingCount();
  if (connections.isPending || agents.isPending || policies.isPending) return <Loading />;
  const steps: Step[] = [
    {
      title: "Connect an account",
      done: Boolean(connections.data?.items.length),
      href: "/connections",
      action: "Connect",
      text: "Sign in to a service or paste an API key once. It is stored encrypted; agents never see it.",
    },
    {
      title: "Create an agent",
      done: Boolean(agents.data?.items.length),
      href: "/agents",
      action: "Create agent",
      text: "Each agent gets its own identity and a one-time bootstrap secret.",
    },
    {
      title: "Pick a policy preset",
      done: Boolean(policies.data?.items.length),
      href: "/policies",
      action: "Choose preset",
      text: "Decide what the agent may do with the connection, and what needs your approval.",
    },
    {
      title: "Run the agent’s bootstrap command",
      done: Boolean(agents.data?.items.some((a) => a.status === "active")),
      href: "/agents",
      action: "Show commands",
      text: "The agent enrolls its own key; from then on it signs in by itself.",
    },
  ];
  const remaining = steps.filter((s) => !s.done).length;
  return (
    <div className="space-y-6">
      {pending ? (
        <Card>
          <p>
            <strong>{pending}</strong> request{pending === 1 ? " is" : "s are"} waiting for your approval.{" "}
            <Link href="/approvals" className="text-indigo-600 underline dark:text-indigo-400">
              Review
            </Link>
          </p>
        </Card>
      ) : null}
      <Card title={remaining ? `Get started: ${4 - remaining} of 4 done` : "You are all set"}>
        <ol className="space-y-3">
          {steps.map((s, i) => (
            <li key={s.title} className="flex items-start gap-3">
              <span
                aria-hidden="true"
                className={`mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded-full text-xs font-bold ${
                  s.done
                    ? "bg-emerald-600 text-white"
                    : "bg-zinc-200 text-zinc-700 dark:bg-zinc-700 dark:text-zinc-200"
                }`}
              >
                {s.done ? "✓" : i + 1}
              </span>
              <div className="flex-1">
                <p className="font-medium">
                  {s.title}
                  <span className="sr-only">{s.done ? " (done)" : " (to do)"}</span>
                </p>
                <p className="text-sm text-zinc-600 dark:text-zinc-400">{s.text}</p>
              </div>
              {!s.done ? (
                <Link
                  href={s.href}
                  className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500"
                >
                  {s.action}
                </Link>
              ) : null}
            </li>
          ))}
        </ol>
      </Card>
    </div>
  );
}
