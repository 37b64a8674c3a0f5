import path from 'node:path';

/**
 * The window's icon: a file beside the main bundle (dist/electron, inside the package's asar),
 * copied there from build/ by scripts/build.mjs (scripts/runtime-icons.mjs). Linux takes a PNG,
 * Windows its ICO with the sizes hinted for the taskbar; macOS ignores a window's icon (the Dock
 * shows the bundle's icon.icns). Kept free of `electron` so it is tested in plain Node.
 */
export const WINDOW_ICON_FILES: Readonly<Partial<Record<NodeJS.Platform, string>>> = { linux: 'icon.png', win32: 'icon.ico' };

/** The icon file for a window on `platform`, or undefined where the platform has no use for one. */
export function windowIconPath(platform: NodeJS.Platform, electronDir: string): string | undefined {
  const file = WINDOW_ICON_FILES[platform];
  return file === undefined ? undefined : path.join(electronDir, file);
}
