import { z } from "zod";

/** ISO 8601 instant. Inputs with an offset are accepted and normalised to UTC with milliseconds. */
export const InstantSchema = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString());

/** Output form: always `2025-01-31T12:00:00.000Z`. */
export const InstantOutSchema = z.iso.datetime();
