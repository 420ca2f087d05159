import type { Db } from "@/server/db/client";
import type { Actor } from "./audit";
import { importDeclaredFiles } from "./inventory";
import { importDeclaredInventory, type ImportResult } from "./ipam-import";

/**
 * The declared files, imported once for both uses: kept as text for drift (/it/drift) and turned
 * into IPAM addresses (/it/ipam). One transaction: both or neither.
 */
export async function importDeclared(
  db: Db,
  actor: Actor,
  input: { conf?: { content: string; name?: string }; doc?: { content: string; name?: string } },
): Promise<{ confEntries: number | null; docRows: number | null; ipam: ImportResult | null }> {
  return db.transaction(async (tx) => {
    // Nested transactions are savepoints: each service keeps its own all-or-nothing rule inside ours.
    const files = await importDeclaredFiles(tx as unknown as Db, actor, input);
    const ipam = input.conf ? await importDeclaredInventory(tx as unknown as Db, actor, { confText: input.conf.content, docText: input.doc?.content }) : null;
    return { ...files, ipam };
  });
}
