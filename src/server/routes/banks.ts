import { Readable } from "node:stream";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { bankFileFormats, matchVerdicts, signalTypes } from "../../banks/index.js";
import { LapwingError } from "../../errors/index.js";
import type { Services } from "../../services.js";
import { actorOf } from "../authenticate.js";
import { bank, bankEntry, idCursor } from "./schemas.js";

const bankParams = z.object({ bank: z.string().min(1).describe("The bank's id or name") });
const settings = z.object({
  name: z.string().min(1).max(200),
  description: z.string().max(2000),
  enabled: z.boolean(),
  pdqThreshold: z.number().int().min(0).max(128),
  matchVerdict: z.enum(matchVerdicts),
});

export const bankRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const admin = { scope: "admin" as const };
  const tags = ["banks"];
  const { banks } = services;

  // A successful write catches this process's live index up before the answer
  // goes out, so it matches what it just wrote; other processes follow within a poll.
  app.addHook("onSend", async (request, reply, payload) => {
    if (request.method !== "GET" && reply.statusCode < 400) await services.liveIndex.catchUp();
    return payload;
  });

  app.get(
    "/banks",
    { config: admin, schema: { summary: "List hash banks with their live entry counts", tags, response: { 200: z.object({ banks: z.array(bank.extend({ entryCount: z.number().int() })) }) } } },
    async () => ({ banks: await banks.listBanks() }),
  );

  app.post(
    "/banks",
    { config: admin, schema: { summary: "Create a hash bank", tags, body: settings.partial().required({ name: true }), response: { 201: bank } } },
    async (request, reply) => reply.status(201).send(await banks.createBank(request.body, actorOf(request))),
  );

  app.get("/banks/:bank", { config: admin, schema: { summary: "Get a hash bank", tags, params: bankParams, response: { 200: bank } } }, async (request) =>
    banks.getBank(request.params.bank),
  );

  app.patch(
    "/banks/:bank",
    { config: admin, schema: { summary: "Rename, enable/disable or retune a bank", tags, params: bankParams, body: settings.partial(), response: { 200: bank } } },
    async (request) => banks.updateBank(request.params.bank, request.body, actorOf(request)),
  );

  app.delete(
    "/banks/:bank",
    { config: admin, schema: { summary: "Delete a bank and tombstone its entries", tags, params: bankParams, response: { 200: z.object({ bank, entriesRemoved: z.number().int() }) } } },
    async (request) => banks.deleteBank(request.params.bank, actorOf(request)),
  );

  app.get(
    "/banks/:bank/entries",
    {
      config: admin,
      schema: {
        summary: "List a bank's entries, oldest first, in pages; search them by signal prefix, category or note text",
        tags,
        params: bankParams,
        querystring: z.object({
          after: idCursor.optional().describe("The nextCursor of the previous page"),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          includeRemoved: z.enum(["true", "false"]).optional().transform((v) => v === "true"),
          signal: z.string().min(1).max(64).optional().describe("Hexadecimal digits the hash starts with"),
          category: z.string().min(1).max(200).optional(),
          text: z.string().min(1).max(200).optional().describe("Text the entry's note or source contains (case aside)"),
        }),
        response: { 200: z.object({ entries: z.array(bankEntry), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const { signal, text, ...query } = request.query;
      const page = await banks.listEntries(request.params.bank, { ...query, signalPrefix: signal, contains: text });
      return { entries: page.entries, nextCursor: page.nextCursor };
    },
  );

  app.post(
    "/banks/:bank/entries",
    {
      config: admin,
      schema: {
        summary: "Add entries to a bank (signals it already holds are skipped)",
        tags,
        params: bankParams,
        body: z.object({
          entries: z
            .array(
              z.object({
                signalType: z.enum(signalTypes),
                signal: z.string(),
                category: z.string().max(200).optional(),
                note: z.string().max(2000).optional(),
                source: z.string().max(200).optional(),
              }),
            )
            .min(1)
            .max(10_000),
        }),
        response: { 201: z.object({ added: z.number().int(), duplicates: z.number().int() }) },
      },
    },
    async (request, reply) => {
      const result = await banks.addEntries(request.params.bank, request.body.entries, `api:${request.apiKey?.name ?? "unknown"}`, actorOf(request));
      return reply.status(201).send(result);
    },
  );

  app.delete(
    "/banks/:bank/entries/:entry",
    {
      config: admin,
      schema: { summary: "Remove an entry (kept as a tombstone)", tags, params: bankParams.extend({ entry: z.string() }), response: { 200: bankEntry } },
    },
    async (request) => banks.removeEntry(request.params.bank, request.params.entry, actorOf(request)),
  );

  app.post(
    "/banks/import",
    {
      config: admin,
      schema: {
        summary: "Import a bank file (CSV body, Content-Type text/csv); atomic: all rows or none",
        description:
          "Layouts: `lapwing` (signal_type,signal,bank,category,note) and `threatexchange` (signal_type,signal_str,collab,category,tags). For files larger than the upload limit use `lapwing bank import`, which streams.",
        tags,
        querystring: z.object({
          format: z.enum(bankFileFormats).default("lapwing"),
          bank: z.string().optional().describe("Bank for rows that name none (or for every row with forceBank=true)"),
          forceBank: z.enum(["true", "false"]).optional().transform((v) => v === "true"),
        }),
        response: {
          200: z.object({ rowsRead: z.number(), added: z.number(), duplicates: z.number(), skipped: z.number(), banksCreated: z.array(z.string()) }),
        },
      },
    },
    async (request) => {
      if (typeof request.body !== "string") {
        throw new LapwingError("UNSUPPORTED_CONTENT_TYPE", "Send the CSV file as the body with Content-Type text/csv.");
      }
      return banks.importFile(Readable.from([request.body]), { ...request.query, actor: actorOf(request) });
    },
  );

  app.get(
    "/banks/:bank/export",
    {
      config: admin,
      schema: { summary: "Export a bank's live entries as CSV", tags, params: bankParams, querystring: z.object({ format: z.enum(bankFileFormats).default("lapwing") }) },
    },
    async (request, reply) => {
      const bankRecord = await banks.getBank(request.params.bank);
      const safeName = bankRecord.name.replace(/[^\w.-]+/g, "_");
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${safeName}.csv"`)
        .send(Readable.from(banks.exportFile(bankRecord.id, request.query.format)));
    },
  );
};
