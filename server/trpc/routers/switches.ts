import { z } from "zod";
import { getLatestApplyAll, listApplyAllRuns, previewApplyAll, startApplyAll } from "@/server/services/switches/apply-all";
import { computeSwitchPlans } from "@/server/services/port-state/switch-plan";
import { requestBackupNow, requestDriftCheck } from "@/server/services/switches/backup-jobs";
import { countSwitchAlerts } from "@/server/services/switches/alerts";
import { requestDriftRepair } from "@/server/services/switches/drift";
import { diffBackups } from "@/server/services/switches/backup-views";
import { getPush, getSwitchDetail, listBackupPage, listPushPage, listSwitchOverview, listSwitchPage } from "@/server/services/switches/queries";
import { backupTableSpec, pushTableSpec, switchTableSpec } from "@/lib/switches/tables";
import { tableInputSchema } from "@/lib/table/url-state";
import { getSwitchLinks } from "@/server/services/edge/edge-map";
import { requestPortBindings } from "@/server/services/platform/approvals";
import { requestSwitchDelete } from "@/server/services/platform/approvals";
import { rotateSwitchCredentials, setSwitchAutomation, updateSwitch } from "@/server/services/switches/lifecycle";
import { approveHostKey, createSwitch } from "@/server/services/switches/switches";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export const createSwitchSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "letters, digits, . _ - (63 at most)"),
  host: z.union([z.ipv4(), z.ipv6(), z.string().regex(HOSTNAME, "not a hostname or IP address")]),
  port: z.number().int().min(1).max(65535).default(22),
  // A root login lands in a Unix shell, not the Junos CLI.
  username: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,32}$/, "letters, digits, . _ -")
    .refine((u) => u !== "root", "use a non-root account: root lands in a Unix shell"),
  password: z.string().min(1).max(256).optional(),
  privateKey: z.string().max(16_384).optional(),
  dhcpSecurityGroup: z.string().max(64).optional(),
  tenantosDeviceId: z.number().int().positive().optional(),
});

const switchId = z.number().int().positive();

// The same rules as on create; the name is not editable (it is typed to confirm a delete), and a
// null Tenantos id unlinks the switch.
export const updateSwitchSchema = createSwitchSchema
  .pick({ host: true, port: true, username: true, dhcpSecurityGroup: true })
  .extend({ id: switchId, tenantosDeviceId: createSwitchSchema.shape.tenantosDeviceId.unwrap().nullable().optional() });

// Blank keeps the stored credential, so blank is allowed here, unlike on create.
export const rotateCredentialsSchema = z.object({ id: switchId, password: z.string().max(256).optional(), privateKey: z.string().max(16_384).optional() });

