"use client";
import { useQuery } from "@tanstack/react-query";

interface Mail {
  to: string;
  kind: string;
  subject: string;
  link?: string;
}

/** Same-origin form of a mailed link, so the session cookie it sets is the dashboard's. */
function sameOrigin(link: string): string {
  try {
    const u = new URL(link);
    return `${u.pathname}${u.search}`;
  } catch {
    return link;
  }
}

/**
 * Development only: the API keeps outgoing mail in memory (GET /api/dev/mailbox, absent in
 * production, where this renders nothing).
 */
export function DevMailbox({ email, kind }: { email: string; kind: string }) {
  const q = useQuery({
    queryKey: ["dev-mailbox", email, kind],
    queryFn: async () => {
      const res = await fetch(`/api/dev/mailbox?to=${encodeURIComponent(email)}`);
      if (!res.ok) return null;
      const body = (await res.json()) as { items: Mail[] };
      return body.items.filter((m) => m.kind === kind).at(-1) ?? null;
    },
    refetchInterval: (query) => (query.state.data ? false : 2000),
    retry: false,
  });
  if (!q.data?.link) return null;
  return (
    <aside
      aria-label="Development mailbox"
      className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-700 dark:bg-amber-950"
    >
      <p className="font-medium">Development mailbox</p>
      <p className="mt-1 text-xs">No mail server is configured, so the mail is shown here.</p>
      <a
        className="mt-2 inline-block text-indigo-700 underline dark:text-indigo-300"
        href={sameOrigin(q.data.link)}
      >
        {q.data.subject}
      </a>
    </aside>
  );
}
