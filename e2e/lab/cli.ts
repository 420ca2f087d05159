// `npm run lab`: start the lab's simulated systems on loopback until interrupted.
// A test tool, not app code: it reads its own variables from process.env.
import { startLab } from "./index";
import { createLabInventoryWorld } from "./inventory/world";
import { startLabProxmox } from "./proxmox";

const port = Number(process.env.LAB_OIDC_PORT ?? 3901);
const switchPort = Number(process.env.LAB_SWITCH_PORT ?? 3922);
const redirectUris = (
  process.env.LAB_OIDC_REDIRECT_URIS ??
  "http://localhost:3000/api/auth/callback/oidc,http://127.0.0.1:3000/api/auth/callback/oidc,http://127.0.0.1:3100/api/auth/callback/oidc"
)
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);

const seedConfig = (name: string) =>
  [`set system host-name ${name}`, "set ethernet-switching-options secure-access-port interface ge-0/0/1.0 mac-limit 4"].join("\n");

const lab = await startLab({
  oidc: { port, redirectUris },
  switches: [
    { name: "lab-ex4200", dialect: "non-els", port: switchPort, initialConfig: seedConfig("lab-ex4200"), timeScale: 60 },
    { name: "lab-ex3400", dialect: "els", port: switchPort + 1, initialConfig: "set system host-name lab-ex3400\nset vlans VLAN.13 vlan-id 13", timeScale: 60 },
  ],
});
console.log(`lab: oidc issuer ${lab.oidc?.issuer} (client sankofa-it / lab-secret; logins: it-admin, it-viewer, finance, client-admin)`);
for (const sw of lab.switches.values()) {
  console.log(`lab: switch ${sw.name} (${sw.state.dialect}) ssh ${sw.username}@${sw.host}:${sw.port} password ${sw.password} host key ${sw.hostKeyFingerprint}`);
}

// Issue 5's cluster: PROXMOX_URL=http://127.0.0.1:3906 with the token printed below.
const pve = await startLabProxmox({ port: Number(process.env.LAB_PROXMOX_PORT ?? 3906), world: createLabInventoryWorld() });
console.log(`lab: proxmox ${pve.url} token ${pve.tokenId} secret ${pve.tokenSecret} (${pve.world.nodes.length} nodes, ${pve.world.guests.length} guests)`);

const stop = () => void Promise.all([lab.close(), pve.close()]).then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
