import { inflateSync } from 'node:zlib';

/**
 * Just enough of a PDF reader to say where Chromium's printToPDF put each piece of text: the runs
 * of glyphs on each page with their position and their Unicode text (through each font's
 * ToUnicode map). Chromium (Skia) draws right-to-left runs in visual order inside a
 * /ReversedChars marked-content section, which is how a PDF reader's text extraction and copy
 * get the logical order back; `reversed` keeps that mark. Not a general PDF parser: no object
 * streams, no encryption, Flate only.
 */

export interface PdfRun {
  /** Left end of the run on the page, in points from the left edge. */
  x: number;
  /** Baseline, in points from the top edge. */
  y: number;
  /** The run's text as Unicode, in the order the glyphs are drawn (left to right). */
  visual: string;
  /** Inside /ReversedChars: the logical text is `visual` reversed. */
  reversed: boolean;
  /** The text marked-content's /ActualText says this run stands for, when it says so. */
  actualText: string | null;
}

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

type Matrix = [number, number, number, number, number, number];
const identity: Matrix = [1, 0, 0, 1, 0, 0];

function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}

function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const start = /(\d+) 0 obj\s*/g;
  for (let match = start.exec(text); match; match = start.exec(text)) {
    const bodyStart = match.index + match[0].length;
    const end = text.indexOf('endobj', bodyStart);
    const body = text.slice(bodyStart, end);
    const streamAt = body.search(/stream\r?\n/);
    if (streamAt === -1) {
      objects.set(Number(match[1]), { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, streamAt);
    const dataStart = bodyStart + streamAt + (body[streamAt + 6] === '\r' ? 8 : 7);
    const dataEnd = text.lastIndexOf('endstream', end);
    let data = pdf.subarray(dataStart, dataEnd);
    if (/\/FlateDecode/.test(dict)) data = inflateSync(data);
    objects.set(Number(match[1]), { dict, stream: data });
  }
  return objects;
}

function utf16be(hex: string): string {
  let out = '';
  for (let i = 0; i + 4 <= hex.length; i += 4) out += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return out;
}

/** A ToUnicode CMap: glyph code (hex) to text. */
function readCMap(source: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of source.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const pair of (block[1] as string).matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(parseInt(pair[1] as string, 16), utf16be(pair[2] as string));
  }
  for (const block of source.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const range of (block[1] as string).matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const low = parseInt(range[1] as string, 16);
      const high = parseInt(range[2] as string, 16);
      const first = utf16be(range[3] as string);
      const base = first.charCodeAt(first.length - 1);
      for (let code = low; code <= high; code++) map.set(code, first.slice(0, -1) + String.fromCharCode(base + code - low));
    }
  }
  return map;
}

type Token = { kind: 'number'; value: number } | { kind: 'name' | 'hex' | 'op' | 'string'; value: string } | { kind: 'array'; value: Token[] } | { kind: 'dict'; value: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const stack: Token[][] = [tokens];
  let i = 0;
  const push = (token: Token) => (stack[stack.length - 1] as Token[]).push(token);
  while (i < source.length) {
    const ch = source[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '%') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (source.startsWith('<<', i)) {
      // Inline dictionaries (a BDC's properties) are kept as text.
      let depth = 0;
      const from = i;
      do {
        if (source.startsWith('<<', i)) {
          depth++;
          i += 2;
        } else if (source.startsWith('>>', i)) {
          depth--;
          i += 2;
        } else i++;
      } while (depth > 0 && i < source.length);
      push({ kind: 'dict', value: source.slice(from, i) });
    } else if (ch === '<') {
      const end = source.indexOf('>', i);
      push({ kind: 'hex', value: source.slice(i + 1, end).replace(/\s/g, '') });
      i = end + 1;
    } else if (ch === '(') {
      let depth = 0;
      let value = '';
      for (i++; i < source.length; i++) {
        const c = source[i] as string;
        if (c === '\\') {
          value += source[++i] ?? '';
          continue;
        }
        if (c === '(') depth++;
        if (c === ')' && depth-- === 0) break;
        value += c;
      }
      i++;
      push({ kind: 'string', value });
    } else if (ch === '[') {
      const array: Token[] = [];
      push({ kind: 'array', value: array });
      stack.push(array);
      i++;
    } else if (ch === ']') {
      stack.pop();
      i++;
    } else if (ch === '/') {
      const match = /^\/[^\s/<>[\]()]*/.exec(source.slice(i, i + 200)) as RegExpExecArray;
      push({ kind: 'name', value: match[0].slice(1) });
      i += match[0].length;
    } else {
      const match = /^[^\s/<>[\]()%]+/.exec(source.slice(i, i + 200)) as RegExpExecArray;
      const word = match[0];
      i += word.length;
      if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) push({ kind: 'number', value: Number(word) });
      else push({ kind: 'op', value: word });
    }
  }
  return tokens;
}

interface Font {
  map: Map<number, string>;
  bytesPerCode: 1 | 2;
}

function decode(hex: string, font: Font | undefined): string {
  if (!font) return '';
  let out = '';
  const step = font.bytesPerCode * 2;
  for (let i = 0; i + step <= hex.length; i += step) out += font.map.get(parseInt(hex.slice(i, i + step), 16)) ?? '\ufffd';
  return out;
}

