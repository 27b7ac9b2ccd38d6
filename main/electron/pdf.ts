import { BrowserWindow, session } from 'electron';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { allowPrintRequest } from './security';

/** The print window's own session: nothing of the app's (cookies, cache, handlers) is shared with it. */
const PRINT_PARTITION = 'outpost-print';

/**
 * Prints a self-contained page (the client approval pack, built in main) to an A4 PDF with
 * Chromium's printToPDF, in a hidden window of its own session that runs no script, loads nothing
 * but the page and its data: images, and is destroyed straight after.
 */
export async function printHtmlToPdf(html: string): Promise<Uint8Array> {
  // A file rather than a data: URL: a pack with its images can be far larger than a URL should be.
  const dir = await mkdtemp(join(tmpdir(), 'outpost-print-'));
  const file = join(dir, 'approval-pack.html');
  const pageUrl = pathToFileURL(file).href;
  const printSession = session.fromPartition(PRINT_PARTITION);
  printSession.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !allowPrintRequest(details.url, pageUrl) }));
  const window = new BrowserWindow({
    show: false,
    webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, session: printSession },
  });
  try {
    await writeFile(file, html, 'utf8');
    await window.loadURL(pageUrl);
    return await window.webContents.printToPDF({ pageSize: 'A4', printBackground: true });
  } finally {
    window.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
