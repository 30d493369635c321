import { AgentHiFiveClient, AgentHiFiveError } from "@agenthifive/sdk";

/**
 * OpenClaw exec secret provider (protocol v1): reads `{protocolVersion, provider, ids}` on stdin
 * and answers `{protocolVersion: 1, values: {id: token}}` on stdout with a fresh agent access
 * token, so model providers routed through the vault's LLM proxy authenticate as the agent. The
 * token is written to stdout only (OpenClaw's pipe), never logged.
 */
export async function answerSecretRequest(
  input: string,
  options: { apiUrl: string; keyFile: string },
): Promise<string> {
  let ids: string[] = [];
  try {
    const request = JSON.parse(input || "{}") as { ids?: unknown };
    ids = Array.isArray(request.ids) ? request.ids.filter((i): i is string => typeof i === "string") : [];
  } catch {
    ids = [];
  }
  const client = new AgentHiFiveClient({
    baseUrl: options.apiUrl,
    agent: { keyFile: options.keyFile, createKeyFile: false },
  });
  try {
    const token = await client.accessToken();
    return JSON.stringify({ protocolVersion: 1, values: Object.fromEntries(ids.map((id) => [id, token])) });
  } catch (error) {
    const code = error instanceof AgentHiFiveError ? error.code : "UNAVAILABLE";
    return JSON.stringify({
      protocolVersion: 1,
      values: {},
      errors: Object.fromEntries(ids.map((id) => [id, { code }])),
    });
  }
}
