import { z } from "zod";
import { createAddress, listAddresses, listAddressHistory } from "@/server/services/ipam/addresses";
import { listAddressOwners, listAddressPage } from "@/server/services/ipam/queries";
import { addressTableSpec } from "@/lib/ipam/address-table";
import { tableInputSchema } from "@/lib/table/url-state";
import { requestAddressUpdate } from "@/server/services/platform/approvals";
import { applyCsvImport, exportCsv, planCsvImport } from "@/server/services/ipam/import";
import {
  claimNextFreeAddress,
  createPrefix,
  createVlan,
  deletePrefix,
  deleteVlan,
  listPrefixUtilization,
  listVlans,
  proposeNextFreeAddress,
  updatePrefix,
  updateVlan,
} from "@/server/services/ipam/prefixes";
import { reserveAddress } from "@/server/services/ipam/reservations";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";

const status = z.enum(["planned", "active", "deprecated", "released"]);
const text = (max: number) => z.string().trim().max(max).nullish();
const fields = z.object({
  hostname: text(253),
  vmid: z.number().int().positive().nullish(),
  mac: text(32),
  vlanVid: z.number().int().min(1).max(4094).nullish(),
  ownerTeam: text(100),
  service: text(200),
  status: status.optional(),
});
// A prefix's fields besides its range, as created and as edited.
const prefixFields = z.object({
  vid: z.number().int().nullish(),
  gateway: text(64),
  environment: text(64),
  routingNotes: text(500),
  description: text(200),
});
const csvKind = z.enum(["vlans", "prefixes", "ip-addresses"]);

export const ipamRouter = createTRPCRouter({
  prefixes: viewerProcedure.query(({ ctx }) => listPrefixUtilization(ctx.db)),
  addresses: viewerProcedure
    .input(
      z.object({
        search: z.string().max(100).optional(),
        status: status.optional(),
        prefixId: z.number().int().positive().optional(),
        sort: z.enum(["address", "hostname"]).default("address"),
        after: z.object({ address: z.string().max(64), hostname: z.string().max(253).nullable(), id: z.number().int() }).optional(),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    )
    .query(({ ctx, input }) => listAddresses(ctx.db, input)),
  /** The console's address table: a page of the view the link names, with the total. */
  addressTable: viewerProcedure.input(tableInputSchema(addressTableSpec)).query(({ ctx, input }) => listAddressPage(ctx.db, input)),
  addressOwners: viewerProcedure.query(({ ctx }) => listAddressOwners(ctx.db)),
  history: viewerProcedure.input(z.object({ address: z.string().max(64) })).query(({ ctx, input }) => listAddressHistory(ctx.db, input.address)),
  createAddress: adminProcedure.input(fields.extend({ address: z.string().max(64) })).mutation(({ ctx, input }) => createAddress(ctx.db, ctx.actor, input)),
  updateAddress: adminProcedure
    .input(fields.extend({ id: z.number().int().positive() }))
    .mutation(({ ctx, input: { id, ...patch } }) => requestAddressUpdate(ctx.db, { secretsKey: ctx.getSecretsKey() }, ctx.actor, id, patch)),
  // Releasing or re-owning an address a switch binds waits for a second admin (with the bindings).
  releaseAddress: adminProcedure
    .input(z.object({ id: z.number().int().positive() }))
    .mutation(({ ctx, input }) => requestAddressUpdate(ctx.db, { secretsKey: ctx.getSecretsKey() }, ctx.actor, input.id, { status: "released" })),
  /** What "Next free" would claim now; claims nothing. */
  proposeNextFree: adminProcedure
    .input(z.object({ prefixId: z.number().int().positive() }))
    .query(({ ctx, input }) => proposeNextFreeAddress(ctx.db, input.prefixId)),
  // `expected`: the proposed address the admin confirmed; a claim that would take another refuses.
  claimNextFree: adminProcedure
    .input(fields.extend({ prefixId: z.number().int().positive(), expected: z.string().max(64).optional() }))
    .mutation(({ ctx, input: { prefixId, expected, ...f } }) => claimNextFreeAddress(ctx.db, ctx.actor, prefixId, f, { expected })),
  reserveAddress: adminProcedure
    .input(
      z.union([
        z.object({ address: z.string().max(64), ownerTeam: z.string().max(100), service: z.string().max(200), hostname: text(253) }),
        z.object({ prefixId: z.number().int().positive(), ownerTeam: z.string().max(100), service: z.string().max(200), hostname: text(253) }),
      ]),
    )
    .mutation(({ ctx, input }) => reserveAddress(ctx.db, ctx.actor, input)),
  updateVlan: adminProcedure
    .input(
      z.object({
        vid: z.number().int(),
        name: z.string().trim().min(1).max(64).optional(),
        status: z.enum(["current", "planned"]).optional(),
        environment: text(64),
        description: text(200),
      }),
    )
    .mutation(({ ctx, input: { vid, ...patch } }) => updateVlan(ctx.db, ctx.actor, vid, patch)),
  deleteVlan: adminProcedure.input(z.object({ vid: z.number().int() })).mutation(({ ctx, input }) => deleteVlan(ctx.db, ctx.actor, input.vid)),
  updatePrefix: adminProcedure
    .input(prefixFields.extend({ id: z.number().int().positive(), prefix: z.string().max(64).optional() }))
    .mutation(({ ctx, input: { id, ...patch } }) => updatePrefix(ctx.db, ctx.actor, id, patch)),
  deletePrefix: adminProcedure.input(z.object({ id: z.number().int().positive() })).mutation(({ ctx, input }) => deletePrefix(ctx.db, ctx.actor, input.id)),
  vlans: viewerProcedure.query(({ ctx }) => listVlans(ctx.db)),
  createVlan: adminProcedure
    .input(
      z.object({
        vid: z.number().int(),
        name: z.string().trim().min(1).max(64),
        status: z.enum(["current", "planned"]),
        environment: text(64),
        description: text(200),
      }),
    )
    .mutation(({ ctx, input }) => createVlan(ctx.db, ctx.actor, input)),
  createPrefix: adminProcedure.input(prefixFields.extend({ prefix: z.string().max(64) })).mutation(({ ctx, input }) => createPrefix(ctx.db, ctx.actor, input)),
  /** A NetBox CSV's plan (create, update, unchanged, conflicts); nothing is written. A mutation: the file is too large for a query string. */
  planCsvImport: adminProcedure
    .input(z.object({ kind: csvKind, csv: z.string().max(20_000_000) }))
    .mutation(({ ctx, input }) => planCsvImport(ctx.db, input.kind, input.csv)),
  /** Applies a confirmed plan; refused when the data changed since (plan again). */
  applyCsvImport: adminProcedure
    .input(z.object({ kind: csvKind, csv: z.string().max(20_000_000), digest: z.string().max(128) }))
    .mutation(({ ctx, input }) => applyCsvImport(ctx.db, ctx.actor, input)),
  exportCsv: viewerProcedure.input(z.object({ kind: csvKind })).query(({ ctx, input }) => exportCsv(ctx.db, input.kind)),
});
