/* global process, setInterval, console */
// Loaded into the web process with `node --import` (server/boot/web-process.ts): the web process
// never outlives its launcher. If the launcher dies without stopping it (SIGKILL, a crash), the
// child is re-parented and `process.ppid` changes: it exits then, freeing the port, so a
// supervisor restarting the launcher does not find an orphan answering on it. Plain JavaScript:
// it runs before any loader (next dev's process has no tsx).
const launcher = Number(process.env.SANKOFA_LAUNCHER_PID);
// Only this process watches the launcher: processes it starts (next dev's server) have their own parent.
delete process.env.SANKOFA_LAUNCHER_PID;
if (Number.isInteger(launcher) && launcher > 0) {
  const watch = setInterval(() => {
    if (process.ppid !== launcher) {
      console.error(`sankofa: web: the launcher (pid ${launcher}) is gone; exiting`);
      process.exit(1);
    }
  }, 500);
  watch.unref();
}
