// @vitest-environment happy-dom
import type { PolicyDocument, PolicyDocumentInput } from "@agenthifive/contracts";
import { act, createElement } from "react";
import { createRoot, type Root } from "react-dom/client";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ErrorAlert } from "../src/components/ui/feedback";
import { PolicyEditor } from "../src/features/policies/components/policy-editor";
import { formPathOf, toDocument, toForm } from "../src/features/policies/form-model";
import { BUILT_IN_PRESETS } from "../src/features/policies/presets";
import { ApiError } from "../src/lib/api-error";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const ORIGIN = "https://api.example.com";
const preset = (id: string) => {
  const p = BUILT_IN_PRESETS.find((x) => x.id === id);
  if (!p) throw new Error(id);
  return p.build([ORIGIN]);
};

describe("policy form model", () => {
  it("round-trips every built-in preset through the form without changing its meaning", () => {
    for (const p of BUILT_IN_PRESETS) {
      const doc = p.build([ORIGIN]);
      expect(toDocument(toForm(doc))).toMatchObject({
        version: 1,
        allowedModels: doc.allowedModels,
        defaultMode: doc.defaultMode,
        allowlists: doc.allowlists,
        requestRules: doc.requestRules ?? [],
      });
    }
  });

  it("keeps query, header and body conditions of a rule as JSON", () => {
    const doc: PolicyDocumentInput = {
      version: 1,
      requestRules: [
        {
          id: "big",
          match: { methods: ["POST"], body: [{ path: "amount", op: "gt", value: 100 }] },
          action: "deny",
        },
      ],
    };
    const form = toForm(doc);
    expect(JSON.parse(form.requestRules[0]?.conditions ?? "")).toEqual({
      body: [{ path: "amount", op: "gt", value: 100 }],
    });
    expect(toDocument(form).requestRules?.[0]?.match).toEqual(doc.requestRules?.[0]?.match);
  });

  it("maps schema issue paths onto form fields", () => {
    expect(formPathOf(["requestRules", 2, "match", "path"])).toBe("requestRules.2.path");
    expect(formPathOf(["requestRules", 0, "match", "body", 0, "op"])).toBe("requestRules.0.conditions");
    expect(formPathOf(["allowlists", 1, "paths", 0])).toBe("allowlists.1.paths");
    expect(formPathOf(["limits", "rateLimit", "windowSeconds"])).toBe("rateLimitWindowSeconds");
    expect(formPathOf(["timeWindows", 0, "timezone"])).toBe("timeWindows.0.timezone");
    expect(formPathOf(["responseRules", 0, "transform", "redactPii", "types"])).toBe(
      "responseRules.0.redactPii",
    );
  });
});

