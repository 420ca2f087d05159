// A launcher reduced to its web process (server/boot/launch.ts spawns it the same way), for the
// test that kills the launcher and expects its web process gone too. Prints the child's pid.
import { spawnWebProcess } from "@/server/boot/web-process";

const child = spawnWebProcess(["-e", "setInterval(() => {}, 1000)"], process.env);
console.log(`web pid ${child.pid}`);
setInterval(() => {}, 1000);