/** The glyph runs of each page, in the order they are drawn. */
export function pdfPages(pdf: Buffer): PdfRun[][] {
  const objects = readObjects(pdf);
  const ref = (dict: string, key: string): number | null => {
    const match = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict);
    return match ? Number(match[1]) : null;
  };
  const fontOf = new Map<number, Font>();
  const loadFont = (id: number): Font | undefined => {
    if (fontOf.has(id)) return fontOf.get(id);
    const dict = objects.get(id)?.dict ?? '';
    const cmapId = ref(dict, 'ToUnicode');
    const cmap = cmapId === null ? '' : (objects.get(cmapId)?.stream?.toString('latin1') ?? '');
    const font: Font = { map: readCMap(cmap), bytesPerCode: /\/Subtype\s*\/Type0/.test(dict) ? 2 : 1 };
    fontOf.set(id, font);
    return font;
  };

  const pagesDict = [...objects.values()].find((o) => /\/Type\s*\/Pages\b/.test(o.dict))?.dict ?? '';
  const kids = [...(/\/Kids\s*\[([^\]]*)\]/.exec(pagesDict)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
  return kids.map((pageId) => {
    const page = objects.get(pageId) as PdfObject;
    const fonts = new Map<string, number>();
    for (const entry of (/\/Font\s*<<([^>]*)>>/.exec(page.dict)?.[1] ?? '').matchAll(/\/(\S+)\s+(\d+) 0 R/g)) fonts.set(entry[1] as string, Number(entry[2]));
    const heightMatch = /\/MediaBox\s*\[\s*[\d.-]+\s+[\d.-]+\s+[\d.-]+\s+([\d.-]+)\s*\]/.exec(page.dict);
    const height = Number(heightMatch?.[1] ?? 842);
    const contentIds = [...(/\/Contents\s*(\[[^\]]*\]|\d+ 0 R)/.exec(page.dict)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
    const content = contentIds.map((id) => objects.get(id)?.stream?.toString('latin1') ?? '').join('\n');

    const runs: PdfRun[] = [];
    let ctm: Matrix = identity;
    const saved: Matrix[] = [];
    let tm: Matrix = identity;
    let tlm: Matrix = identity;
    let font: Font | undefined;
    // Marked content: whether each open section reverses its glyphs, and what ActualText it gives.
    const marks: { reversed: boolean; actualText: string | null }[] = [];
    let operands: Token[] = [];
    const num = (k: number) => (operands[k] as { value: number }).value;
    const show = (visual: string) => {
      const [x, y] = [tm[4] * ctm[0] + tm[5] * ctm[2] + ctm[4], tm[4] * ctm[1] + tm[5] * ctm[3] + ctm[5]];
      const actual = [...marks].reverse().find((m) => m.actualText !== null)?.actualText ?? null;
      runs.push({ x, y: height - y, visual, reversed: marks.some((m) => m.reversed), actualText: actual });
    };
    for (const token of tokenize(content)) {
      if (token.kind !== 'op') {
        operands.push(token);
        continue;
      }
      switch (token.value) {
        case 'q':
          saved.push(ctm);
          break;
        case 'Q':
          ctm = saved.pop() ?? identity;
          break;
        case 'cm':
          ctm = multiply([num(0), num(1), num(2), num(3), num(4), num(5)], ctm);
          break;
        case 'BT':
          tm = identity;
          tlm = identity;
          break;
        case 'Tf': {
          const name = (operands[0] as { value: string }).value;
          const id = fonts.get(name);
          font = id === undefined ? undefined : loadFont(id);
          break;
        }
        case 'Tm':
          tm = [num(0), num(1), num(2), num(3), num(4), num(5)];
          tlm = tm;
          break;
        case 'Td':
          tlm = multiply([1, 0, 0, 1, num(0), num(1)], tlm);
          tm = tlm;
          break;
        case 'Tj': {
          const arg = operands[0];
          if (arg?.kind === 'hex') show(decode(arg.value, font));
          break;
        }
        case 'TJ': {
          const arg = operands[0];
          if (arg?.kind === 'array') show(arg.value.map((part) => (part.kind === 'hex' ? decode(part.value, font) : '')).join(''));
          break;
        }
        case 'BMC':
        case 'BDC': {
          const tag = (operands[0] as { value: string } | undefined)?.value ?? '';
          const props = operands[1]?.kind === 'dict' ? operands[1].value : '';
          const actual = /\/ActualText\s*<([0-9A-Fa-f]*)>/.exec(props);
          marks.push({ reversed: tag === 'ReversedChars', actualText: actual ? utf16be((actual[1] as string).replace(/^FEFF/i, '')) : null });
          break;
        }
        case 'EMC':
          marks.pop();
          break;
      }
      operands = [];
    }
    return runs;
  });
}

/**
 * A line's text in reading order, as a PDF reader would copy it: the runs of one baseline in
 * visual order (by x, then as drawn), read from the right for a right-to-left line, each reversed
 * run read back; `xOf` says where on the page the character at an offset of that text was drawn.
 */
export function readLine(runs: readonly PdfRun[], direction: 'ltr' | 'rtl'): { text: string; xOf(offset: number): number } {
  const visual = runs.map((run, drawn) => ({ run, drawn })).sort((a, b) => a.run.x - b.run.x || a.drawn - b.drawn);
  if (direction === 'rtl') visual.reverse();
  let text = '';
  const xs: number[] = [];
  for (const { run } of visual) {
    const piece = run.actualText ?? (run.reversed ? [...run.visual].reverse().join('') : run.visual);
    text += piece;
    for (let i = 0; i < piece.length; i++) xs.push(run.x);
  }
  return { text, xOf: (offset) => xs[offset] ?? Number.NaN };
}
