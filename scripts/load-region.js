#!/usr/bin/env node
/*
 * `npm run load:region -- data/regions/finnmark.json`: loads a region's data file (README: "Regions")
 * through the admin API of a running API, PUT /api/reference/regions/{code}. Idempotent: a second load
 * of the same file changes nothing and says so.
 *
 *   API_URL      the API (default http://127.0.0.1:3000)
 *   ADMIN_TOKEN  an administrator's bearer token; absent, a development API's local issuer is asked for
 *                the demo administrator's (`npm start`; production has no local issuer)
 *
 * Exit codes: 0 loaded (or nothing to change), 1 refused (problem+json printed, field by field), 2 usage.
 */
import { readFile } from 'node:fs/promises';

const [path] = process.argv.slice(2);
if (!path) {
  console.error('Bruk: npm run load:region -- <fil.json>   (API_URL, ADMIN_TOKEN)');
  process.exit(2);
}
const apiUrl = (process.env.API_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');

let file;
try {
  file = JSON.parse(await readFile(path, 'utf8'));
} catch (error) {
  console.error(`Kan ikke lese ${path}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
if (typeof file?.code !== 'string') {
  console.error(`${path}: mangler feltet «code» (regionens kode, for eksempel finnmark).`);
  process.exit(2);
}

async function adminToken() {
  if (process.env.ADMIN_TOKEN) return process.env.ADMIN_TOKEN;
  const res = await fetch(`${apiUrl}/api/dev/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: 'demo-admin' }),
  });
  if (!res.ok) {
    console.error('Sett ADMIN_TOKEN: API-et har ingen lokal utsteder å hente en demotilgang fra.');
    process.exit(2);
  }
  return (await res.json()).accessToken;
}

const res = await fetch(`${apiUrl}/api/reference/regions/${encodeURIComponent(file.code)}`, {
  method: 'PUT',
  headers: { authorization: `Bearer ${await adminToken()}`, 'content-type': 'application/json' },
  body: JSON.stringify(file),
});
const body = await res.json().catch(() => ({}));
if (!res.ok) {
  console.error(`Avvist (${res.status}): ${body.title ?? ''} ${body.detail ?? ''}`.trim());
  for (const e of body.errors ?? []) console.error(`  ${e.field}: ${e.reason}`);
  process.exit(1);
}
const { region, changed, changes } = body;
console.log(
  `${region.name} (${region.code}): ${region.municipalities} kommuner, ${region.services} tjenester, ` +
    `${region.networks} læringsnettverk, katalog ${region.catalogVersion ?? '(ingen valgt)'}.`,
);
if (!changed) console.log('Ingen endringer: API-et hadde allerede det filen sier.');
else {
  console.log(`${changes.length} endringer:`);
  for (const c of changes) console.log(`  ${c.action} ${c.name}`);
}
