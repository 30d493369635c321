import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  blockedRangeOf,
  evaluateRequest,
  isBlockedAddress,
  parseHostAsIp,
} from "../../src/modules/policies/engine/index.js";

describe("parseHostAsIp: every notation of POLICY.md §3 step 4", () => {
  it.each([
    ["dotted", "127.0.0.1", "127.0.0.1"],
    ["decimal", "2130706433", "127.0.0.1"],
    ["octal", "0177.0.0.1", "127.0.0.1"],
    ["octal, every part", "0177.00.00.01", "127.0.0.1"],
    ["hex", "0x7f.0x0.0x0.0x1", "127.0.0.1"],
    ["hex, upper case", "0X7F.0.0.1", "127.0.0.1"],
    ["hex, whole number", "0x7f000001", "127.0.0.1"],
    ["hex short form", "0x7f.1", "127.0.0.1"],
    ["short form a.b", "127.1", "127.0.0.1"],
    ["short form a.b.c", "127.0.1", "127.0.0.1"],
    ["short form 10.1", "10.1", "10.0.0.1"],
    ["mixed notations", "0xa.010.0x0.1", "10.8.0.1"],
    ["trailing dot", "127.0.0.1.", "127.0.0.1"],
    ["zero", "0", "0.0.0.0"],
    ["metadata in decimal", "2852039166", "169.254.169.254"],
    ["IPv6 loopback", "::1", "::1"],
    ["IPv6 in brackets", "[::1]", "::1"],
    ["IPv6 full form", "0:0:0:0:0:0:0:1", "::1"],
    ["IPv6 upper case", "FE80::1", "fe80::1"],
    ["IPv4-mapped dotted", "::ffff:127.0.0.1", "::ffff:7f00:1"],
    ["IPv4-mapped hex", "::ffff:7f00:1", "::ffff:7f00:1"],
    ["IPv4-mapped full", "0:0:0:0:0:ffff:7f00:1", "::ffff:7f00:1"],
    ["NAT64", "64:ff9b::10.0.0.1", "64:ff9b::a00:1"],
    ["public IPv6", "2606:4700:4700::1111", "2606:4700:4700::1111"],
  ])("%s: %s", (_name, host, address) => {
    expect(parseHostAsIp(host)?.address).toBe(address);
  });

  it.each([
    "example.com",
    "localhost",
    "1.2.3.4.5",
    "256.1.1.1",
    "1.2.3.256",
    "0x100000000",
    "4294967296",
    "08.0.0.1",
    "09",
    "1..1",
    "",
    ":::1",
    "1:2:3:4:5:6:7:8:9",
    "::ffff:256.0.0.1",
    "fe80::1%eth0",
    "12345::",
    "1::2::3",
    "g::1",
  ])("not an IP literal: %s", (host) => {
    expect(parseHostAsIp(host)).toBeNull();
  });
});

describe("blocked ranges (POLICY.md §6)", () => {
  it.each([
    "0.0.0.0",
    "0.255.255.255",
    "10.0.0.1",
    "10.255.255.255",
    "100.64.0.1",
    "100.127.255.255",
    "127.0.0.1",
    "127.255.255.254",
    "169.254.169.254",
    "172.16.0.1",
    "172.31.255.255",
    "192.0.0.8",
    "192.0.2.10",
    "192.88.99.1",
    "192.168.1.1",
    "198.18.0.1",
    "198.19.255.255",
    "198.51.100.7",
    "203.0.113.9",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:7f00:1",
    "64:ff9b::127.0.0.1",
    "64:ff9b::a9fe:a9fe",
    "100::1",
    "2001::1",
    "2001:1ff::1",
    "2001:db8::1",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "febf::1",
    "ff02::1",
    // Other notations of blocked addresses
    "2130706433",
    "0177.0.0.1",
    "0x7f.1",
    "127.1",
    "0x0a000001",
    "[::1]",
  ])("blocks %s", (ip) => {
    expect(isBlockedAddress(ip)).toBe(true);
    expect(blockedRangeOf(ip)).not.toBeNull();
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "142.250.74.78",
    "9.255.255.255",
    "11.0.0.0",
    "100.63.255.255",
    "100.128.0.0",
    "172.15.255.255",
    "172.32.0.0",
    "192.0.1.1",
    "192.167.255.255",
    "192.169.0.0",
    "198.17.255.255",
    "198.20.0.0",
    "223.255.255.255",
    "::ffff:8.8.8.8",
    "64:ff9b::8.8.8.8",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "2001:200::1",
    "2001:db9::1",
    "fe00::1",
    "fec0::1",
  ])("allows public %s", (ip) => {
    expect(isBlockedAddress(ip)).toBe(false);
  });

  it("fails closed on something that is not an address", () => {
    expect(isBlockedAddress("example.com")).toBe(true);
    expect(isBlockedAddress("")).toBe(true);
  });

  it("checks the embedded IPv4 of every IPv4-mapped address (property)", () => {
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        expect(isBlockedAddress(`::ffff:${v4}`)).toBe(isBlockedAddress(v4));
        expect(isBlockedAddress(`64:ff9b::${v4}`)).toBe(isBlockedAddress(v4));
      }),
    );
  });

  it("parses every IPv4 in its decimal and hex forms to the same address (property)", () => {
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        const n = v4.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
        expect(parseHostAsIp(String(n))?.address).toBe(v4);
        expect(parseHostAsIp(`0x${n.toString(16)}`)?.address).toBe(v4);
      }),
    );
  });
});

describe("SSRF step of evaluateRequest", () => {
  const policy = {
    version: 1,
    defaultMode: "read_write",
    allowlists: [
      { origin: "https://127.0.0.1", paths: ["/**"], methods: ["GET"] },
      { origin: "https://8.8.8.8", paths: ["/**"], methods: ["GET"] },
    ],
  };
  const now = "2026-11-30T10:00:00.000Z";
  it.each([
    "https://127.0.0.1/x",
    "https://2130706433/x",
    "https://0177.0.0.1/x",
    "https://0x7f.1/x",
    "https://127.1/x",
    "https://[::1]/x",
    "https://[::ffff:127.0.0.1]/x",
    "https://[::ffff:7f00:1]/x",
    "https://[64:ff9b::7f00:1]/x",
    "https://[fe80::1]/x",
    "https://0/x",
  ])("denies %s with SSRF_BLOCKED even when allowlisted", (url) => {
    const d = evaluateRequest(policy, { model: "B", method: "GET", url }, { now });
    expect(d.code).toBe("SSRF_BLOCKED");
    expect(d.hint).toBeTruthy();
  });
  it("lets a public IP literal through to the allowlist", () => {
    expect(
      evaluateRequest(policy, { model: "B", method: "GET", url: "https://8.8.8.8/x" }, { now }).decision,
    ).toBe("allow");
    expect(
      evaluateRequest(policy, { model: "B", method: "GET", url: "https://1.1.1.1/x" }, { now }).code,
    ).toBe("HOST_NOT_ALLOWLISTED");
  });
  it("exempts exact development hosts only", () => {
    const dev = { now, devAllowHosts: ["127.0.0.1"] };
    expect(
      evaluateRequest(policy, { model: "B", method: "GET", url: "https://127.0.0.1/x" }, dev).decision,
    ).toBe("allow");
    expect(evaluateRequest(policy, { model: "B", method: "GET", url: "https://10.0.0.1/x" }, dev).code).toBe(
      "SSRF_BLOCKED",
    );
  });
});
