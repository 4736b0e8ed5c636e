export default async function teardown() {
  await globalThis.__omsorgPostgres?.stop();
}
