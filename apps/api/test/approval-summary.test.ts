import { describe, expect, it } from "vitest";
import { approvalSummary } from "../src/modules/vault/steps/approval-summary.js";

/** What the person deciding an approval sees: the request as the provider will get it. */
const url = "https://slack.com/api/chat.postMessage";
const b64 = (text: string | Buffer) => Buffer.from(text).toString("base64");

describe("approval summary", () => {
  it("shows a base64 body by what it says, whatever its label: JSON, form fields, text", () => {
    const json = approvalSummary(url, "POST", undefined, b64('{"channel":"C0EXEC","password":"x"}'), {
      "content-type": "text/plain",
    });
    expect(json.bodyPreview).toEqual({ channel: "C0EXEC", password: "[REDACTED]" });
    const form = approvalSummary(url, "POST", undefined, b64("channel=C0EXEC&token=xoxb-1&text=hi"), {
      "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
    });
    expect(form.bodyPreview).toEqual({ channel: "C0EXEC", token: "[REDACTED]", text: "hi" });
    const text = approvalSummary(url, "POST", undefined, b64("hello there"), {
      "content-type": "text/plain",
    });
    expect(text.bodyPreview).toBe("hello there");
  });

  it("reports binary bodies by size and type, and every body by its SHA-256", () => {
    const bytes = Buffer.from([0x25, 0x50, 0xff, 0x00, 0xfe]);
    const s = approvalSummary(url, "POST", undefined, b64(bytes), { "content-type": "application/pdf" });
    expect(s.bodyPreview).toEqual({ binaryBytes: 5, contentType: "application/pdf" });
    expect(s.bodySha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("shows the headers the agent sends along, credential-like ones hidden", () => {
    const s = approvalSummary(url, "POST", { author: "Ada", text: "hi" }, undefined, {
      "X-Slack-Retry": "1",
      Authorization: "Bearer agent-token",
      "x-api-key": "k",
      "x-session-id": "s",
    });
    expect(s.headers).toEqual({
      "x-slack-retry": "1",
      authorization: "[REDACTED]",
      "x-api-key": "[REDACTED]",
      "x-session-id": "[REDACTED]",
    });
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`x-h${i}`, String(i)]));
    const cut = approvalSummary(url, "POST", undefined, undefined, many).headers ?? {};
    expect(Object.keys(cut)).toHaveLength(31);
    expect(cut["…"]).toBe("+3 more");
    // "author" is not an auth field.
    expect(s.bodyPreview).toEqual({ author: "Ada", text: "hi" });
  });
});
