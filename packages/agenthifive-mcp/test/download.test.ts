import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { AgentHiFiveClient } from "@agenthifive/sdk";
import { describe, expect, it } from "vitest";
import { downloadFile } from "../src/download.js";

const CONNECTION = "0190f4c2-7b3a-7c4d-8e9f-0a1b2c3d4e5f";

/** A client whose vault answers with the given response (the API's streamed download shape). */
function clientAnswering(response: () => Response) {
  const sent: unknown[] = [];
  const client = new AgentHiFiveClient({
    baseUrl: "http://api.test",
    token: "ah5t_static-test-token",
    fetch: async (_url, init) => {
      sent.push(JSON.parse(String(init.body)));
      return response();
    },
  });
  return { client, sent };
}

describe("download_file with a streamed answer (API.md §3.9.3)", () => {
  it("asks for download: true and reduces the provider's file name to a plain name", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "ah5-dl-")), "downloads");
    const { client, sent } = clientAnswering(
      () =>
        new Response("%PDF-1.7 bytes", {
          status: 200,
          headers: {
            "content-type": "application/pdf",
            "content-disposition": 'attachment; filename="../../../etc/cron.d/evil.pdf"',
            "x-audit-id": "0190f4c2-0000-7000-8000-000000000001",
          },
        }),
    );
    const result = await downloadFile(client, dir, {
      connectionId: CONNECTION,
      url: "https://files.example.com/a",
    });
    expect(sent[0]).toMatchObject({ model: "B", method: "GET", download: true });
    const path = (result.structuredContent as { path: string }).path;
    expect(dirname(path)).toBe(dir);
    expect(readdirSync(dir)).toEqual(["evil.pdf"]);
    expect(readFileSync(path, "utf8")).toBe("%PDF-1.7 bytes");
  });

  it("never saves a provider error envelope as the file", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "ah5-dl-")), "downloads");
    const { client } = clientAnswering(
      () =>
        new Response(
          JSON.stringify({
            model: "B",
            status: 404,
            headers: {},
            body: { error: "gone" },
            truncated: false,
            auditId: CONNECTION,
          }),
          { status: 200, headers: { "content-type": "application/json", "x-vault-envelope": "1" } },
        ),
    );
    const result = await downloadFile(client, dir, {
      connectionId: CONNECTION,
      url: "https://files.example.com/a",
    });
    expect(result.structuredContent).toMatchObject({ saved: false, status: 404 });
  });

  it("refuses a traversal name from the model before calling the API", async () => {
    const { client, sent } = clientAnswering(() => new Response("x"));
    await expect(
      downloadFile(client, tmpdir(), {
        connectionId: CONNECTION,
        url: "https://x.example/a",
        fileName: "../x",
      }),
    ).rejects.toThrow(/Refused file name/);
    expect(sent).toHaveLength(0);
  });
});
