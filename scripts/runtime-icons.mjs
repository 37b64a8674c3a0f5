// Which icons of build/ (made by `npm run icons`) the built app uses, and where under dist/
// scripts/build.mjs puts them: [source, destination under dist/]. tests/unit/icons.test.ts checks
// that each is linked by the page, packaged (electron-builder.yml) or loaded by main.
export const RUNTIME_ICONS = [
  // The page's favicons (renderer/index.html), served like any other UI file.
  ['build/icons/16x16.png', 'renderer/favicon-16.png'],
  ['build/icons/32x32.png', 'renderer/favicon-32.png'],
  // The window's icon, beside the main bundle (main/electron/window-icon.ts): Linux, Windows.
  ['build/icon.png', 'electron/icon.png'],
  ['build/icon.ico', 'electron/icon.ico'],
];
