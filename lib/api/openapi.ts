// The machine doors' contract, written by hand (OpenAPI 3.1), served at /api/v1/openapi.json.

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

export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Sankofa IT API",
    version: "1.0.0",
    description: "Read the live Proxmox inventory and its drift from the declared inventory. Keys are created in Settings.",
  },
  servers: [{ url: "/" }],
  components: {
    securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key (`skit_…`) from Settings → API keys." } },
    schemas: {
      Error: error,
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
        },
      },
    },
  },
  paths: {
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
        summary: "Drift between the live inventory and the declared files (drift.json)",
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
