import { expect, test } from "@playwright/test";
import { signInAsAdminByApi } from "./support/auth";

// The app under test runs the demo world: r630-01 has a 4 TiB local thin pool its guests are given
// 2230 GiB (2.2 TiB) of, two NICs in an LACP bond (lab/edge-world.ts), and sees the shared Ceph pool;
// r630-04's pool keeps a deleted guest's disk (vm-6200-disk-0) no config names.
test("hosts show a node's local storage with its size and guests' allocation, and its bond members", async ({ page }) => {
  await signInAsAdminByApi(page);
  // The demo queued a first collection at start; hosts read the latest snapshot.
  await expect(async () => {
    await page.goto("/it/hosts");
    await expect(page.getByTestId("storages-r630-01")).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });

  const localLvm = page.getByTestId("storages-r630-01").getByRole("row").filter({ hasText: "local-lvm" });
  await expect(localLvm).toContainText("4.0 TiB");
  await expect(localLvm).toContainText("2.2 TiB");
  await expect(page.getByTestId("network-r630-01")).toContainText("bond0 (802.3ad): eno1 + eno2");
  await expect(page.getByTestId("network-r630-01")).toContainText("speed unknown");
  await expect(page.getByTestId("cpu-r630-01")).toContainText("E5-2650 v4");

  // The Ceph pool is listed once for the cluster, and the ml110's thin pool is given out beyond its size.
  await expect(page.getByTestId("shared-storages").getByRole("row").filter({ hasText: "ceph-vm" })).toHaveCount(1);
  await expect(page.getByTestId("storages-r630-04").getByRole("row").filter({ hasText: "local-lvm" })).toContainText("vm-6200-disk-0");
  await expect(page.getByTestId("storages-ml110").getByRole("row").filter({ hasText: "local-lvm" })).toContainText("over-committed");
});
