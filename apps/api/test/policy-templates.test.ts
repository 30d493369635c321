import { getActionTemplate, listActionTemplates } from "@agenthifive/oauth-connectors";
import { describe, expect, it } from "vitest";
import { createServiceDirectory } from "../src/modules/connections/index.js";
import { evaluateRequest } from "../src/modules/policies/engine/index.js";
import { buildPresetDocument, compileOrReject } from "../src/modules/policies/index.js";

const services = createServiceDirectory();
const NOW = "2026-03-02T10:00:00Z";

describe("policy presets", () => {
  it("every catalog service has actions and a valid document at every tier", () => {
    for (const ref of services.list()) {
      const actions = listActionTemplates(ref.service.id);
      expect(actions.length, ref.service.id).toBeGreaterThan(0);
      for (const a of actions) expect(getActionTemplate(a.id)).toEqual(a);
      const origins =
        ref.service.apiOrigins.length > 0 ? ref.service.apiOrigins : ["https://api.example.com"];
      for (const tier of ["strict", "standard", "permissive"] as const) {
        expect(
          () => compileOrReject(buildPresetDocument(ref, tier, origins)),
          `${ref.service.id}/${tier}`,
        ).not.toThrow();
      }
    }
  });

  it("tiers mean what they say for Gmail", () => {
    const gmail = services.get("google-gmail");
    if (!gmail) throw new Error("gmail missing from the catalog");
    const origin = "https://gmail.googleapis.com";
    const decide = (tier: "strict" | "standard" | "permissive", method: string, path: string) =>
      evaluateRequest(
        buildPresetDocument(gmail, tier, [origin]),
        { model: "B", method, url: `${origin}${path}` },
        { now: NOW },
      ).decision;
    const read = ["GET", "/gmail/v1/users/me/messages"] as const;
    const send = ["POST", "/gmail/v1/users/me/messages/send"] as const;
    const remove = ["DELETE", "/gmail/v1/users/me/messages/abc"] as const;
    expect([decide("strict", ...read), decide("strict", ...send), decide("strict", ...remove)]).toEqual([
      "allow",
      "deny",
      "deny",
    ]);
    expect([decide("standard", ...read), decide("standard", ...send), decide("standard", ...remove)]).toEqual(
      ["allow", "require_approval", "deny"],
    );
    expect([
      decide("permissive", ...read),
      decide("permissive", ...send),
      decide("permissive", ...remove),
    ]).toEqual(["allow", "allow", "require_approval"]);
    // Nothing outside the service is reachable at any tier.
    expect(decide("permissive", "GET", "/drive/v3/files")).toBe("deny");
  });
});
