import { BrowserWindow } from 'electron';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Prints a self-contained page (the client approval pack) to an A4 PDF with Chromium's printToPDF,
 * in a hidden window of its own session that runs no script and is destroyed straight after.
 */
export async function printHtmlToPdf(html: string): Promise<Uint8Array> {
  // A file rather than a data: URL: a pack with its images can be far larger than a URL should be.
  const dir = await mkdtemp(join(tmpdir(), 'outpost-print-'));
  const file = join(dir, 'approval-pack.html');
  const window = new BrowserWindow({
    show: false,
    webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, partition: 'outpost-print' },
  });
  try {
    await writeFile(file, html, 'utf8');
    await window.loadFile(file);
    return await window.webContents.printToPDF({ pageSize: 'A4', printBackground: true });
  } finally {
    window.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
