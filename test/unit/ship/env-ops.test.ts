/** The worker's ops server settings: WORKER_HTTP_PORT, its alias METRICS_PORT, the host, the defaults. */
import { ConfigError, loadConfig } from '../../../src/config/env';

it('has no ops server unless a port is set, and binds loopback by default', () => {
  expect(loadConfig({}).ops).toEqual({ port: null, host: '127.0.0.1' });
  expect(loadConfig({ WORKER_HTTP_PORT: '9464' }).ops).toEqual({ port: 9464, host: '127.0.0.1' });
  expect(loadConfig({ METRICS_PORT: '9100' }).ops.port).toBe(9100);
  expect(loadConfig({ WORKER_HTTP_PORT: '9464', METRICS_PORT: '9100', WORKER_HTTP_HOST: '0.0.0.0' }).ops).toEqual({ port: 9464, host: '0.0.0.0' });
  // --http-port arrives as an override of WORKER_HTTP_PORT
  expect(loadConfig({ WORKER_HTTP_PORT: '9464' }, { overrides: { WORKER_HTTP_PORT: '0' } }).ops.port).toBe(0);
});

it('names a malformed setting', () => {
  expect(() => loadConfig({ WORKER_HTTP_PORT: 'http' })).toThrow(ConfigError);
  expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow('METRICS_PORT must be a port number');
  expect(() => loadConfig({ WORKER_HTTP_HOST: 'a b' })).toThrow('WORKER_HTTP_HOST must be a host name or IP address');
});
