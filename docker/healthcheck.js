#!/usr/bin/env node
'use strict';
// The image's HEALTHCHECK: asks this container's own /healthz and exits 0 (healthy) or 1.
// The worker answers on WORKER_HTTP_PORT (the image sets 9464), the dashboard on HTTP_PORT;
// whichever runs here answers, so one image serves both. Loopback only: nothing leaves the container.
const http = require('node:http');

const ports = [process.env.WORKER_HTTP_PORT || process.env.METRICS_PORT, process.env.HTTP_PORT || '8080'].filter(Boolean);

function ask(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: Number(port), path: '/healthz', timeout: 4000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? 'healthy' : 'unhealthy');
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve(err && err.code === 'ECONNREFUSED' ? 'absent' : 'unhealthy'));
  });
}

(async () => {
  for (const port of ports) {
    const state = await ask(port);
    if (state === 'absent') continue; // not this container's server: try the next
    process.exitCode = state === 'healthy' ? 0 : 1;
    return;
  }
  process.exitCode = 1;
})();
