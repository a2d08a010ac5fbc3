'use strict';
// Child process entry: sets NocoBase's environment defaults and hands argv to @nocobase/app,
// as the nocobase command line does, without needing a create-nocobase-app project or yarn.
const { initEnv } = require('@nocobase/cli-v1/src/util');

initEnv();
require('@nocobase/app');

// On SIGTERM/SIGINT the gateway stops every app (database closed, jobs stopped) but leaves
// the HTTP server's open connections, so a browser tab would keep the process alive forever.
// Exit once that graceful shutdown has finished (the gateway clears its instance last).
const { Gateway } = require('@nocobase/server');

function exitAfterShutdown() {
  const deadline = Date.now() + 30000;
  const timer = setInterval(() => {
    if (Gateway.instance === null || Gateway.instance === undefined) process.exit(0);
    if (Date.now() > deadline) {
      console.error('NocoBase did not stop within 30s; exiting anyway');
      process.exit(1);
    }
  }, 100);
  timer.unref();
}

process.once('SIGTERM', exitAfterShutdown);
process.once('SIGINT', exitAfterShutdown);
