// The doors' contract (OpenAPI 3.1), served at /api/v1/openapi.json: every route handler under
// app/api except next-auth's and tRPC's (browser protocols with their own contracts);
// server/http/openapi-completeness.test.ts fails when a handler is missing. Request bodies are
// generated from the zod schemas the doors validate with, so the two cannot drift apart.
import { z } from "zod";
import { portSecurityEventSchema, provisioningEventSchema, vmacCreateSchema } from "../port-security/event";

/** A door's zod schema as the JSON Schema of what a caller sends (before transforms). */
function requestSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

const error = { type: "object", required: ["error"], properties: { error: { type: "string" } } } as const;
const freshness = {
  collected_at: { type: ["string", "null"], format: "date-time", description: "When the snapshot shown was collected; null before any." },
  is_stale: { type: "boolean", description: "True when a later collection failed, the snapshot is over 8 days old, or there is none." },
  error: { type: ["string", "null"], description: "The newest collection's error, when it failed." },
} as const;
const ips = { type: "array", items: { type: "string" } } as const;
const vmid = { type: "integer" } as const;
const unauthorized = {
  description: "No API key, an unknown one or a revoked one",
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
} as const;
const forbidden = { description: "The key lacks the scope", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } } as const;
const errorBody = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }) as const;
// The answers every Tenantos door shares (server/http/guards.ts).
const tenantosDoorErrors = {
  "400": errorBody("Not JSON, or a field is wrong: the message names it"),
  "401": errorBody("Missing or wrong bearer token"),
  "413": errorBody("Body over the door's limit"),
  "503": errorBody("Automation is off: PORT_SECURITY_EVENT_API_BEARER_TOKEN is not set"),
} as const;
const accepted = {
  description: "Stored (or recognised as a repeat within 5 minutes) and queued; no switch is contacted in the request",
  content: {
    "application/json": {
      schema: { type: "object", required: ["eventId", "duplicate"], properties: { eventId: { type: "integer" }, duplicate: { type: "boolean" } } },
    },
  },
} as const;
const vmac = {
  type: "object",
  properties: {
    ip: { type: "string" },
    mac: { type: "string" },
    serverId: { type: "integer" },
    status: { type: "string" },
  },
} as const;
const sessionOnly = [{ sessionCookie: [] }];
const notSignedIn = { description: "Not signed in, or the role lacks access (text)" } as const;

