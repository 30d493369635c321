import type { PiiType } from "@agenthifive/contracts";
import { describe, expect, it } from "vitest";
import { findPii, ibanValid, luhnValid, redactText } from "../../src/modules/policies/engine/index.js";

const redact = (type: PiiType, text: string, phoneRegion?: string) =>
  redactText(text, [type], { phoneRegion }).text;
const R = (type: PiiType) => `[REDACTED:${type}]`;

describe("checksums", () => {
  it("Luhn", () => {
    for (const ok of [
      "4111111111111111",
      "5500000000000004",
      "378282246310005",
      "6011111111111117",
      "4222222222222",
    ]) {
      expect(luhnValid(ok), ok).toBe(true);
    }
    for (const bad of ["4111111111111112", "5500000000000005", "1234567812345678", "12a4"]) {
      expect(luhnValid(bad), bad).toBe(false);
    }
  });
  it("IBAN mod-97 with the country length", () => {
    for (const ok of [
      "GB82WEST12345698765432",
      "DE89370400440532013000",
      "FR1420041010050500013M02606",
      "NL91ABNA0417164300",
      "NO9386011117947",
    ]) {
      expect(ibanValid(ok), ok).toBe(true);
    }
    for (const bad of [
      "GB82WEST12345698765433",
      "GB82WEST1234569876543",
      "DE89370400440532013001",
      "XX82WEST12345698765432",
    ]) {
      expect(ibanValid(bad), bad).toBe(false);
    }
  });
});

describe("credit_card (13–19 digits, Luhn-valid only)", () => {
  it.each([
    ["4111111111111111", `${R("credit_card")}`],
    ["card 4111 1111 1111 1111 ok", `card ${R("credit_card")} ok`],
    ["card 4111-1111-1111-1111.", `card ${R("credit_card")}.`],
    ["amex 3782 822463 10005", `amex ${R("credit_card")}`],
    ["13 digits 4222222222222", `13 digits ${R("credit_card")}`],
    ["19 digits 6011000000000000001", `19 digits ${R("credit_card")}`],
    ["two 4111111111111111,5500000000000004", `two ${R("credit_card")},${R("credit_card")}`],
    ["with year 4111 1111 1111 1111 2031", `with year ${R("credit_card")} 2031`],
  ])("redacts %j", (input, output) => {
    expect(redact("credit_card", input)).toBe(output);
  });
  it.each([
    "4111 1111 1111 1112",
    "4111111111111112",
    "123456789012", // too short even if Luhn-valid
    "41111111111111111111111", // 23 digits in one run
    "pi is 3.14159265358979323846",
    "4111  1111  1111  1111", // double spaces split the groups
  ])("leaves %j", (input) => {
    expect(redact("credit_card", input)).toBe(input);
  });
});

describe("iban (mod-97 valid only)", () => {
  it.each([
    ["GB82 WEST 1234 5698 7654 32", R("iban")],
    ["pay to GB82WEST12345698765432 today", `pay to ${R("iban")} today`],
    ["DE89 3704 0044 0532 0130 00", R("iban")],
    ["de89370400440532013000", R("iban")],
    ["FR14 2004 1010 0505 0001 3M02 606 EUR", `${R("iban")} EUR`],
  ])("redacts %j", (input, output) => {
    expect(redact("iban", input)).toBe(output);
  });
  it.each([
    "GB82 WEST 1234 5698 7654 33",
    "GB82WEST123456987654321234",
    "XX82 WEST 1234 5698 7654 32",
    "ID GB12",
  ])("leaves %j", (input) => {
    expect(redact("iban", input)).toBe(input);
  });
});

describe("us_ssn (AAA-GG-SSSS with allocation rules)", () => {
  it("redacts a valid number", () => {
    expect(redact("us_ssn", "ssn 123-45-6789.")).toBe(`ssn ${R("us_ssn")}.`);
    expect(redact("us_ssn", "899-99-9999")).toBe(R("us_ssn"));
  });
  it.each([
    "000-12-3456",
    "666-12-3456",
    "900-12-3456",
    "999-12-3456",
    "123-00-4567",
    "123-45-0000",
    "123456789",
    "1123-45-6789",
    "123-45-67890",
  ])("leaves %s", (input) => {
    expect(redact("us_ssn", input)).toBe(input);
  });
});

