import { describe, expect, it } from "vitest";
import { requestTarget } from "../src/modules/vault/steps/request-target.js";

describe("requestTarget (audit and approval summaries)", () => {
  it("records method, host with a non-default port, path and sorted, distinct query names", () => {
    expect(requestTarget("https://api.example.com:8443/v1/items?b=2&a=1&b=3&q%20x=y", "GET")).toEqual({
      method: "GET",
      host: "api.example.com:8443",
      path: "/v1/items",
      queryKeys: ["a", "b", "q x"],
    });
    expect(requestTarget("https://api.example.com:443/v1", "POST").host).toBe("api.example.com");
    expect(requestTarget("https://[::1]:8443/", "GET").host).toBe("[::1]:8443");
  });

  it("never carries a query value (they can hold secrets)", () => {
    expect(JSON.stringify(requestTarget("https://api.example.com/x?token=s3cr3t", "GET"))).not.toContain(
      "s3cr3t",
    );
  });

  it("is empty without a URL", () => {
    expect(requestTarget(undefined, "GET")).toEqual({
      method: "GET",
      host: undefined,
      path: undefined,
      queryKeys: [],
    });
  });
});
