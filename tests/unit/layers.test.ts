import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Lints snippets as if they lived in each layer's folder: the layer table must catch every crossing.
const eslint = new ESLint({ cwd: process.cwd() });

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

describe('layer rules (shared/ARCHITECTURE.md table)', () => {
  it.each([
    ['main/core/bad.ts', "import { readFileSync } from 'node:fs';"],
    ['main/core/bad.ts', "import { app } from 'electron';"],
    ['main/core/bad.ts', "import Database from 'better-sqlite3';"],
    ['main/core/bad.ts', "import { useState } from 'react';"],
    ['main/core/bad.ts', "import { openDatabase } from '../services/store/database';"],
    ['main/core/bad.ts', "import { join } from 'path';"],
    ['main/services/bad.ts', "import { app } from 'electron';"],
    ['main/services/bad.ts', "import { windowOptions } from '../electron/security';"],
    ['main/host/bad.ts', "import { BrowserWindow } from 'electron';"],
    ['main/electron/bad.ts', "import { createElement } from 'react';"],
    ['preload/bad.ts', "import { createBackend } from '../main/services/services';"],
    ['preload/bad.ts', "import { requests } from '../main/core/contract';"],
    ['renderer/src/bad.ts', "import { readFileSync } from 'node:fs';"],
    ['renderer/src/bad.ts', "import { ipcRenderer } from 'electron';"],
    ['renderer/src/bad.tsx', "import { createBackend } from '../../main/services/services';"],
    ['renderer/src/bad.ts', "import Database from 'better-sqlite3';"],
    // Features: the post being edited is the shared home; the arrows run one way.
    ['renderer/src/features/post/bad.ts', "import { useCompose } from '../compose/compose-store';"],
    ['renderer/src/features/publishing/bad.ts', "import { useCompose } from '../compose/compose-store';"],
    ['renderer/src/features/editor/bad.ts', "import { useAttention } from '../publishing/attention-store';"],
    ['renderer/src/features/publishing/bad.ts', "import { useEditor } from '../editor/editor-store';"],
    ['renderer/src/features/compose/bad.ts', "import { useCalendar } from '../calendar/calendar-store';"],
    // A feature rule must not drop the renderer's own layer rule.
    ['renderer/src/features/post/bad.ts', "import { readFileSync } from 'node:fs';"],
  ])('%s may not: %s', async (filePath, code) => {
    expect(await importErrors(filePath, `${code}\nexport const x = 1;\n`)).not.toEqual([]);
  });

  it.each([
    ['main/core/ok.ts', "import { z } from 'zod';"],
    ['main/services/ok.ts', "import { readFileSync } from 'node:fs';"],
    ['main/services/ok.ts', "import { DomainError } from '../core/errors';"],
    ['main/electron/ok.ts', "import { app } from 'electron';"],
    ['preload/ok.ts', "import type { OutpostApi } from '../main/core/contract';"],
    ['preload/ok.ts', "import { INVOKE_CHANNEL } from '../main/core/channels';"],
    ['renderer/src/ok.ts', "import { projectColors } from '../../main/core/projects';"],
    ['renderer/src/features/compose/ok.ts', "import { useOpenPost } from '../post/open-post-store';"],
    ['renderer/src/features/publishing/ok.ts', "import { useOpenPost } from '../post/open-post-store';"],
  ])('%s may: %s', async (filePath, code) => {
    expect(await importErrors(filePath, `${code}\nexport const x = 1;\n`)).toEqual([]);
  });
});