export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Sankofa IT API",
    version: "1.0.0",
    description: "Read the live Proxmox inventory and its drift from the declared inventory. Keys are created in Settings.",
  },
  servers: [{ url: "/" }],
  components: {
    securitySchemes: {
      apiKey: { type: "http", scheme: "bearer", description: "An API key (`skit_…`) from Settings → API keys." },
      tenantosToken: { type: "http", scheme: "bearer", description: "The shared token Tenantos's listener sends (PORT_SECURITY_EVENT_API_BEARER_TOKEN)." },
      metricsToken: { type: "http", scheme: "bearer", description: "METRICS_BEARER_TOKEN (required in production)." },
      stripeSignature: {
        type: "apiKey",
        in: "header",
        name: "Stripe-Signature",
        description: "Stripe's `t=…,v1=…` HMAC-SHA256 of the raw body with STRIPE_WEBHOOK_SECRET; 300 s tolerance.",
      },
      sessionCookie: {
        type: "apiKey",
        in: "cookie",
        name: "__Secure-next-auth.session-token",
        description: "A signed-in console session (next-auth.session-token over plain HTTP in development); for downloads the console links to.",
      },
    },
    schemas: {
      Error: error,
      PortSecurityEvent: requestSchema(portSecurityEventSchema),
      ProvisioningEvent: requestSchema(provisioningEventSchema),
      VirtualMacRequest: requestSchema(vmacCreateSchema),
      LiveInventory: {
        type: "object",
        required: ["collected_at", "is_stale", "error", "nodes", "guests"],
        properties: {
          ...freshness,
          nodes: {
            type: "array",
            items: {
              type: "object",
              properties: {
                node: { type: "string" },
                status: { type: "string" },
                cpus: { type: "integer" },
                cpu_load: { type: ["number", "null"] },
                mem_total_bytes: { type: "integer" },
                mem_used_bytes: { type: ["integer", "null"] },
                disk_total_bytes: { type: "integer" },
                disk_used_bytes: { type: ["integer", "null"] },
                storage: {
                  type: "array",
                  items: {
                    type: "object",
                    properties: {
                      storage: { type: "string" },
                      type: { type: "string" },
                      total_bytes: { type: "integer" },
                      used_bytes: { type: "integer" },
                      is_shared: { type: "boolean" },
                      avail_bytes: { type: "integer" },
                      content: { type: "array", items: { type: "string" }, description: "images, rootdir, iso, vztmpl, backup…" },
                      is_active: { type: "boolean" },
                      volumes: {
                        type: "array",
                        description: "Guest volumes as the storage lists them; absent when not read (a shared storage is read from one node only).",
                        items: {
                          type: "object",
                          properties: { volid: { type: "string" }, vmid: { type: ["integer", "null"] }, size_bytes: { type: ["integer", "null"] } },
                        },
                      },
                    },
                  },
                },
                cpu_model: { type: ["string", "null"] },
                cpu_sockets: { type: ["integer", "null"] },
                cpu_cores: { type: ["integer", "null"], description: "Physical cores over all sockets." },
                ifaces: {
                  type: "array",
                  description: "NICs, bonds and bridges from /nodes/{node}/network.",
                  items: {
                    type: "object",
                    properties: {
                      iface: { type: "string" },
                      type: { type: "string" },
                      is_active: { type: "boolean" },
                      bond_members: { type: "array", items: { type: "string" } },
                      bond_mode: { type: ["string", "null"] },
                      bridge_ports: { type: "array", items: { type: "string" } },
                      speed_mbps: { type: ["integer", "null"], description: "Null: Proxmox's API does not give link speeds." },
                    },
                  },
                },
              },
            },
          },
          guests: {
            type: "array",
            items: {
              type: "object",
              properties: {
                vmid,
                name: { type: "string" },
                node: { type: "string" },
                type: { enum: ["qemu", "lxc"] },
                status: { type: "string" },
                cpus: { type: "integer" },
                mem_bytes: { type: "integer" },
                nics: {
                  type: "array",
                  items: {
                    type: "object",
                    properties: {
                      index: { type: "integer" },
                      mac: { type: ["string", "null"] },
                      bridge: { type: ["string", "null"] },
                      vlan_tag: { type: ["integer", "null"] },
                      config_ips: ips,
                    },
                  },
                },
                config_ips: ips,
                live_ips: { type: ["array", "null"], items: { type: "string" }, description: "From the QEMU agent or LXC; null when no agent answered." },
                disks: {
                  type: "array",
                  description: "Disks on Proxmox storages from the guest config (CD-ROMs, pass-through devices and bind mounts excluded).",
                  items: {
                    type: "object",
                    properties: {
                      key: { type: "string" },
                      storage: { type: "string" },
                      volid: { type: "string" },
                      size_bytes: { type: ["integer", "null"], description: "Null when the config gives no size (a detached unusedN disk)." },
                    },
                  },
                },
              },
            },
          },
          warnings: { type: "array", items: { type: "string" } },
        },
      },
      Drift: {
        type: "object",
        required: ["collected_at", "is_stale", "error", "declared", "counts"],
        properties: {
          ...freshness,
          declared: { type: "object", description: "The imported ip-addresses.conf and VMID doc (null when not imported), with lines that could not be read." },
          counts: {
            type: ["object", "null"],
            additionalProperties: { type: "integer" },
            description: "Rows per kind; null when there is no snapshot or nothing declared.",
          },
          guest_ips_not_in_ip_addresses_conf: {
            type: "array",
            items: { type: "object", properties: { vmid, name: { type: "string" }, ip: { type: "string" } } },
          },
          ip_addresses_conf_ips_not_on_guests: { type: "array", items: { type: "object", properties: { key: { type: "string" }, ip: { type: "string" } } } },
          vmid_ip_mismatch: { type: "array", items: { type: "object", properties: { vmid, name: { type: "string" }, documented: ips, live: ips } } },
          guests_only_in_doc: { type: "array", items: { type: "object", properties: { vmid, name: { type: "string" } } } },
          guests_only_on_cluster: { type: "array", items: { type: "object", properties: { vmid, name: { type: "string" }, node: { type: "string" } } } },
          duplicate_guest_ips: { type: "array", items: { type: "object", properties: { ip: { type: "string" }, vmids: { type: "array", items: vmid } } } },
          ipam: {
            type: "object",
            description: "How many IPAM addresses and switch bindings the IPAM kinds compared (0: that side was not compared).",
            properties: { addresses: { type: "integer" }, bindings: { type: "integer" } },
          },
          ipam_addresses_not_on_guests: {
            type: "array",
            description: "Active IPAM addresses naming a VMID that no guest holds.",
            items: { type: "object", properties: { ip: { type: "string" }, vmid, hostname: { type: ["string", "null"] } } },
          },
          guest_ips_not_in_ipam: {
            type: "array",
            description: "Guest addresses IPAM does not hold, or holds as released.",
            items: { type: "object", properties: { vmid, name: { type: "string" }, ip: { type: "string" }, ipam_status: { enum: ["released", null] } } },
          },
          ipam_vmid_mismatch: {
            type: "array",
            items: { type: "object", properties: { ip: { type: "string" }, ipam_vmid: vmid, live_vmids: { type: "array", items: vmid } } },
          },
          bindings_on_released_addresses: {
            type: "array",
            description: "From the switches' latest backups.",
            items: {
              type: "object",
              properties: {
                switch: { type: "string" },
                interface: { type: "string" },
                ip: { type: "string" },
                mac: { type: "string" },
                vlan: { type: "string" },
              },
            },
          },
          binding_mac_mismatch: {
            type: "array",
            description: "Bound to a MAC other than IPAM's and other than the address's VMAC.",
            items: {
              type: "object",
              properties: {
                switch: { type: "string" },
                interface: { type: "string" },
                ip: { type: "string" },
                bound_mac: { type: "string" },
                ipam_mac: { type: "string" },
              },
            },
          },
          vmac_ipam_mismatch: {
            type: "array",
            items: { type: "object", properties: { ip: { type: "string" }, vmac: { type: "string" }, ipam_mac: { type: "string" } } },
          },
        },
      },
    },
  },
  paths: {
    "/api/port-security/event": {
      post: {
        summary: "Tenantos: an IP was assigned to or removed from a server, or a server was deleted",
        security: [{ tenantosToken: [] }],
        description: "Events are hints: the facts are read from Tenantos by the worker. `ip` is required except for server_deleted. Body up to 64 KB.",
        requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/PortSecurityEvent" } } } },
        responses: { "202": accepted, ...tenantosDoorErrors },
      },
    },
    "/api/provisioning/event": {
      post: {
        summary: "Tenantos: a server was provisioned (its ports are set up from Tenantos's facts)",
        security: [{ tenantosToken: [] }],
        requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/ProvisioningEvent" } } } },
        responses: { "202": accepted, ...tenantosDoorErrors },
      },
    },
    "/api/v1/virtual-macs": {
      get: {
        summary: "Active virtual MACs, optionally for one IP or server",
        security: [{ tenantosToken: [] }],
        parameters: [
          { name: "ip", in: "query", schema: { type: "string" } },
          { name: "serverId", in: "query", schema: { type: "string" } },
        ],
        responses: {
          "200": {
            description: "Up to 1000",
            content: { "application/json": { schema: { type: "object", properties: { result: { type: "array", items: vmac } } } } },
          },
          "401": tenantosDoorErrors["401"],
          "503": tenantosDoorErrors["503"],
        },
      },
      post: {
        summary: "A virtual MAC for an IP of a server (Proxmox guests behind port security)",
        security: [{ tenantosToken: [] }],
        requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/VirtualMacRequest" } } } },
        responses: {
          "200": { description: "It existed already", content: { "application/json": { schema: { type: "object", properties: { result: vmac } } } } },
          "201": { description: "Created", content: { "application/json": { schema: { type: "object", properties: { result: vmac } } } } },
          ...tenantosDoorErrors,
          "409": errorBody("The IP belongs to another server, or another conflict the message names"),
        },
      },
    },
    "/api/metrics": {
      get: {
        summary: "Prometheus metrics (text exposition format)",
        security: [{ metricsToken: [] }],
        responses: {
          "200": { description: "Metrics", content: { "text/plain": { schema: { type: "string" } } } },
          "401": { description: "Token missing or wrong" },
        },
      },
    },
    "/api/ipam/export/{kind}": {
      get: {
        summary: "IPAM as NetBox-format CSV (formula-escaped)",
        security: sessionOnly,
        parameters: [{ name: "kind", in: "path", required: true, schema: { enum: ["vlans", "prefixes", "ip-addresses"] } }],
        responses: {
          "200": { description: "CSV download", content: { "text/csv": { schema: { type: "string" } } } },
          "401": notSignedIn,
          "403": notSignedIn,
          "404": { description: "Unknown kind" },
        },
      },
    },
    "/api/switches/{id}/backups/{backupId}": {
      get: {
        summary: "One switch configuration backup (secrets masked unless the caller is an admin; an admin's download is audited)",
        security: sessionOnly,
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "integer" } },
          { name: "backupId", in: "path", required: true, schema: { type: "integer" } },
        ],
        responses: {
          "200": { description: "The configuration as text", content: { "text/plain": { schema: { type: "string" } } } },
          "401": notSignedIn,
          "403": notSignedIn,
          "404": { description: "No such switch or backup" },
        },
      },
    },
    "/api/billing/stripe": {
      post: {
        summary: "Stripe's webhook: subscriptions become licences, invoice payments their status",
        security: [{ stripeSignature: [] }],
        description:
          "The signature is checked on the raw body before anything else. An event id is stored once (a replay changes nothing) and applied by a job, only when newer than the last event applied to its object.",
        requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["id", "type", "created", "data"] } } } },
        responses: {
          "200": {
            description: "Received (also for a duplicate or an event type we ignore)",
            content: {
              "application/json": {
                schema: { type: "object", properties: { received: { const: true }, duplicate: { type: "boolean" }, ignored: { type: "boolean" } } },
              },
            },
          },
          "400": errorBody("No or bad signature, or not a Stripe event: nothing stored"),
          "413": errorBody("Body over the limit"),
          "503": errorBody("STRIPE_WEBHOOK_SECRET is not set"),
        },
      },
    },
    "/api/billing/export/{kind}": {
      get: {
        summary: "Finance's CSV downloads, streamed (columns in docs/billing-csv.md; UTC; money in minor units with a currency column)",
        security: sessionOnly,
        description: "Finance and IT admins. `usage?from=YYYY-MM-DD&to=YYYY-MM-DD`, `invoice?id=N`, `invoices?periodStart=YYYY-MM-DD`.",
        parameters: [
          { name: "kind", in: "path", required: true, schema: { enum: ["usage", "invoice", "invoices"] } },
          { name: "from", in: "query", schema: { type: "string", format: "date" } },
          { name: "to", in: "query", schema: { type: "string", format: "date" } },
          { name: "id", in: "query", schema: { type: "integer" } },
          { name: "periodStart", in: "query", schema: { type: "string", format: "date" } },
        ],
        responses: {
          "200": { description: "CSV (RFC 4180, UTF-8, formula-escaped)", content: { "text/csv": { schema: { type: "string" } } } },
          "400": { description: "A parameter is missing or wrong (text naming it)" },
          "401": notSignedIn,
          "403": notSignedIn,
          "404": { description: "Unknown kind or invoice" },
        },
      },
    },
    "/api/ports/export/{kind}": {
      get: {
        summary: "The physical port map as our CSV, or NetBox's interface and cable import CSVs",
        security: sessionOnly,
        parameters: [{ name: "kind", in: "path", required: true, schema: { enum: ["port-map", "netbox-interfaces", "netbox-cables"] } }],
        responses: {
          "200": { description: "CSV download (formula-escaped)", content: { "text/csv": { schema: { type: "string" } } } },
          "401": notSignedIn,
          "403": notSignedIn,
          "404": { description: "Unknown kind" },
        },
      },
    },
    "/api/v1/openapi.json": {
      get: { summary: "This document", security: [], responses: { "200": { description: "OpenAPI 3.1", content: { "application/json": {} } } } },
    },
    "/api/health": {
      get: {
        summary: "Database and worker health",
        security: [],
        responses: {
          "200": {
            description: "Both up",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    ok: { type: "boolean" },
                    checkedAt: { type: "string", format: "date-time" },
                    database: { type: "object" },
                    worker: { type: "object" },
                  },
                },
              },
            },
          },
          "503": { description: "The database or the worker is down (same body)" },
        },
      },
    },
    "/api/v1/inventory/live": {
      get: {
        summary: "The last good live inventory snapshot (live_inventory.json)",
        security: [{ apiKey: [] }],
        description: "Scope `inventory:read`.",
        responses: {
          "200": {
            description: "The snapshot with its freshness",
            content: { "application/json": { schema: { $ref: "#/components/schemas/LiveInventory" } } },
          },
          "401": unauthorized,
          "403": forbidden,
        },
      },
    },
    "/api/v1/inventory/drift": {
      get: {
        summary: "Drift: the live inventory against the declared files and IPAM, and IPAM against the switches (drift.json)",
        security: [{ apiKey: [] }],
        description: "Scope `inventory:read`.",
        responses: {
          "200": { description: "Each drift kind with its rows", content: { "application/json": { schema: { $ref: "#/components/schemas/Drift" } } } },
          "401": unauthorized,
          "403": forbidden,
        },
      },
    },
    "/api/v1/inventory/refresh": {
      post: {
        summary: "Queue a collection from Proxmox",
        security: [{ apiKey: [] }],
        description: "Scope `inventory:refresh`. A collection already waiting is joined (same job id).",
        responses: {
          "202": {
            description: "Queued",
            content: {
              "application/json": {
                schema: { type: "object", required: ["job_id", "status"], properties: { job_id: { type: "integer" }, status: { const: "queued" } } },
              },
            },
          },
          "401": unauthorized,
          "403": forbidden,
        },
      },
    },
  },
} as const;
