// Makes the app's icons in build/ from its SVG drawings (`npm run icons`): icon.png (512 px), the
// Linux set icons/<N>x<N>.png, icon.ico for Windows and icon.icns for macOS. The outputs are
// committed, so neither the build nor CI runs this; run it after changing a drawing. Given a
// folder (`node scripts/make-icons.mjs <dir>`), it writes there instead: tests/unit/icons.test.ts
// does, to check the committed files are what the drawings make.
//
// icon.svg is drawn for 64 px and up; icon-16/24/32/48.svg are the same mark hinted to those pixel
// grids, where the full drawing would blur. resvg renders (no browser, no fonts: the drawings
// are shapes only); @shockpkg/icon-encoder writes the ICO and ICNS containers.
import { Resvg } from '@resvg/resvg-js';
import { IconIcns, IconIco } from '@shockpkg/icon-encoder';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const buildDir = path.join(root, 'build');
const outDir = process.argv[2] ? path.resolve(process.argv[2]) : buildDir;

/** The drawing each size is rendered from; any size not listed comes from icon.svg. */
const HINTED = { 16: 'icon-16.svg', 24: 'icon-24.svg', 32: 'icon-32.svg', 48: 'icon-48.svg' };
/** electron-builder's Linux icon set: build/icons/<N>x<N>.png. */
const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512];
/** The Windows ICO: entries below 256 px are BMP (older Windows reads those), 256 px is PNG. */
const WINDOWS_SIZES = [16, 24, 32, 48, 64, 128, 256];
/**
 * The macOS ICNS, in the order and with the types Apple's iconutil writes: ic04 and ic05 (16 and
 * 32 px) are ARGB, the rest PNG; ic11–ic14 and ic10 are the Retina (@2x) entries.
 */
const MAC_TYPES = [
  ['ic12', 64], ['ic07', 128], ['ic13', 256], ['ic08', 256], ['ic04', 16],
  ['ic14', 512], ['ic09', 512], ['ic05', 32], ['ic10', 1024], ['ic11', 32],
];

const sources = new Map();
const renders = new Map();

/** The PNG of the icon at `size` px, from the drawing for that size. */
async function png(size) {
  if (renders.has(size)) return renders.get(size);
  const file = HINTED[size] ?? 'icon.svg';
  if (!sources.has(file)) sources.set(file, await readFile(path.join(buildDir, file), 'utf8'));
  const resvg = new Resvg(sources.get(file), { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } });
  const image = resvg.render();
  if (image.width !== size || image.height !== size) throw new Error(`${file} rendered at ${image.width}×${image.height}, not ${size}×${size}: is it square?`);
  const bytes = image.asPng();
  renders.set(size, bytes);
  return bytes;
}

await mkdir(path.join(outDir, 'icons'), { recursive: true });
const written = [];
async function write(name, bytes) {
  await writeFile(path.join(outDir, name), bytes);
  written.push(`${path.relative(process.cwd(), path.join(outDir, name))} (${bytes.length} bytes)`);
}

await write('icon.png', await png(512));
for (const size of LINUX_SIZES) await write(`icons/${size}x${size}.png`, await png(size));

const ico = new IconIco();
// raw: the PNG entry is our render as it is; BMP entries are decoded from it.
for (const size of WINDOWS_SIZES) await ico.addFromPng(await png(size), null, true);
await write('icon.ico', ico.encode());

const icns = new IconIcns();
icns.toc = true;
for (const [type, size] of MAC_TYPES) await icns.addFromPng(await png(size), [type], true);
await write('icon.icns', icns.encode());

console.log(written.join('\n'));
