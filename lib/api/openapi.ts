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

const str = { type: "string" } as const;
const int = { type: "integer" } as const;
const date = { type: "string", format: "date" } as const;
const error = { type: "object", required: ["error"], properties: { error: str } } as const;
const freshness = {
  collected_at: { type: ["string", "null"], format: "date-time", description: "When the snapshot shown was collected; null before any." },
  is_stale: { type: "boolean", description: "True when a later collection failed, the snapshot is over 8 days old, or there is none." },
  error: { type: ["string", "null"], description: "The newest collection's error, when it failed." },
} as const;
const ips = { type: "array", items: str } as const;
const vmid = int;
/** `{ type: "array" }` of objects with these properties: the rows of a drift kind. */
const rowsOf = <P extends Record<string, unknown>>(properties: P, description?: string) =>
  ({ type: "array", ...(description ? { description } : {}), items: { type: "object", properties } }) as const;
const jsonContent = <S>(schema: S) => ({ "application/json": { schema } }) as const;
const schemaRef = <N extends string>(name: N) => ({ $ref: `#/components/schemas/${name}` }) as const;
const csvContent = { "text/csv": { schema: str } } as const;
const errorBody = (description: string) => ({ description, content: jsonContent(schemaRef("Error")) }) as const;
// The answers every API-key door shares (server/doors/inventory-api.ts).
const apiKeyRefusals = { "401": errorBody("No API key, an unknown one or a revoked one"), "403": errorBody("The key lacks the scope") } as const;
// The answers every Tenantos door shares (server/http/guards.ts).
const tenantosDoorErrors = {
  "400": errorBody("Not JSON, or a field is wrong: the message names it"),
  "401": errorBody("Missing or wrong bearer token"),
  "413": errorBody("Body over the door's limit"),
  "503": errorBody("Automation is off: PORT_SECURITY_EVENT_API_BEARER_TOKEN is not set"),
} as const;
const accepted = {
  description: "Stored (or recognised as a repeat within 5 minutes) and queued; no switch is contacted in the request",
  content: jsonContent({ type: "object", required: ["eventId", "duplicate"], properties: { eventId: int, duplicate: { type: "boolean" } } }),
} as const;
const vmac = {
  type: "object",
  properties: { ip: str, mac: str, serverId: int, status: str },
} as const;
const sessionOnly = [{ sessionCookie: [] }];
const notSignedIn = { description: "Not signed in, or the role lacks access (text)" } as const;
const sessionRefusals = { "401": notSignedIn, "403": notSignedIn } as const;
/** A console download of one of `kinds` (server/http/csv-download.ts). */
const csvDownload = (summary: string, kinds: readonly string[], description: string) => ({
  get: {
    summary,
    security: sessionOnly,
    parameters: [{ name: "kind", in: "path", required: true, schema: { enum: kinds } }],
    responses: { "200": { description, content: csvContent }, ...sessionRefusals, "404": { description: "Unknown kind" } },
  },
});
const jsonRequestBody = (name: string) => ({ required: true, content: jsonContent(schemaRef(name)) });
// The switch and port a binding drift row is about.
const bindingAt = { switch: str, interface: str, ip: str } as const;
const dateTime = { type: "string", format: "date-time" } as const;
const evidence = {
  type: "object",
  required: ["type", "id"],
  properties: { type: { enum: ["port_security_event", "switch_push", "vmac_event", "inventory_snapshot", "ipam_address"] }, id: str },
} as const;
const addressParam = { name: "address", in: "path", required: true, schema: str, description: "An IPv4/IPv6 address or a MAC in any usual form" } as const;
const timeParam = (name: string, description: string) => ({ name, in: "query", required: false, schema: dateTime, description }) as const;
const historyParams = [
  addressParam,
  timeParam("at", "Who held it at this moment (ISO 8601 with Z or an offset)"),
  timeParam("from", "Window start"),
  timeParam("to", "Window end"),
] as const;
const badQuery = errorBody("A time without a zone, at= with from=/to=, or an address that is neither an IP nor a MAC");

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
      TimelineEntry: {
        type: "object",
        required: ["kind", "from", "to", "evidence"],
        properties: {
          kind: { enum: ["tenantos_assignment", "switch_binding", "vmac", "guest", "ipam"] },
          from: { ...dateTime, description: "UTC, with Z" },
          to: { type: ["string", "null"], format: "date-time", description: "null while the period is open (current)" },
          address: { ...str, description: "Only when the subject is a MAC: the address of the period" },
          tenantos_server_id: int,
          switch_id: int,
          switch: str,
          interface: str,
          mac: str,
          vlan: str,
          vmid: int,
          node: str,
          hostname: str,
          status: { ...str, description: "IPAM status" },
          owner: { ...str, description: "IPAM owner team" },
          last_seen_at: { ...dateTime, description: "Guests: the last collection that saw the address" },
          evidence: evidence,
          end_evidence: evidence,
        },
      },
      AddressHistory: {
        type: "object",
        required: ["address", "holders", "coverage", "timeline", "is_truncated"],
        properties: {
          address: str,
          at: dateTime,
          from: dateTime,
          to: dateTime,
          holders: { type: "array", items: schemaRef("TimelineEntry"), description: "Periods holding the address at `at`, over the window, or now" },
          coverage: {
            type: "object",
            required: ["is_complete", "gaps"],
            properties: {
              is_complete: { type: "boolean", description: "False when the record cannot answer for part of the time asked" },
              gaps: { type: "array", items: { type: "object", required: ["from", "to"], properties: { from: dateTime, to: dateTime, reason: str } } },
            },
          },
          timeline: { type: "array", items: schemaRef("TimelineEntry") },
          is_truncated: { type: "boolean", description: "More than 2,000 periods: the newest are given" },
        },
      },
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
                node: str,
                status: str,
                cpus: int,
                cpu_load: { type: ["number", "null"] },
                mem_total_bytes: int,
                mem_used_bytes: { type: ["integer", "null"] },
                disk_total_bytes: int,
                disk_used_bytes: { type: ["integer", "null"] },
                storage: {
                  type: "array",
                  items: {
                    type: "object",
                    properties: {
                      storage: str,
                      type: str,
                      total_bytes: int,
                      used_bytes: int,
                      is_shared: { type: "boolean" },
                      avail_bytes: int,
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
                name: str,
                node: str,
                type: { enum: ["qemu", "lxc"] },
                status: str,
                cpus: int,
                mem_bytes: int,
                nics: rowsOf({
                  index: int,
                  mac: { type: ["string", "null"] },
                  bridge: { type: ["string", "null"] },
                  vlan_tag: { type: ["integer", "null"] },
                  config_ips: ips,
                }),
                config_ips: ips,
                live_ips: { type: ["array", "null"], items: str, description: "From the QEMU agent or LXC; null when no agent answered." },
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
          warnings: ips,
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
          guest_ips_not_in_ip_addresses_conf: rowsOf({ vmid, name: str, ip: str }),
          ip_addresses_conf_ips_not_on_guests: rowsOf({ key: str, ip: str }),
          vmid_ip_mismatch: rowsOf({ vmid, name: str, documented: ips, live: ips }),
          guests_only_in_doc: rowsOf({ vmid, name: str }),
          guests_only_on_cluster: rowsOf({ vmid, name: str, node: str }),
          duplicate_guest_ips: rowsOf({ ip: str, vmids: { type: "array", items: vmid } }),
          ipam: {
            type: "object",
            description: "How many IPAM addresses and switch bindings the IPAM kinds compared (0: that side was not compared).",
            properties: { addresses: int, bindings: int },
          },
          ipam_addresses_not_on_guests: rowsOf(
            { ip: str, vmid, hostname: { type: ["string", "null"] } },
            "Active IPAM addresses naming a VMID that no guest holds.",
          ),
          guest_ips_not_in_ipam: rowsOf(
            { vmid, name: str, ip: str, ipam_status: { enum: ["released", null] } },
            "Guest addresses IPAM does not hold, or holds as released.",
          ),
          ipam_vmid_mismatch: rowsOf({ ip: str, ipam_vmid: vmid, live_vmids: { type: "array", items: vmid } }),
          bindings_not_in_ipam: rowsOf({ ...bindingAt, mac: str, vlan: str }, "From the switches' latest backups: addresses IPAM has no record of."),
          bindings_on_released_addresses: rowsOf({ ...bindingAt, mac: str, vlan: str }, "From the switches' latest backups."),
          binding_mac_mismatch: rowsOf({ ...bindingAt, bound_mac: str, ipam_mac: str }, "Bound to a MAC other than IPAM's and other than the address's VMAC."),
          vmac_ipam_mismatch: rowsOf({ ip: str, vmac: str, ipam_mac: str }),
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
        requestBody: jsonRequestBody("PortSecurityEvent"),
        responses: { "202": accepted, ...tenantosDoorErrors },
      },
    },
    "/api/provisioning/event": {
      post: {
        summary: "Tenantos: a server was provisioned (its ports are set up from Tenantos's facts)",
        security: [{ tenantosToken: [] }],
        requestBody: jsonRequestBody("ProvisioningEvent"),
        responses: { "202": accepted, ...tenantosDoorErrors },
      },
    },
    "/api/v1/virtual-macs": {
      get: {
        summary: "Active virtual MACs, optionally for one IP or server",
        security: [{ tenantosToken: [] }],
        parameters: [
          { name: "ip", in: "query", schema: str },
          { name: "serverId", in: "query", schema: str },
        ],
        responses: {
          "200": {
            description: "Up to 1000",
            content: jsonContent({ type: "object", properties: { result: { type: "array", items: vmac } } }),
          },
          "401": tenantosDoorErrors["401"],
          "503": tenantosDoorErrors["503"],
        },
      },
      post: {
        summary: "A virtual MAC for an IP of a server (Proxmox guests behind port security)",
        security: [{ tenantosToken: [] }],
        requestBody: jsonRequestBody("VirtualMacRequest"),
        responses: {
          "200": { description: "It existed already", content: jsonContent({ type: "object", properties: { result: vmac } }) },
          "201": { description: "Created", content: jsonContent({ type: "object", properties: { result: vmac } }) },
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
          "200": { description: "Metrics", content: { "text/plain": { schema: str } } },
          "401": { description: "Token missing or wrong" },
        },
      },
    },
    "/api/ipam/export/{kind}": csvDownload("IPAM as NetBox-format CSV (formula-escaped)", ["vlans", "prefixes", "ip-addresses"], "CSV download"),
    "/api/switches/{id}/backups/{backupId}": {
      get: {
        summary: "One switch configuration backup (secrets masked unless the caller is an admin; an admin's download is audited)",
        security: sessionOnly,
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "integer" } },
          { name: "backupId", in: "path", required: true, schema: { type: "integer" } },
        ],
        responses: {
          "200": { description: "The configuration as text", content: { "text/plain": { schema: str } } },
          ...sessionRefusals,
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
        description:
          "Finance and IT admins. `usage?from=YYYY-MM-DD&to=YYYY-MM-DD`, `invoice?id=N`, `invoices?periodStart=YYYY-MM-DD` (the invoices table's filters, `invoices.*`, narrow it), `quickbooks?periodStart=` and `netsuite?periodStart=` (those systems' invoice import files), `ledger`.",
        parameters: [
          { name: "kind", in: "path", required: true, schema: { enum: ["usage", "invoice", "invoices", "quickbooks", "netsuite", "ledger"] } },
          { name: "from", in: "query", schema: date },
          { name: "to", in: "query", schema: date },
          { name: "id", in: "query", schema: int },
          { name: "periodStart", in: "query", schema: date },
        ],
        responses: {
          "200": { description: "CSV (RFC 4180, UTF-8, formula-escaped)", content: csvContent },
          "400": { description: "A parameter is missing or wrong (text naming it)" },
          ...sessionRefusals,
          "404": { description: "Unknown kind or invoice" },
        },
      },
    },
    "/api/audit/export": {
      get: {
        summary: "The audit table's view as CSV, every page, streamed (instants ISO 8601 with Z; before/after as JSON)",
        security: sessionOnly,
        description:
          "Viewers and up. The audit table's URL parameters narrow and order it (`actor`, `entity`, `action`, `from`, `to`, `q`, `sort`, `dir`); a bad one is left out. Billing entries lose their figures for readers without the finance door, as on the page.",
        responses: { "200": { description: "CSV (RFC 4180, UTF-8, formula-escaped)", content: csvContent }, ...sessionRefusals },
      },
    },
    "/api/port-security/export/events": {
      get: {
        summary: "The port-security events table's view as CSV, every page, streamed (instants ISO 8601 with Z)",
        security: sessionOnly,
        description:
          "Viewers and up. The events table's URL parameters narrow and order it (`server`, `status`, `action`, `switch`, `from`, `to`, `q`, `sort`, `dir`); a bad one is left out.",
        responses: { "200": { description: "CSV (RFC 4180, UTF-8, formula-escaped)", content: csvContent }, ...sessionRefusals },
      },
    },
    "/api/billing/quotes/{id}/{format}": {
      get: {
        summary: "A quote as the customer gets it: PDF, or CSV (billing-quote/1, docs/billing-csv.md)",
        security: sessionOnly,
        description: "Finance and IT admins.",
        parameters: [
          { name: "id", in: "path", required: true, schema: int },
          { name: "format", in: "path", required: true, schema: { enum: ["pdf", "csv"] } },
        ],
        responses: {
          "200": { description: "The quote", content: { "application/pdf": {}, ...csvContent } },
          "400": { description: "The id is not a number" },
          ...sessionRefusals,
          "404": { description: "Unknown quote or format" },
        },
      },
    },
    "/api/ports/export/{kind}": csvDownload(
      "The physical port map as our CSV, or NetBox's interface and cable import CSVs",
      ["port-map", "netbox-interfaces", "netbox-cables"],
      "CSV download (formula-escaped)",
    ),
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
            content: jsonContent(schemaRef("LiveInventory")),
          },
          ...apiKeyRefusals,
        },
      },
    },
    "/api/v1/inventory/drift": {
      get: {
        summary: "Drift: the live inventory against the declared files and IPAM, and IPAM against the switches (drift.json)",
        security: [{ apiKey: [] }],
        description: "Scope `inventory:read`.",
        responses: {
          "200": { description: "Each drift kind with its rows", content: jsonContent(schemaRef("Drift")) },
          ...apiKeyRefusals,
        },
      },
    },
    "/api/v1/search": {
      get: {
        summary:
          "Search everything: addresses, CIDRs, MACs (any form or a prefix), hostnames, VMIDs, server ids, switch ports, VLANs, organisations, licences, invoices",
        security: [{ apiKey: [] }],
        description: "Scope `inventory:read`. Results grouped by kind, best match first; `redirect` is the page of an exact IP or MAC.",
        parameters: [{ name: "q", in: "query", required: true, schema: { type: "string", maxLength: 200 } }],
        responses: {
          "200": {
            description: "The results",
            content: jsonContent({
              type: "object",
              required: ["query", "redirect", "results"],
              properties: {
                query: str,
                redirect: { type: ["string", "null"] },
                results: {
                  type: "array",
                  items: {
                    type: "object",
                    required: ["kind", "label", "href"],
                    properties: { kind: str, label: str, href: str, detail: { type: ["string", "null"] } },
                  },
                },
              },
            }),
          },
          "400": errorBody("q is too long"),
          ...apiKeyRefusals,
        },
      },
    },
    "/api/v1/addresses/{address}/history": {
      get: {
        summary: "Who held an address (or a MAC) when: Tenantos assignments, switch bindings, VMACs, Proxmox guests, IPAM",
        security: [{ apiKey: [] }],
        description:
          "Scope `inventory:read`. `?at=` names the holders at that moment; `?from=&to=` the periods overlapping the window. Where no record covers a moment, `coverage.gaps` says so.",
        parameters: historyParams,
        responses: { "200": { description: "The history", content: jsonContent(schemaRef("AddressHistory")) }, "400": badQuery, ...apiKeyRefusals },
      },
    },
    "/api/v1/addresses/{address}/export": {
      get: {
        summary: "The abuse reply: an address's periods over a window as CSV or JSON",
        security: [{ apiKey: [] }],
        description: "Scope `inventory:read`. CSV: one row per period, then one row per gap (kind `gap`).",
        parameters: [...historyParams.filter((p) => p.name !== "at"), { name: "format", in: "query", required: false, schema: { enum: ["csv", "json"] } }],
        responses: {
          "200": { description: "The file", content: { ...csvContent, ...jsonContent(schemaRef("AddressHistory")) } },
          "400": badQuery,
          ...apiKeyRefusals,
        },
      },
    },
    "/api/addresses/{address}/export": {
      get: {
        summary: "The address page's abuse reply download (the API's export, for a signed-in viewer)",
        security: sessionOnly,
        parameters: [...historyParams.filter((p) => p.name !== "at"), { name: "format", in: "query", required: false, schema: { enum: ["csv", "json"] } }],
        responses: {
          "200": { description: "The file", content: { ...csvContent, ...jsonContent(schemaRef("AddressHistory")) } },
          "400": badQuery,
          ...sessionRefusals,
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
            content: jsonContent({ type: "object", required: ["job_id", "status"], properties: { job_id: int, status: { const: "queued" } } }),
          },
          ...apiKeyRefusals,
        },
      },
    },
  },
} as const;
