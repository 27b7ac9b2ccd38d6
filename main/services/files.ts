import { closeSync, openSync, readSync } from 'node:fs';

/** Small reads of files too large or too untrusted to load whole. */

/** The first `bytes` of a file, fewer when it is shorter. */
export function readHead(path: string, bytes: number): Buffer {
  return withRangeReader(path, Number.MAX_SAFE_INTEGER, (read) => read(0, bytes));
}

/** Runs `use` with a reader of byte ranges of the file (cut at `size`), and closes the file after. */
export function withRangeReader<T>(path: string, size: number, use: (read: (offset: number, length: number) => Buffer) => T): T {
  const fd = openSync(path, 'r');
  try {
    return use((offset, length) => {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, offset));
    });
  } finally {
    closeSync(fd);
  }
}