describe("PolicyEditor", () => {
  let container: HTMLDivElement;
  let root: Root;

  beforeEach(() => {
    container = document.createElement("div");
    document.body.append(container);
    root = createRoot(container);
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
  });

  const render = async (initial: PolicyDocumentInput, onSave = vi.fn()) => {
    await act(async () => {
      root.render(createElement(PolicyEditor, { initial, onSave }));
    });
    return onSave;
  };
  const $ = <T extends Element>(selector: string) => {
    const el = container.querySelector<T>(selector);
    if (!el) throw new Error(`no ${selector}`);
    return el;
  };
  const button = (text: string) => {
    const b = [...container.querySelectorAll("button")].find((x) => x.textContent?.trim() === text);
    if (!b) throw new Error(`no button ${text}`);
    return b;
  };
  const type = async (el: HTMLInputElement | HTMLTextAreaElement, value: string) => {
    await act(async () => {
      const proto =
        el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
      Object.getOwnPropertyDescriptor(proto, "value")?.set?.call(el, value);
      el.dispatchEvent(new Event("input", { bubbles: true }));
    });
  };
  const click = (el: HTMLElement) =>
    act(async () => {
      el.click();
    });
  const submit = () =>
    act(async () => {
      $("form").dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
      await new Promise((r) => setTimeout(r, 10));
    });

  it("shows the preset's allowlist and ordered rules as labelled fields", async () => {
    await render(preset("ask-before-writing"));
    expect($<HTMLInputElement>("#al-0-origin").value).toBe(ORIGIN);
    const rules = container.querySelectorAll('[data-testid="request-rule"]');
    expect(rules).toHaveLength(2);
    expect($<HTMLInputElement>("#rr-0-id").value).toBe("no-delete");
    expect($<HTMLSelectElement>("#rr-1-action").value).toBe("require_approval");
    // Every control has a label.
    for (const input of container.querySelectorAll("input:not([type=checkbox]), select, textarea")) {
      expect(container.querySelector(`label[for="${input.id}"]`), input.id).not.toBeNull();
    }
  });

  it("saves a valid document with methods upper-cased and the rule order kept", async () => {
    const onSave = await render(preset("read-only"));
    await click(button("Add rule"));
    await type($<HTMLInputElement>("#rr-0-methods"), "get");
    await type($<HTMLInputElement>("#rr-0-path"), "/v1/secrets/**");
    await click(button("Add rule"));
    await type($<HTMLInputElement>("#rr-1-id"), "ask-reads");
    await click($<HTMLButtonElement>('[aria-label="Move rule 2 up"]'));
    await submit();
    expect(onSave).toHaveBeenCalledTimes(1);
    const doc = onSave.mock.calls[0]?.[0] as PolicyDocument;
    expect(doc.requestRules.map((r) => r.id)).toEqual(["ask-reads", "rule-1"]);
    expect(doc.requestRules[1]?.match).toEqual({ methods: ["GET"], path: "/v1/secrets/**" });
    expect(doc.allowlists).toEqual([{ origin: ORIGIN, paths: ["/**"], methods: ["GET", "HEAD"] }]);
  });

  it("refuses what the API would refuse and says why, next to the field", async () => {
    const onSave = await render(preset("read-only"));
    await click(button("Add rule"));
    await type($<HTMLInputElement>("#rr-0-path"), "v1/no-leading-slash");
    await type($<HTMLInputElement>("#al-0-origin"), "https://api.example.com/with/path");
    await type($<HTMLTextAreaElement>("#rr-0-conditions"), "{not json");
    await submit();
    expect(onSave).not.toHaveBeenCalled();
    expect(container.textContent).toContain('path pattern must start with "/"');
    expect(container.textContent).toContain("origin must be scheme://host[:port]");
    expect(container.textContent).toContain("conditions must be valid JSON");
    expect($('[data-testid="policy-invalid"]').getAttribute("role")).toBe("alert");
    expect($<HTMLInputElement>("#rr-0-path").closest("div")?.textContent).toContain("must start with");
  });

  it("rejects duplicate rule ids and an empty model list", async () => {
    const onSave = await render(preset("ask-before-writing"));
    await type($<HTMLInputElement>("#rr-1-id"), "no-delete");
    await click($<HTMLInputElement>('input[name="modelB"]'));
    await submit();
    expect(onSave).not.toHaveBeenCalled();
    expect(container.textContent).toContain('rule id "no-delete" is already used');
    expect(container.textContent).toMatch(/allowedModels|Too small|at least/i);
  });
});

describe("ErrorAlert", () => {
  it("shows the API's hint, code and request id", () => {
    const html = renderToStaticMarkup(
      createElement(ErrorAlert, {
        error: new ApiError(
          409,
          "CONNECTION_NEEDS_REAUTH",
          "The connection needs a reconnect.",
          "Reconnect it.",
          undefined,
          "req-1",
        ),
      }),
    );
    expect(html).toContain("Reconnect it.");
    expect(html).toContain("CONNECTION_NEEDS_REAUTH");
    expect(html).toContain("req-1");
    expect(html).toContain('role="alert"');
  });
});
