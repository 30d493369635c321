import {
  ActionLinkDecisionRequestSchema,
  ActionLinkPreviewSchema,
  ActionLinkResultSchema,
} from "@agenthifive/contracts";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../../lib/errors.js";
import { confirmationPage, errorPage, resultPage } from "./action-links.page.js";
import type { ActionLinkService } from "./action-links.service.js";

export interface ActionLinkRoutesOptions {
  actionLinks: ActionLinkService;
  /** Per client IP (API.md S3): the token is the credential, so guessing is throttled hard. */
  viewsPerMinutePerIp?: number;
  decisionsPerMinutePerIp?: number;
}

const params = z.object({ token: z.string().min(1).max(128) });
const tags = ["action links"];
/** Pages carrying a credential in their URL: never cached, never leaked through Referer. */
const pageHeaders = { "cache-control": "no-store", "referrer-policy": "no-referrer" };

const wantsJson = (r: FastifyRequest) => /application\/json/.test(String(r.headers.accept ?? ""));
/** Anything but JSON is handled as the page's form (nonce required): media types are case-insensitive. */
const isForm = (r: FastifyRequest) =>
  !/^\s*application\/json\s*(;|$)/i.test(String(r.headers["content-type"] ?? ""));

function html(reply: FastifyReply, status: number, page: string) {
  return reply.status(status).headers(pageHeaders).type("text/html; charset=utf-8").send(page);
}

/** An error as a page for browsers; API clients get the usual JSON error. */
function failAsPage(reply: FastifyReply, e: unknown) {
  if (!(e instanceof AppError)) throw e;
  return html(reply, e.status, errorPage("This link cannot be used", e.message, e.hint));
}

/** Approve or deny from a notification channel (API.md §3.16): public, the token is the credential. */
export const actionLinkRoutes: FastifyPluginAsyncZod<ActionLinkRoutesOptions> = async (app, opts) => {
  const { actionLinks } = opts;
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_r, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get(
    "/v1/action-links/:token",
    {
      config: { principal: "public", rateLimit: { max: opts.viewsPerMinutePerIp ?? 60, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: "What an action link would do (changes nothing)",
        params,
        querystring: z.object({ decision: z.enum(["approve", "deny"]).optional() }),
        response: { 200: ActionLinkPreviewSchema },
      },
    },
    async (r, reply) => {
      if (wantsJson(r)) {
        reply.headers(pageHeaders);
        return actionLinks.preview(r.params.token);
      }
      try {
        return html(
          reply,
          200,
          confirmationPage(
            await actionLinks.preview(r.params.token),
            actionLinks.formNonce(r.params.token),
            r.query.decision,
          ),
        );
      } catch (e) {
        return failAsPage(reply, e);
      }
    },
  );

  app.post(
    "/v1/action-links/:token",
    {
      bodyLimit: 4096,
      config: {
        principal: "public",
        rateLimit: { max: opts.decisionsPerMinutePerIp ?? 20, timeWindow: 60_000 },
      },
      schema: {
        tags,
        summary: "Approve or deny with an action link (single use)",
        params,
        body: ActionLinkDecisionRequestSchema,
        response: { 200: ActionLinkResultSchema },
      },
    },
    async (r, reply) => {
      const comment = r.body.comment?.trim() || undefined;
      if (!isForm(r)) {
        reply.headers(pageHeaders);
        return actionLinks.decide(r.params.token, r.body.decision, comment, r.id);
      }
      try {
        // A form POST must come from the page (its nonce); a JSON POST cannot be sent cross-site
        // without a CORS preflight, which this origin refuses.
        if (!actionLinks.formNonceValid(r.params.token, r.body.nonce)) {
          throw new AppError("CSRF_ORIGIN_MISMATCH", "This decision did not come from the link's own page.", {
            hint: "Open the link again and use its Approve or Deny button.",
          });
        }
        const result = await actionLinks.decide(r.params.token, r.body.decision, comment, r.id);
        return html(reply, 200, resultPage(result.status));
      } catch (e) {
        return failAsPage(reply, e);
      }
    },
  );
};
