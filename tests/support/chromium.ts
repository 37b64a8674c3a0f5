/** Debian's Chromium; neither the tests nor the benchmarks ever download a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Switches for headless Chromium on a closed network, possibly as root: no sandbox (root), no
 * GPU, and none of the background traffic (updates, sync, QUIC probes) that the network refuses.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-quic',
];
