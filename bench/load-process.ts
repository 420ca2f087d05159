// The load generator in its own process (fork): autocannon on the same CPU thread as the door
// would measure the two fighting over one event loop. Posts events over N servers, alternating
// assign/remove so repeats are new events; reports autocannon's result and the event ids. The
// URL's path is the door's (`/` for the bare door, `/api/port-security/event` through Next).
import autocannon from "autocannon";
import { benchPrimaryIp, benchServerId } from "./panel-world";

const [url, token, servers, connections, durationS] = [
  process.argv[2]!,
  process.argv[3]!,
  Number(process.argv[4]),
  Number(process.argv[5]),
  Number(process.argv[6]),
];
const ids: number[] = [];
let n = 0;
const result = await autocannon({
  url: new URL(url).origin,
  connections,
  duration: durationS,
  requests: [
    {
      method: "POST",
      path: new URL(url).pathname,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      setupRequest: (req) => {
        const i = n++;
        const server = i % servers;
        const action = Math.floor(i / servers) % 2 === 0 ? "ip_assigned" : "ip_removed";
        return { ...req, body: JSON.stringify({ action, serverId: benchServerId(server), ip: benchPrimaryIp(server, 0) }) };
      },
      onResponse: (status, body) => {
        if (status === 202) ids.push((JSON.parse(body) as { eventId: number }).eventId);
      },
    },
  ],
});
process.send!(
  {
    result: {
      "2xx": result["2xx"],
      non2xx: result.non2xx,
      answered: result["2xx"] + result.non2xx,
      errors: result.errors,
      latency: { p50: result.latency.p50, p99: result.latency.p99 },
    },
    ids,
  },
  () => process.exit(0),
);
