import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { windowIconPath } from '../../main/electron/window-icon';

// The app's icon (build/, made by `npm run icons`): every file the packages, the window and the
// page use is the container it claims to be, with the sizes each platform looks for, and is
// wired to where it is used.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const build = (...parts: string[]) => path.join(root, 'build', ...parts);

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  /** 6 is RGBA. */
  colorType: number;
}

/** The header of a PNG (throws unless it is one). */
function pngInfo(bytes: Buffer): PngInfo {
  if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG');
  if (bytes.toString('latin1', 12, 16) !== 'IHDR') throw new Error('PNG without IHDR first');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), bitDepth: bytes[24]!, colorType: bytes[25]! };
}

/**
 * The alpha of an 8-bit RGBA PNG's top-left pixel. Every PNG filter leaves the first pixel of the
 * first row as it is (its left and upper neighbours count as 0), so no unfiltering is needed.
 */
function topLeftAlpha(bytes: Buffer): number {
  const idat: Buffer[] = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    if (bytes.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(bytes.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  // Byte 0 is the row's filter type, then R, G, B, A.
  return inflateSync(Buffer.concat(idat))[4]!;
}

function readPng(file: string): PngInfo {
  return pngInfo(readFileSync(file));
}

interface IcoEntry {
  width: number;
  height: number;
  format: 'png' | 'bmp';
  /** The payload's own dimensions (PNG header, or BITMAPINFOHEADER with its doubled height). */
  payloadWidth: number;
  payloadHeight: number;
  offset: number;
  size: number;
}

function readIco(bytes: Buffer): IcoEntry[] {
  expect(bytes.readUInt16LE(0)).toBe(0);
  expect(bytes.readUInt16LE(2)).toBe(1);
  const count = bytes.readUInt16LE(4);
  const entries: IcoEntry[] = [];
  for (let i = 0; i < count; i++) {
    const d = 6 + 16 * i;
    const size = bytes.readUInt32LE(d + 8);
    const offset = bytes.readUInt32LE(d + 12);
    expect(offset + size).toBeLessThanOrEqual(bytes.length);
    const payload = bytes.subarray(offset, offset + size);
    const entry = { width: bytes[d]! || 256, height: bytes[d + 1]! || 256, offset, size };
    if (payload.subarray(0, 8).equals(PNG_SIGNATURE)) {
      const png = pngInfo(payload);
      entries.push({ ...entry, format: 'png', payloadWidth: png.width, payloadHeight: png.height });
    } else {
      expect(payload.readUInt32LE(0)).toBe(40); // BITMAPINFOHEADER
      expect(payload.readUInt16LE(14)).toBe(32); // bits per pixel: with alpha
      // The height counts the AND mask below the pixels too.
      entries.push({ ...entry, format: 'bmp', payloadWidth: payload.readInt32LE(4), payloadHeight: payload.readInt32LE(8) / 2 });
    }
  }
  return entries;
}

/** ICNS chunks after the header: type and payload. */
function readIcns(bytes: Buffer): { type: string; data: Buffer; length: number }[] {
  expect(bytes.toString('latin1', 0, 4)).toBe('icns');
  expect(bytes.readUInt32BE(4)).toBe(bytes.length);
  const chunks = [];
  let at = 8;
  while (at < bytes.length) {
    const length = bytes.readUInt32BE(at + 4);
    expect(length).toBeGreaterThanOrEqual(8);
    chunks.push({ type: bytes.toString('latin1', at, at + 4), data: bytes.subarray(at + 8, at + length), length });
    at += length;
  }
  // The chunks' lengths add up to the file exactly.
  expect(at).toBe(bytes.length);
  return chunks;
}

/** The pixel count of an ICNS ARGB chunk (`ARGB`, then each channel PackBits-compressed). */
function argbPixels(data: Buffer): number {
  expect(data.toString('latin1', 0, 4)).toBe('ARGB');
  let bytes = 0;
  for (let at = 4; at < data.length; ) {
    const n = data[at]!;
    if (n < 0x80) {
      bytes += n + 1;
      at += n + 2;
    } else {
      bytes += n - 125;
      at += 2;
    }
  }
  return bytes / 4;
}

/** [source, destination under dist/] of the icons the built app uses (scripts/runtime-icons.mjs). */
async function runtimeIcons(): Promise<[string, string][]> {
  const url = pathToFileURL(path.join(root, 'scripts', 'runtime-icons.mjs')).href;
  return ((await import(url)) as { RUNTIME_ICONS: [string, string][] }).RUNTIME_ICONS;
}

const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512];
const WINDOWS_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** The ICNS types Apple's iconutil writes, with their sizes in pixels. */
const MAC_TYPES: Record<string, number> = { ic04: 16, ic05: 32, ic11: 32, ic12: 64, ic07: 128, ic13: 256, ic08: 256, ic14: 512, ic09: 512, ic10: 1024 };

describe('the app icon', () => {
  it('is drawn with shapes only: no text, fonts, images or links that could render differently', () => {
    const drawings = readdirSync(build()).filter((f) => f.endsWith('.svg'));
    expect(drawings).toContain('icon.svg');
    for (const f of drawings) {
      const svg = readFileSync(build(f), 'utf8');
      expect(svg, f).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg, f).not.toMatch(/<text|<image|<use|<style|font|href=|url\((?!#)/i);
    }
  });

  it('icon.png is a 512×512 RGBA PNG with transparent corners, the same as the Linux 512 px icon', () => {
    const bytes = readFileSync(build('icon.png'));
    expect(pngInfo(bytes)).toEqual({ width: 512, height: 512, bitDepth: 8, colorType: 6 });
    expect(topLeftAlpha(bytes)).toBe(0);
    expect(bytes.equals(readFileSync(build('icons', '512x512.png')))).toBe(true);
  });

  it('the Linux set has each size as build/icons/<N>x<N>.png, N×N, RGBA', () => {
    expect(readdirSync(build('icons')).sort()).toEqual(LINUX_SIZES.map((n) => `${n}x${n}.png`).sort());
    for (const n of LINUX_SIZES) {
      const bytes = readFileSync(build('icons', `${n}x${n}.png`));
      expect(pngInfo(bytes), `${n}x${n}.png`).toEqual({ width: n, height: n, bitDepth: 8, colorType: 6 });
      // The tile's rounded corner; at 16 px the tile fills the square, so the corner pixel is
      // partly covered.
      expect(topLeftAlpha(bytes), `${n}x${n}.png`).toBeLessThan(64);
    }
  });

  it('icon.ico has every Windows size, each payload the size its directory entry says', () => {
    const bytes = readFileSync(build('icon.ico'));
    const entries = readIco(bytes);
    expect(entries.map((e) => e.width).sort((a, b) => a - b)).toEqual(WINDOWS_SIZES);
    for (const e of entries) {
      expect(e.height).toBe(e.width);
      expect([e.payloadWidth, e.payloadHeight]).toEqual([e.width, e.height]);
    }
    // 256 px is PNG (Vista and later); the smaller ones are bitmaps every Windows reads.
    expect(entries.find((e) => e.width === 256)?.format).toBe('png');
    // Directory and payloads fill the file exactly, none overlapping.
    const spans = entries.map((e) => [e.offset, e.offset + e.size] as const).sort((a, b) => a[0] - b[0]);
    let end = 6 + 16 * entries.length;
    for (const [start, stop] of spans) {
      expect(start).toBe(end);
      end = stop;
    }
    expect(end).toBe(bytes.length);
  });

  it('icon.icns has the types iconutil writes, 16 to 1024 px, with lengths that add up', () => {
    const chunks = readIcns(readFileSync(build('icon.icns')));
    const [toc, ...images] = chunks;
    expect(images.map((c) => c.type).sort()).toEqual(Object.keys(MAC_TYPES).sort());
    // The table of contents lists each image chunk with its length, in order.
    expect(toc!.type).toBe('TOC ');
    const listed = [];
    for (let at = 0; at < toc!.data.length; at += 8) listed.push({ type: toc!.data.toString('latin1', at, at + 4), length: toc!.data.readUInt32BE(at + 4) });
    expect(listed).toEqual(images.map((c) => ({ type: c.type, length: c.length })));
    for (const { type, data } of images) {
      const size = MAC_TYPES[type]!;
      if (type === 'ic04' || type === 'ic05') expect(argbPixels(data), type).toBe(size * size);
      else expect(pngInfo(data), type).toMatchObject({ width: size, height: size, colorType: 6 });
    }
    expect(new Set(Object.values(MAC_TYPES))).toEqual(new Set([16, 32, 64, 128, 256, 512, 1024]));
  });

  it('the committed files are what `npm run icons` makes from the drawings', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-icons-'));
    try {
      await promisify(execFile)(process.execPath, [path.join(root, 'scripts', 'make-icons.mjs'), dir]);
      const made = ['icon.png', 'icon.ico', 'icon.icns', ...LINUX_SIZES.map((n) => `icons/${n}x${n}.png`)];
      for (const f of made) expect((await readFile(path.join(dir, f))).equals(readFileSync(build(f))), `${f} is stale: run npm run icons`).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('where the icon is used', () => {
  it('electron-builder takes its resources from build/ and names each platform’s icon', () => {
    const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as {
      directories: { buildResources: string };
      mac: { icon: string };
      win: { icon: string };
      linux: { icon: string };
    };
    expect(config.directories.buildResources).toBe('build');
    expect(config.mac.icon).toBe('build/icon.icns');
    expect(config.win.icon).toBe('build/icon.ico');
    expect(config.linux.icon).toBe('build/icons');
    for (const p of [config.mac.icon, config.win.icon, config.linux.icon]) expect(existsSync(path.join(root, p)), p).toBe(true);
  });

  it('the build copies each icon the app uses from build/, and the package holds the window’s', async () => {
    const icons = await runtimeIcons();
    for (const [from] of icons) expect(existsSync(path.join(root, from)), from).toBe(true);
    const files = (parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as { files: string[] }).files;
    for (const [, to] of icons.filter(([, t]) => t.startsWith('electron/'))) expect(files).toContain(`dist/${to}`);
    expect(readFileSync(path.join(root, 'scripts', 'build.mjs'), 'utf8')).toMatch(/for \(const \[from, to\] of RUNTIME_ICONS\) await cp\(/);
  });

  it('the window gets a PNG on Linux and the ICO on Windows, from beside the main bundle', async () => {
    const copied = new Map((await runtimeIcons()).map(([from, to]) => [to, from]));
    const dir = path.join('app', 'dist', 'electron');
    const linux = windowIconPath('linux', dir)!;
    const windows = windowIconPath('win32', dir)!;
    expect(path.dirname(linux)).toBe(dir);
    expect(copied.get(`electron/${path.basename(linux)}`)).toBe('build/icon.png');
    expect(copied.get(`electron/${path.basename(windows)}`)).toBe('build/icon.ico');
    // macOS shows the bundle's icon.icns in the Dock and ignores a window's icon.
    expect(windowIconPath('darwin', dir)).toBeUndefined();
  });

  it('the page links favicons the build copies into the UI, at the sizes it declares', async () => {
    const html = readFileSync(path.join(root, 'renderer', 'index.html'), 'utf8');
    const links = [...html.matchAll(/<link rel="icon"([^>]*)\/>/g)].map((m) => ({
      href: /href="([^"]+)"/.exec(m[1]!)?.[1],
      type: /type="([^"]+)"/.exec(m[1]!)?.[1],
      sizes: /sizes="([^"]+)"/.exec(m[1]!)?.[1],
    }));
    expect(links.map((l) => l.sizes)).toEqual(['16x16', '32x32']);
    const copied = new Map((await runtimeIcons()).map(([from, to]) => [to, from]));
    for (const { href, type, sizes } of links) {
      // Same-origin files, which the page's CSP (img-src 'self') allows.
      expect(href).toMatch(/^[a-z0-9-]+\.png$/);
      expect(type).toBe('image/png');
      const from = copied.get(`renderer/${href}`);
      expect(from, `${href} is not copied by the build`).toBeDefined();
      const { width, height } = readPng(path.join(root, from!));
      expect(`${width}x${height}`).toBe(sizes);
    }
  });
});
