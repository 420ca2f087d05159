import { readFile } from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/errors";
import type { Db } from "@/server/db/client";
import type { Actor } from "../platform/audit";
import { importDeclaredFiles } from "./queries";
import { importDeclaredInventory, planDeclaredInventoryImport, type ImportResult, type PlannedImport } from "../ipam/import";

type DeclaredInput = { conf?: { content: string; name?: string }; doc?: { content: string; name?: string } };

/** What importing these files would do to IPAM (nothing is written); null without a conf file. */
export async function planDeclared(db: Db, input: DeclaredInput): Promise<{ ipam: PlannedImport | null }> {
  return { ipam: input.conf ? await planDeclaredInventoryImport(db, { confText: input.conf.content, docText: input.doc?.content }) : null };
}

/**
 * The declared files, imported once for both uses: kept as text for drift (/it/drift) and turned
 * into IPAM addresses (/it/ipam). One transaction: both or neither. IPAM is written only as a
 * confirmed plan (`ipamDigest` from `planDeclared`); without one the files are kept for drift only.
 */
export async function importDeclared(
  db: Db,
  actor: Actor,
  input: DeclaredInput & { ipamDigest?: string },
): Promise<{ confEntries: number | null; docRows: number | null; ipam: ImportResult | null }> {
  return db.transaction(async (tx) => {
    // Nested transactions are savepoints: each service keeps its own all-or-nothing rule inside ours.
    const files = await importDeclaredFiles(tx, actor, input);
    const ipam =
      input.conf && input.ipamDigest
        ? await importDeclaredInventory(tx, actor, { confText: input.conf.content, docText: input.doc?.content, digest: input.ipamDigest })
        : null;
    return { ...files, ipam };
  });
}

/**
 * The same import from the files the deployment names (DECLARED_*_PATH): the paths come from the
 * environment, never from a request, so the console cannot be pointed at other files.
 */
export async function importDeclaredFromPaths(db: Db, actor: Actor, paths: { conf?: string; doc?: string }, ipamDigest?: string) {
  return importDeclared(db, actor, { ...(await readDeclaredPaths(paths)), ipamDigest });
}

/** The plan of importing the configured files into IPAM, as `planDeclared`. */
export async function planDeclaredFromPaths(db: Db, paths: { conf?: string; doc?: string }) {
  return planDeclared(db, await readDeclaredPaths(paths));
}

async function readDeclaredPaths(paths: { conf?: string; doc?: string }): Promise<DeclaredInput> {
  if (!paths.conf && !paths.doc)
    throw new AppError("BAD_REQUEST", "No declared files are configured (DECLARED_IP_ADDRESSES_CONF_PATH, DECLARED_VMID_DOC_PATH)");
  const read = async (file: string | undefined) => {
    if (!file) return undefined;
    try {
      return { content: await readFile(file, "utf8"), name: path.basename(file) };
    } catch (e) {
      throw new AppError("UNAVAILABLE", `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  };
  return { conf: await read(paths.conf), doc: await read(paths.doc) };
}
