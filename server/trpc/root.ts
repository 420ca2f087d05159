import { createCallerFactory, createTRPCRouter } from "./init";
import { addressesRouter } from "./routers/addresses";
import { apiKeysRouter } from "./routers/api-keys";
import { approvalsRouter } from "./routers/approvals";
import { auditRouter } from "./routers/audit";
import { billingRouter } from "./routers/billing";
import { healthRouter } from "./routers/health";
import { inventoryRouter } from "./routers/inventory";
import { hostsRouter } from "./routers/hosts";
import { ipamRouter } from "./routers/ipam";
import { jobsRouter } from "./routers/jobs";
import { notificationsRouter } from "./routers/notifications";
import { panelRouter } from "./routers/panel";
import { portSecurityRouter } from "./routers/port-security";
import { portsRouter } from "./routers/ports";
import { provisioningRouter } from "./routers/provisioning";
import { quotesRouter } from "./routers/quotes";
import { proxmoxRouter } from "./routers/proxmox";
import { sessionsRouter } from "./routers/sessions";
import { settingsRouter } from "./routers/settings";
import { switchesRouter } from "./routers/switches";
import { vlansRouter } from "./routers/vlans";
import { vmacsRouter } from "./routers/vmacs";

export const appRouter = createTRPCRouter({
  addresses: addressesRouter,
  apiKeys: apiKeysRouter,
  approvals: approvalsRouter,
  audit: auditRouter,
  billing: billingRouter,
  health: healthRouter,
  inventory: inventoryRouter,
  hosts: hostsRouter,
  ipam: ipamRouter,
  jobs: jobsRouter,
  notifications: notificationsRouter,
  panel: panelRouter,
  portSecurity: portSecurityRouter,
  ports: portsRouter,
  provisioning: provisioningRouter,
  proxmox: proxmoxRouter,
  quotes: quotesRouter,
  sessions: sessionsRouter,
  settings: settingsRouter,
  switches: switchesRouter,
  vlans: vlansRouter,
  vmacs: vmacsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
