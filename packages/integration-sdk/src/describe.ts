import {
  type AgentConnection,
  type AgentHiFiveClient,
  AgentHiFiveError,
  type Capabilities,
} from "@agenthifive/sdk";

export interface ConnectionsSummary {
  connections: AgentConnection[];
  capabilities: Capabilities | undefined;
  /** A short description for a system prompt. */
  text: string;
}

/** Plain text for a model: one line per connection, what its policy allows, what needs approval. */
export function formatConnections(connections: AgentConnection[], capabilities?: Capabilities): string {
  if (connections.length === 0) {
    return [
      "AgentHiFive vault: no connections are available to you yet.",
      "If a task needs an account (mail, calendar, files, chat…), ask for it with agenthifive_request_permission; never ask the user for passwords or API keys.",
    ].join("\n");
  }
  const actionLabels = new Map<string, string>();
  for (const service of capabilities?.services ?? []) {
    for (const action of service.actions) actionLabels.set(action.id, action.label);
  }
  const lines = [
    "AgentHiFive vault: you act on these accounts through the vault (agenthifive_* tools); you never hold their credentials. Requests outside a policy are refused; some need a person's approval first.",
  ];
  for (const c of connections) {
    const granted = capabilities?.granted.find((g) => g.connectionId === c.connectionId);
    const allowed = granted?.actionTemplateIds.map((id) => actionLabels.get(id) ?? id) ?? [];
    const approval = granted?.approvalRequired.map((id) => actionLabels.get(id) ?? id) ?? [];
    const parts = [
      `- "${c.label}" (${c.provider}, connectionId ${c.connectionId}, status ${c.status})`,
      `models ${c.allowedModels.join("/")}`,
      allowed.length ? `allows: ${allowed.join(", ")}` : "allows: what its custom policy permits",
    ];
    if (approval.length) parts.push(`needs approval: ${approval.join(", ")}`);
    lines.push(parts.join("; "));
  }
  return lines.join("\n");
}

/** Lists the agent's connections and capabilities and formats them (capabilities are optional). */
export async function describeConnections(
  client: AgentHiFiveClient,
  signal?: AbortSignal,
): Promise<ConnectionsSummary> {
  const connections: AgentConnection[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.agent.connections({ limit: 200, cursor, signal });
    connections.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  let capabilities: Capabilities | undefined;
  try {
    capabilities = await client.agent.capabilities(signal);
  } catch (error) {
    if (!(error instanceof AgentHiFiveError)) throw error;
  }
  return { connections, capabilities, text: formatConnections(connections, capabilities) };
}
