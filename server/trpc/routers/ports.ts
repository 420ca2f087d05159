import { z } from "zod";
import { portMapEntryInputSchema } from "@/lib/edge/port-map";
import { portMapTableSpec } from "@/lib/edge/port-map-table";
import { tableInputSchema } from "@/lib/table/url-state";
import { getPhysicalPortMap, getPhysicalPortMapPage, searchEdgeMap } from "@/server/services/edge/edge-map";
import { requestEdgeRefresh } from "@/server/services/edge/jobs";
import { confirmEveryPortProposal, confirmPortProposals } from "@/server/services/edge/proposals";
import { createPortMapEntry, deletePortMapEntry, importPortMap, listPortMapEntries, updatePortMapEntry } from "@/server/services/edge/port-map";
import { getPortMap } from "@/server/services/port-security/port-map";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";

const id = z.object({ id: z.number().int().positive() });
const csvText = z.string().max(5_000_000);

export const portsRouter = createTRPCRouter({
  map: viewerProcedure.query(({ ctx }) => getPortMap(ctx.db, ctx.getSecretsKey())),
  /** The edge paths a search names (all when blank), every finding, and each source's freshness. */
  edge: viewerProcedure.input(z.object({ q: z.string().max(200).default("") })).query(({ ctx, input }) => searchEdgeMap(ctx.db, input.q)),
  entries: viewerProcedure.query(({ ctx }) => listPortMapEntries(ctx.db)),
  /** Typed rows with what the collector saw on each port, and collected ports nobody typed; searched. */
  physical: viewerProcedure.input(z.object({ q: z.string().max(200).default("") })).query(({ ctx, input }) => getPhysicalPortMap(ctx.db, input.q)),
  /** One page of the physical map for a table view (switch, status, search; sorted), and the proposals the search names. */
  physicalPage: viewerProcedure.input(tableInputSchema(portMapTableSpec)).query(({ ctx, input }) => getPhysicalPortMapPage(ctx.db, input)),
  /** Confirms proposed rows (one, or many at once): each becomes a port map row, audited. */
  confirmProposals: adminProcedure
    .input(z.object({ keys: z.array(z.string().min(1).max(300)).min(1).max(1000) }))
    .mutation(({ ctx, input }) => confirmPortProposals(ctx.db, ctx.actor, input.keys)),
  /** "Confirm all": every proposal the search names that contradicts nothing, if as many as the page showed. */
  confirmEveryProposal: adminProcedure
    .input(z.object({ q: z.string().max(200).default(""), expectedCount: z.number().int().min(1) }))
    .mutation(({ ctx, input }) => confirmEveryPortProposal(ctx.db, ctx.actor, input)),
  createEntry: adminProcedure.input(portMapEntryInputSchema).mutation(({ ctx, input }) => createPortMapEntry(ctx.db, ctx.actor, input)),
  updateEntry: adminProcedure
    .input(portMapEntryInputSchema.extend(id.shape))
    .mutation(({ ctx, input: { id: entryId, ...values } }) => updatePortMapEntry(ctx.db, ctx.actor, entryId, values)),
  deleteEntry: adminProcedure.input(id).mutation(({ ctx, input }) => deletePortMapEntry(ctx.db, ctx.actor, input.id)),
  importMap: adminProcedure
    .input(
      z.discriminatedUnion("format", [
        z.object({ format: z.literal("csv"), csv: csvText }),
        z.object({ format: z.literal("netbox"), interfacesCsv: csvText, cablesCsv: csvText }),
      ]),
    )
    .mutation(({ ctx, input }) => importPortMap(ctx.db, ctx.actor, input)),
  refreshEdge: adminProcedure.mutation(({ ctx }) => requestEdgeRefresh(ctx.db, ctx.actor)),
});
