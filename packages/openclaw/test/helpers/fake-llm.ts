import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ChatRequest {
  model: string;
  stream?: boolean;
  messages: Array<{ role: string; content?: unknown; tool_calls?: unknown }>;
  tools?: Array<{ type: string; function: { name: string } }>;
}

export type Reply = { text: string } | { toolCall: { name: string; arguments: Record<string, unknown> } };

export interface FakeLlm {
  baseUrl: string;
  requests: ChatRequest[];
  close(): Promise<void>;
}

/**
 * A tiny OpenAI-compatible chat completions server standing in for a model, so a real OpenClaw
 * agent turn can run offline: `decide` picks each answer (text or one tool call) from the request.
 */
export async function startFakeLlm(decide: (request: ChatRequest) => Reply): Promise<FakeLlm> {
  const requests: ChatRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      if (!req.url?.endsWith("/chat/completions")) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "not found" } }));
        return;
      }
      const request = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ChatRequest;
      requests.push(request);
      const reply = decide(request);
      const base = {
        id: `chatcmpl-${requests.length}`,
        created: Math.floor(Date.now() / 1000),
        model: request.model,
      };
      const toolCalls =
        "toolCall" in reply
          ? [
              {
                index: 0,
                id: `call_${requests.length}`,
                type: "function",
                function: { name: reply.toolCall.name, arguments: JSON.stringify(reply.toolCall.arguments) },
              },
            ]
          : undefined;
      const finish = toolCalls ? "tool_calls" : "stop";
      const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
      if (request.stream) {
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
        const send = (value: unknown) => res.write(`data: ${JSON.stringify(value)}\n\n`);
        send({
          ...base,
          object: "chat.completion.chunk",
          choices: [
            {
              index: 0,
              delta: {
                role: "assistant",
                ...(toolCalls ? { tool_calls: toolCalls } : { content: (reply as { text: string }).text }),
              },
              finish_reason: null,
            },
          ],
        });
        send({
          ...base,
          object: "chat.completion.chunk",
          choices: [{ index: 0, delta: {}, finish_reason: finish }],
          usage,
        });
        res.end("data: [DONE]\n\n");
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          ...base,
          object: "chat.completion",
          choices: [
            {
              index: 0,
              message: {
                role: "assistant",
                content: toolCalls ? null : (reply as { text: string }).text,
                ...(toolCalls ? { tool_calls: toolCalls.map(({ index: _i, ...c }) => c) } : {}),
              },
              finish_reason: finish,
            },
          ],
          usage,
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
