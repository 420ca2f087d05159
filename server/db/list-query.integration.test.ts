import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/server/testing/database";
import { iterateList, LIST_COUNT_CAP, listPage, type ListSource } from "./list-query";

const { db } = await createTestDatabase();

// A table of the test's own: the helper is generic, so it is proven on rows whose order is known.
type Raw = { id: number; name: string | null; kind: string; n: number };
const source: ListSource<"name" | "kind" | "n", Raw, Raw> = {
  select: sql`id, name, kind, n`,
  from: sql`list_query_items`,
  sortColumns: { name: sql`name`, kind: sql`kind`, n: [sql`n`, sql`kind`] },
  tiebreaker: sql`id`,
  mapRow: (r) => ({ ...r, id: Number(r.id) }),
};

const ROWS = 1_234;
beforeAll(async () => {
  await db.execute(sql`create table list_query_items (id serial primary key, name text, kind text not null, n int not null)`);
  // Few distinct values per column, so almost every sort key is a tie the tiebreaker must settle.
  await db.execute(sql`
    insert into list_query_items (name, kind, n)
    select case when g % 10 = 0 then null else 'name-' || (g % 7) end, 'kind-' || (g % 3), g % 5
    from generate_series(1, ${ROWS}) g`);
});

async function allPages(sort: "name" | "kind" | "n", dir: "asc" | "desc", pageSize: number, where = [] as ReturnType<typeof sql>[]) {
  const ids: number[] = [];
  for (let page = 1; ; page++) {
    const got = await listPage(db, source, { where, sort, dir, page, pageSize });
    ids.push(...got.rows.map((r) => r.id));
    if (got.rows.length < pageSize) return { ids, total: got.total };
  }
}

describe("listPage", () => {
  it("pages through ties without repeating or skipping a row, in either direction", async () => {
    for (const dir of ["asc", "desc"] as const) {
      const { ids, total } = await allPages("kind", dir, 50);
      expect(total).toBe(ROWS);
      expect(ids).toHaveLength(ROWS);
      expect(new Set(ids).size).toBe(ROWS);
    }
  });

  it("orders by the whitelisted column, then by the tiebreaker in the same direction", async () => {
    const asc = await listPage(db, source, { where: [], sort: "n", dir: "asc", page: 1, pageSize: 5 });
    expect(asc.rows.map((r) => r.n)).toEqual([0, 0, 0, 0, 0]);
    expect(asc.rows.map((r) => r.kind)).toEqual(asc.rows.map((r) => r.kind).toSorted());
    const sameKind = asc.rows.filter((r) => r.kind === asc.rows[0]!.kind).map((r) => r.id);
    expect(sameKind).toEqual(sameKind.toSorted((a, b) => a - b));
    const desc = await listPage(db, source, { where: [], sort: "n", dir: "desc", page: 1, pageSize: 5 });
    expect(desc.rows.map((r) => r.n)).toEqual([4, 4, 4, 4, 4]);
  });

  it("counts the filtered rows, not the page and not the table", async () => {
    const got = await listPage(db, source, { where: [sql`kind = ${"kind-1"}`, undefined, sql`n < ${2}`], sort: "name", dir: "asc", page: 2, pageSize: 10 });
    const [expected] = await db.execute<{ c: string }>(sql`select count(*) as c from list_query_items where kind = 'kind-1' and n < 2`);
    expect(got.total).toBe(Number(expected!.c));
    expect(got.rows).toHaveLength(10);
    expect(got.rows.every((r) => r.kind === "kind-1" && r.n < 2)).toBe(true);
  });

  it("counts up to the cap and says when more match; the export still reads every row", async () => {
    await db.execute(sql`create table list_query_many (id serial primary key, name text, kind text not null, n int not null)`);
    await db.execute(sql`insert into list_query_many (name, kind, n) select null, 'k', g % 2 from generate_series(1, ${LIST_COUNT_CAP + 7}) g`);
    const many = { ...source, from: sql`list_query_many` };
    const all = await listPage(db, many, { where: [], sort: "n", dir: "asc", page: 1, pageSize: 50 });
    expect(all).toMatchObject({ total: LIST_COUNT_CAP, isTotalCapped: true });
    // A filter under the cap is counted exactly.
    const few = await listPage(db, many, { where: [sql`id <= ${LIST_COUNT_CAP}`], sort: "n", dir: "asc", page: 1, pageSize: 50 });
    expect(few).toMatchObject({ total: LIST_COUNT_CAP, isTotalCapped: false });
    let exported = 0;
    for await (const batch of iterateList(db, many, { where: [], sort: "n", dir: "asc" })) exported += batch.length;
    expect(exported).toBe(LIST_COUNT_CAP + 7);
  });

  it("keeps empty cells last ascending and first descending, as an index reads them", async () => {
    const { ids } = await allPages("name", "asc", 200);
    const rows = (await listPage(db, source, { where: [], sort: "name", dir: "asc", page: 1, pageSize: ROWS })).rows;
    expect(rows.map((r) => r.id)).toEqual(ids);
    const firstNull = rows.findIndex((r) => r.name === null);
    expect(rows.slice(firstNull).every((r) => r.name === null)).toBe(true);
    const desc = await listPage(db, source, { where: [], sort: "name", dir: "desc", page: 1, pageSize: 3 });
    expect(desc.rows.map((r) => r.name)).toEqual([null, null, null]);
  });

  it("refuses a sort id outside the whitelist instead of putting it in SQL", async () => {
    await expect(
      listPage(db, source, { where: [], sort: "id; drop table list_query_items" as "name", dir: "asc", page: 1, pageSize: 5 }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(listPage(db, source, { where: [], sort: "toString" as "name", dir: "asc", page: 1, pageSize: 5 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const [left] = await db.execute<{ c: string }>(sql`select count(*) as c from list_query_items`);
    expect(Number(left!.c)).toBe(ROWS);
  });

  it("takes filter values as parameters: a quote in a value is a value", async () => {
    const got = await listPage(db, source, { where: [sql`name = ${"x' or '1'='1"}`], sort: "name", dir: "asc", page: 1, pageSize: 5 });
    expect(got).toMatchObject({ rows: [], total: 0 });
  });
});

describe("iterateList", () => {
  it("yields the same rows in the same order as the pages, a batch at a time", async () => {
    const where = [sql`n <> ${3}`];
    const batches: number[][] = [];
    for await (const batch of iterateList(db, source, { where, sort: "kind", dir: "desc" }, 100)) batches.push(batch.map((r) => r.id));
    expect(batches.every((b) => b.length <= 100)).toBe(true);
    expect(batches.flat()).toEqual((await allPages("kind", "desc", 37, where)).ids);
  });
});
