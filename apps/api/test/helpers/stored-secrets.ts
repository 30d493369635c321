/**
 * Rows as text with every bytea spelled as hex, base64, base64url and UTF-8, so a raw secret
 * stored in any column (text or bytes) would show up in it.
 */
export function dumpRows(rows: unknown): string {
  const flat = (v: unknown): unknown => {
    if (v instanceof Uint8Array) {
      const b = Buffer.from(v);
      return [b.toString("hex"), b.toString("base64"), b.toString("base64url"), b.toString("utf8")];
    }
    if (v instanceof Date) return v.toISOString();
    if (Array.isArray(v)) return v.map(flat);
    if (v && typeof v === "object")
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, flat(x)]));
    return v;
  };
  return JSON.stringify(flat(rows));
}

/** The forms a raw `prefix_secret` token could take in storage. */
export function rawTokenForms(token: string): string[] {
  const secret = token.slice(token.indexOf("_") + 1);
  const bytes = Buffer.from(secret, "base64url");
  return [token, secret, bytes.toString("hex"), bytes.toString("base64"), Buffer.from(token).toString("hex")];
}
