import type { Db } from "@/server/db/client";

/** What tasks need from the outside; the runner passes the real ones, tests pass theirs. */
export interface TaskDeps {
  db: Db;
}
