// The audit log's view as a link. `actor`, `entity`, `from` and `to` keep the meaning the page's
// filters always had (actor contains; entity is a type, an id, or type:id; from/to bound `at`), so
// links written before the table still open the same entries.

import { z } from "zod";
import { defineTableSpec, utcDateParam } from "@/lib/table/url-state";

const text = z.string().max(200);

export const auditTableSpec = defineTableSpec({
  sortable: ["at", "actor", "action", "entity", "ticket"],
  defaultSort: "at",
  defaultDir: "desc",
  filters: {
    actor: text,
    entity: text,
    action: text,
    from: utcDateParam,
    to: utcDateParam,
  },
  defaultPageSize: 50,
});

export type AuditTableSort = (typeof auditTableSpec.sortable)[number];
