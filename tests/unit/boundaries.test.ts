import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

// The lint rules are what keep electron out of core and Node out of shared/renderer; prove they bite.
describe('layer boundaries', () => {
  const eslint = new ESLint();
  const cases: [string, string][] = [
    ['shared/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['shared/x.ts', 'export const x = () => document.title;\n'],
    ['main/core/x.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['main/web/x.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['renderer/x.ts', "import * as fs from 'fs';\nexport const x = fs;\n"],
    ['renderer/x.ts', "import { x as y } from '../main/core/store';\nexport const x = y;\n"],
    ['shared/x.ts', "import { ipcRenderer } from 'electron/renderer';\nexport const x = ipcRenderer;\n"],
    ['renderer/x.ts', "import { contextBridge } from 'electron/renderer';\nexport const x = contextBridge;\n"],
    ['main/core/x.ts', "import { app } from 'electron/main';\nexport const x = app;\n"],
    ['main/core/x.ts', "export const x = () => import('electron');\n"],
    ['shared/x.ts', "export const x = () => import('node:fs');\n"],
    ['renderer/x.ts', "export const x = () => import('fs/promises');\n"],
    ['main/web/x.ts', "export const x = () => import('electron');\n"],
  ];
  it.each(cases)('%s refuses a forbidden import or global', async (filePath, code) => {
    const [result] = await eslint.lintText(code, { filePath });
    expect(result!.messages.map((m) => m.ruleId)).toEqual(expect.arrayContaining([expect.stringMatching(/no-restricted-(imports|globals|syntax)/)]));
  });
  it('main/electron may import electron', async () => {
    const [result] = await eslint.lintText("import { app } from 'electron';\nexport const x = app;\n", { filePath: 'main/electron/x.ts' });
    expect(result!.messages.filter((m) => m.ruleId?.startsWith('no-restricted'))).toEqual([]);
  });
});
