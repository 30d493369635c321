import type { ActionLinkPreview } from "@agenthifive/contracts";

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#111}dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem}dt{color:#555}button{font-size:1rem;padding:.6rem 1.4rem;margin-right:.6rem;border-radius:6px;border:1px solid #888;cursor:pointer}.approve{background:#0a7d32;color:#fff}.deny{background:#b3261e;color:#fff}textarea{width:100%}</style></head><body>${body}</body></html>`;
}

/**
 * The confirmation page (API.md §3.16): every value is escaped (agent names and reasons are
 * agent-influenced); the buttons POST to the same URL, nothing happens on the GET itself.
 */
export function confirmationPage(
  p: ActionLinkPreview,
  nonce: string,
  preselect?: "approve" | "deny",
): string {
  const target = `${p.request.method} ${p.request.host}${p.request.path}`;
  const rows = [
    ["Agent", p.agentName],
    ["Connection", p.connectionLabel ?? "—"],
    ["Request", target],
    ["Reason", p.reason],
    ["Status", p.status],
    ["Link valid until", p.linkExpiresAt],
  ]
    .map(([k, v]) => `<dt>${escapeHtml(k as string)}</dt><dd>${escapeHtml(v as string)}</dd>`)
    .join("");
  const form =
    p.status === "pending"
      ? `<form method="post"><input type="hidden" name="nonce" value="${escapeHtml(nonce)}"><p><label for="comment">Comment (optional)</label><br><textarea id="comment" name="comment" maxlength="500" rows="2"></textarea></p><button class="approve" type="submit" name="decision" value="approve"${preselect === "approve" ? " autofocus" : ""}>Approve</button><button class="deny" type="submit" name="decision" value="deny"${preselect === "deny" ? " autofocus" : ""}>Deny</button></form>`
      : `<p>This request is already <strong>${escapeHtml(p.status)}</strong>; there is nothing to decide.</p>`;
  return layout("Approve an agent request", `<h1>An agent asks for approval</h1><dl>${rows}</dl>${form}`);
}

export function resultPage(status: "approved" | "denied"): string {
  return layout(
    `Request ${status}`,
    `<h1>Request ${escapeHtml(status)}</h1><p>Your decision was recorded. You can close this page.</p>`,
  );
}

export function errorPage(title: string, message: string, hint?: string): string {
  return layout(
    title,
    `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${hint ? `<p>${escapeHtml(hint)}</p>` : ""}`,
  );
}
