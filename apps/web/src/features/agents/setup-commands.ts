/** Setup snippets for each kind of agent client, given a freshly issued bootstrap secret. */
export interface SetupCommand {
  id: string;
  label: string;
  code: string;
}

export function setupCommands(secret: string, bootstrapUrl: string): SetupCommand[] {
  const apiBase = bootstrapUrl.replace(/\/v1\/agents\/bootstrap$/, "");
  const mcpConfig = {
    mcpServers: {
      agenthifive: {
        command: "npx",
        args: ["-y", "@agenthifive/mcp"],
        env: { AGENTHIFIVE_API_URL: apiBase, AGENTHIFIVE_BOOTSTRAP_SECRET: secret },
      },
    },
  };
  return [
    {
      id: "sdk",
      label: "TypeScript SDK",
      code: [
        "npm install @agenthifive/sdk",
        `export AGENTHIFIVE_API_URL=${apiBase}`,
        `export AGENTHIFIVE_BOOTSTRAP_SECRET=${secret}`,
        "# AgentHiFiveClient.bootstrap() generates the agent key, enrolls it and stores it locally.",
      ].join("\n"),
    },
    {
      id: "mcp",
      label: "MCP server (Claude and other MCP clients)",
      code: JSON.stringify(mcpConfig, null, 2),
    },
    {
      id: "openclaw",
      label: "OpenClaw",
      code: `npx @agenthifive/openclaw-setup --api-url ${apiBase} --bootstrap-secret ${secret}`,
    },
    {
      id: "http",
      label: "Plain HTTP (enroll your own public key)",
      code: `curl -X POST ${bootstrapUrl} -H 'content-type: application/json' \\\n  -d '{"bootstrapSecret":"${secret}","publicKey":{"kty":"EC","crv":"P-256","x":"…","y":"…"}}'`,
    },
  ];
}