export const switchesRouter = createTRPCRouter({
  list: viewerProcedure.query(({ ctx }) => listSwitchOverview(ctx.db)),
  /** The console's tables: a page of the view the link names, with the total. */
  table: viewerProcedure.input(tableInputSchema(switchTableSpec)).query(({ ctx, input }) => listSwitchPage(ctx.db, input)),
  pushTable: viewerProcedure
    .input(tableInputSchema(pushTableSpec).extend({ switchId }))
    .query(({ ctx, input: { switchId: id, ...view } }) => listPushPage(ctx.db, id, view)),
  backupTable: viewerProcedure
    .input(tableInputSchema(backupTableSpec).extend({ switchId }))
    .query(({ ctx, input: { switchId: id, ...view } }) => listBackupPage(ctx.db, id, view)),
  alerts: viewerProcedure.query(({ ctx }) => countSwitchAlerts(ctx.db)),
  get: viewerProcedure.input(z.object({ id: z.number().int().positive() })).query(({ ctx, input }) => getSwitchDetail(ctx.db, input.id)),
  links: viewerProcedure.input(z.object({ id: switchId })).query(({ ctx, input }) => getSwitchLinks(ctx.db, input.id)),
  push: viewerProcedure.input(z.object({ id: z.number().int().positive() })).query(({ ctx, input }) => getPush(ctx.db, input.id)),
  backupDiff: viewerProcedure
    .input(z.object({ switchId: z.number().int().positive(), fromId: z.number().int().positive(), toId: z.number().int().positive() }))
    .query(({ ctx, input }) => diffBackups(ctx.db, ctx.getSecretsKey(), input.switchId, input.fromId, input.toId)),
  checkDrift: adminProcedure.input(z.object({ id: z.number().int().positive() })).mutation(({ ctx, input }) => requestDriftCheck(ctx.db, ctx.actor, input.id)),
  repairDrift: adminProcedure.input(z.object({ id: switchId })).mutation(({ ctx, input }) => requestDriftRepair(ctx.db, ctx.actor, input.id)),
  backupNow: adminProcedure.input(z.object({ id: z.number().int().positive() })).mutation(({ ctx, input }) => requestBackupNow(ctx.db, ctx.actor, input.id)),
  applyAllProgress: viewerProcedure.query(({ ctx }) => getLatestApplyAll(ctx.db)),
  applyAllRuns: viewerProcedure.query(({ ctx }) => listApplyAllRuns(ctx.db)),
  // A mutation: it learns every Tenantos server's port first (nothing is pushed or marked dirty).
  applyAllPreview: adminProcedure.mutation(async ({ ctx }) => previewApplyAll(ctx.db, ctx.getSecretsKey(), await ctx.getOutsideSystems())),
  plan: viewerProcedure
    .input(z.object({ id: switchId }))
    .query(async ({ ctx, input }) => computeSwitchPlans({ db: ctx.db, panel: await ctx.getOutsideSystems(), secretsKey: ctx.getSecretsKey() }, [input.id])),
  applyAll: adminProcedure.mutation(async ({ ctx }) => startApplyAll(ctx.db, ctx.actor, await ctx.getOutsideSystems())),
  create: adminProcedure.input(createSwitchSchema).mutation(({ ctx, input }) => createSwitch(ctx.db, ctx.getSecretsKey(), ctx.actor, input)),
  update: adminProcedure.input(updateSwitchSchema).mutation(({ ctx, input: { id, ...edit } }) => updateSwitch(ctx.db, ctx.actor, id, edit)),
  rotateCredentials: adminProcedure
    .input(rotateCredentialsSchema)
    .mutation(({ ctx, input: { id, ...creds } }) => rotateSwitchCredentials(ctx.db, ctx.getSecretsKey(), ctx.actor, id, creds)),
  setAutomation: adminProcedure
    .input(z.object({ id: switchId, isEnabled: z.boolean() }))
    .mutation(({ ctx, input }) => setSwitchAutomation(ctx.db, ctx.actor, input.id, input.isEnabled)),
  delete: adminProcedure
    .input(z.object({ id: switchId, mode: z.enum(["leave-switch", "remove-bindings"]), confirmName: z.string().max(63) }))
    .mutation(({ ctx, input }) =>
      requestSwitchDelete(ctx.db, { secretsKey: ctx.getSecretsKey() }, ctx.actor, { switchId: input.id, mode: input.mode, confirmName: input.confirmName }),
    ),
  approveHostKey: adminProcedure
    .input(z.object({ id: z.number().int().positive(), fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, "a SHA256:… fingerprint") }))
    .mutation(({ ctx, input }) => approveHostKey(ctx.db, ctx.actor, input.id, input.fingerprint)),
  setPortBindings: adminProcedure
    .input(
      z.object({
        switchId: z.number().int().positive(),
        interface: z.string().max(40),
        bindings: z.array(z.object({ ip: z.string().max(64), mac: z.string().max(32), vlan: z.string().max(64) })).max(512),
        ticketId: z.string().max(100).optional(),
      }),
    )
    .mutation(({ ctx, input }) => requestPortBindings(ctx.db, ctx.getSecretsKey(), ctx.actor, input)),
});
