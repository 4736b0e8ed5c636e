/** Stops the stack browser.global-setup.mjs started for the run. */
export default async function teardown() {
  await globalThis.__browserStack?.stop();
}