describe("uk_nino", () => {
  it.each(["AB123456C", "AB 12 34 56 C", "jg103759a", "nino: CE 12 34 56 D."])("redacts %s", (input) => {
    expect(redact("uk_nino", input)).toContain(R("uk_nino"));
  });
  it.each([
    "QQ123456C",
    "DA123456A",
    "AO123456A",
    "BG123456A",
    "GB123456A",
    "ZZ123456A",
    "AB123456E",
    "AB12345C",
  ])("leaves %s", (input) => {
    expect(redact("uk_nino", input)).toBe(input);
  });
});

describe("email (RFC 5322 simplified)", () => {
  it.each([
    ["Alice <alice@example.com>", `Alice <${R("email")}>`],
    ["bob.smith+tag@sub.example.co.uk wrote", `${R("email")} wrote`],
    ["(o'neil@example.ie)", `(${R("email")})`],
    ["x@xn--mnchen-3ya.de", R("email")],
  ])("redacts %j", (input, output) => {
    expect(redact("email", input)).toBe(output);
  });
  it.each(["bob@localhost", "not an email @ example.com", "@example.com", "a@b"])("leaves %j", (input) => {
    expect(redact("email", input)).toBe(input);
  });
});

describe("phone (E.164, or national formats with a region hint)", () => {
  it.each([
    ["call +44 20 7946 0958 now", `call ${R("phone")} now`],
    ["+14155552671", R("phone")],
    ["+1 (415) 555-2671", R("phone")],
    ["+49-30-1234567", R("phone")],
  ])("redacts %j", (input, output) => {
    expect(redact("phone", input)).toBe(output);
  });
  it.each(["+1234567", "+1234567890123456", "+0 20 7946 0958", "a+44207946095"])("leaves %j", (input) => {
    expect(redact("phone", input)).toBe(input);
  });
  it("recognises national formats only with a region hint", () => {
    expect(redact("phone", "(415) 555-2671")).toBe("(415) 555-2671");
    expect(redact("phone", "call (415) 555-2671", "US")).toBe(`call ${R("phone")}`);
    expect(redact("phone", "415-555-2671", "US")).toBe(R("phone"));
    expect(redact("phone", "020 7946 0958", "GB")).toBe(R("phone"));
    expect(redact("phone", "030 1234567", "DE")).toBe(R("phone"));
    expect(redact("phone", "020 7946 0958")).toBe("020 7946 0958");
  });
});

describe("ip_address", () => {
  it.each([
    ["from 10.0.0.1 at", `from ${R("ip_address")} at`],
    ["8.8.8.8", R("ip_address")],
    ["v6 2001:db8::1.", `v6 ${R("ip_address")}.`],
    ["::1", R("ip_address")],
    ["fe80::1:2", R("ip_address")],
    ["mapped ::ffff:192.0.2.1", `mapped ${R("ip_address")}`],
  ])("redacts %j", (input, output) => {
    expect(redact("ip_address", input)).toBe(output);
  });
  it.each(["999.1.1.1", "1.2.3", "v1.2.3.4.5", "at 10:30:00", "std::vector", "aa:bb:cc:dd:ee:ff"])(
    "leaves %j",
    (input) => {
      expect(redact("ip_address", input)).toBe(input);
    },
  );
});

describe("linear time on adversarial text", () => {
  it.each([
    ["letters", "a".repeat(100_000)],
    ["spaced digits", "1 ".repeat(50_000)],
    ["dotted labels", "a.".repeat(50_000)],
    ["at signs", "a@".repeat(50_000)],
    ["local part then a long domain", `${"a".repeat(50_000)}@${"b.".repeat(25_000)}`],
    ["plus digits", "+1".repeat(50_000)],
    ["hex colons", "a:".repeat(50_000)],
  ])("%s", (_name, text) => {
    const started = performance.now();
    redactText(text, ["email", "phone", "credit_card", "iban", "us_ssn", "uk_nino", "ip_address"], {
      phoneRegion: "GB",
    });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe("several types at once", () => {
  it("redacts non-overlapping matches left to right and reports each", () => {
    const text = "alice@example.com paid with 4111 1111 1111 1111 from 10.0.0.1, ssn 123-45-6789";
    const r = redactText(text, ["email", "credit_card", "ip_address", "us_ssn", "phone", "iban", "uk_nino"]);
    expect(r.text).toBe(
      `${R("email")} paid with ${R("credit_card")} from ${R("ip_address")}, ssn ${R("us_ssn")}`,
    );
    expect(r.found).toEqual(["email", "credit_card", "ip_address", "us_ssn"]);
  });
  it("finds nothing in plain text", () => {
    expect(findPii("nothing to see here 42", ["email", "credit_card", "phone", "ip_address"])).toEqual([]);
  });
});
