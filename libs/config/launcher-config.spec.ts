import { ConfigError } from './config.js';
import { parseLauncherConfig } from './launcher-config.js';

describe('the launcher configuration: demo data', () => {
  it('is on by default in development, off with DEMO_DATA=off or --no-demo', () => {
    expect(parseLauncherConfig({}).DEMO_DATA).toBe(true);
    expect(parseLauncherConfig({ DEMO_DATA: 'on' }).DEMO_DATA).toBe(true);
    expect(parseLauncherConfig({ DEMO_DATA: 'off' }).DEMO_DATA).toBe(false);
    expect(parseLauncherConfig({}, ['--no-demo']).DEMO_DATA).toBe(false);
    expect(parseLauncherConfig({ DEMO_PLACEMENTS: '40' }).DEMO_PLACEMENTS).toBe(40);
  });

  it('is never on in production: off by default there, and DEMO_DATA=on is refused', () => {
    expect(parseLauncherConfig({ NODE_ENV: 'production' }).DEMO_DATA).toBe(false);
    expect(() => parseLauncherConfig({ NODE_ENV: 'production', DEMO_DATA: 'on' })).toThrow(ConfigError);
    expect(() => parseLauncherConfig({ NODE_ENV: 'production', DEMO_DATA: 'on' })).toThrow(
      /DEMO_DATA: demo data is never on in production/,
    );
  });

  it('is refused where the local issuer is off, as the demo users are', () => {
    expect(parseLauncherConfig({ AUTH_LOCAL_ISSUER: 'off' }).DEMO_DATA).toBe(false);
    expect(() => parseLauncherConfig({ AUTH_LOCAL_ISSUER: 'off', DEMO_DATA: 'on' })).toThrow(
      /DEMO_DATA: demo data needs the local issuer/,
    );
    // Not even when a production deployment turns the local issuer on.
    expect(parseLauncherConfig({ NODE_ENV: 'production', AUTH_LOCAL_ISSUER: 'on' }).DEMO_DATA).toBe(false);
    expect(() =>
      parseLauncherConfig({ NODE_ENV: 'production', AUTH_LOCAL_ISSUER: 'on', DEMO_DATA: 'on' }),
    ).toThrow(/never on in production/);
  });

  it('refuses an unknown command-line option and a bad value, naming it', () => {
    expect(() => parseLauncherConfig({}, ['--demo'])).toThrow(/\(command line\): unknown: --demo/);
    expect(() => parseLauncherConfig({ DEMO_DATA: 'yes' })).toThrow(/DEMO_DATA/);
    expect(() => parseLauncherConfig({ DEMO_PLACEMENTS: '0' })).toThrow(/DEMO_PLACEMENTS/);
  });
});
