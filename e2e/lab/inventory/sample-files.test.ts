import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseIpAddressesConf } from "@/lib/inventory/ip-addresses-conf";
import { parseVmidTable } from "@/lib/inventory/vmid-table";

const here = path.dirname(new URL(import.meta.url).pathname);
const read = (name: string) => readFileSync(path.join(here, name), "utf8");

// The lab's declared inventory must stay readable: the demo and the e2e import use these files.
describe("lab inventory files", () => {
  it("parse without problems", () => {
    const conf = parseIpAddressesConf(read("ip-addresses.conf"));
    const doc = parseVmidTable(read("ALL_VMIDS_ENDPOINTS.md"));
    expect(conf.problems).toEqual([]);
    expect(doc.problems).toEqual([]);
    expect(conf.entries).toHaveLength(15);
    expect(doc.rows.map((r) => r.vmid)).toContain(10233);
  });
});
