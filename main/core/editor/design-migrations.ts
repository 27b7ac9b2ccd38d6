import { DESIGN_VERSION, designSchema, noFilters, type Design } from './design';
import { logicalAlign, textDirection } from './text';

/**
 * Up-migrations for saved designs: `designMigrations[n]` turns a version-n design into version
 * n + 1. Append only; a shipped step never changes, because designs of that version exist on
 * users' disks. Each step works on plain JSON, since the older shape has no schema any more.
 */
type Json = Record<string, unknown>;

function record(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not an object`);
  return value as Json;
}

function num(value: unknown, fallback?: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (fallback !== undefined) return fallback;
  throw new Error(`expected a number, found ${JSON.stringify(value)}`);
}

/** v1 allowed #rgb; v2 stores #rrggbb. */
function color(value: unknown, fallback: string): string {
  if (typeof value !== 'string') return fallback;
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(value);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`.toLowerCase();
  return value;
}

const optionalColor = (value: unknown): string | null => (value === null || value === undefined ? null : color(value, '#000000'));

/** v1 filters ran from -1 to 1 (0 to 1 for blur); grey and sepia were on or off. */
function v1Filters(adjust: unknown) {
  if (adjust === undefined || adjust === null) return { ...noFilters };
  const a = record(adjust, 'adjust');
  const scale = (v: unknown) => Math.round(Math.max(-1, Math.min(1, num(v, 0))) * 100);
  return {
    brightness: scale(a.brightness),
    contrast: scale(a.contrast),
    saturation: scale(a.saturation),
    blur: Math.max(0, scale(a.blur)),
    greyscale: a.grayscale === true ? 100 : 0,
    sepia: a.sepia === true ? 100 : 0,
  };
}

/** v1 placed objects by their unrotated top-left corner; v2 by their centre. */
function v1Object(raw: unknown): Json {
  const o = record(raw, 'object');
  const base = {
    id: String(o.id),
    name: '',
    locked: o.locked === true,
    hidden: false,
    angle: num(o.rotation, 0),
    scaleX: 1,
    scaleY: 1,
    opacity: num(o.opacity, 1),
  };
  const left = num(o.left);
  const top = num(o.top);
  switch (o.kind) {
    case 'text': {
      const text = String(o.text ?? '');
      const fontSize = num(o.fontSize, 48);
      const width = num(o.width);
      // v1 did not store the text's height; its lines at v1's line height are the best guess.
      const height = fontSize * 1.16 * Math.max(1, text.split('\n').length);
      const align = o.align === 'right' || o.align === 'center' ? o.align : 'left';
      return {
        ...base,
        type: 'text',
        x: left + width / 2,
        y: top + height / 2,
        text,
        width,
        fontSize,
        fontWeight: o.bold === true ? 700 : 400,
        color: color(o.color, '#000000'),
        align: logicalAlign(align, textDirection(text)),
        lineHeight: 1.16,
        outline: o.outline ? { color: color(record(o.outline, 'outline').color, '#000000'), width: num(record(o.outline, 'outline').width, 2) } : null,
        shadow: o.shadow === true ? { color: '#00000099', blur: 8, offsetX: 2, offsetY: 2 } : null,
        background: null,
        placeholder: false,
      };
    }
    case 'rect':
    case 'ellipse': {
      const width = num(o.width);
      const height = num(o.height);
      return {
        ...base,
        type: o.kind,
        x: left + width / 2,
        y: top + height / 2,
        width,
        height,
        ...(o.kind === 'rect' ? { cornerRadius: 0 } : {}),
        fill: optionalColor(o.fill),
        stroke: optionalColor(o.stroke),
        strokeWidth: num(o.strokeWidth, 0),
      };
    }
    case 'logo': {
      const width = num(o.width);
      const height = num(o.height);
      return { ...base, type: 'image', mediaId: String(o.mediaId), x: left + width / 2, y: top + height / 2, width, height, placeholder: false };
    }
    default:
      throw new Error(`unknown object kind ${JSON.stringify(o.kind)}`);
  }
}

export const designMigrations: Readonly<Record<number, (design: Json) => Json>> = {
  /** v1 → v2: named size fields, a `photo` with its crop as a box, centred layers with lock/hide, logical text alignment. */
  1: (d) => {
    const size = record(d.size, 'size');
    const image = d.image === null || d.image === undefined ? null : record(d.image, 'image');
    let photo: Json | null = null;
    if (image) {
      const width = num(image.width);
      const height = num(image.height);
      const rotation = num(image.rotate, 0);
      const turned = rotation % 180 !== 0;
      const crop = Array.isArray(image.crop) ? image.crop.map((v) => num(v)) : null;
      photo = {
        mediaId: String(image.mediaId),
        width,
        height,
        rotation,
        flipX: image.flipH === true,
        flipY: image.flipV === true,
        crop: crop
          ? { x: crop[0], y: crop[1], width: crop[2], height: crop[3] }
          : { x: 0, y: 0, width: turned ? height : width, height: turned ? width : height },
        filters: v1Filters(d.adjust),
      };
    }
    return {
      version: 2,
      width: num(size.width),
      height: num(size.height),
      background: color(d.background, '#ffffff'),
      photo,
      layers: (Array.isArray(d.objects) ? d.objects : []).map(v1Object),
    };
  },
};

export type DesignReadFailure = 'design_invalid' | 'design_too_new';

export type DesignRead =
  | { ok: true; design: Design; /** The version it was saved as, when older than this app's. */ migratedFrom: number | null }
  | { ok: false; reason: DesignReadFailure; message: string };

/** Reads a saved design of any version this app knows, bringing it up to date. Never throws. */
export function readDesign(saved: unknown): DesignRead {
  let value: unknown = saved;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return { ok: false, reason: 'design_invalid', message: 'The saved design is not JSON.' };
    }
  }
  const version = (value as { version?: unknown } | null)?.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, reason: 'design_invalid', message: 'The saved design has no version number.' };
  }
  if (version > DESIGN_VERSION) {
    return {
      ok: false,
      reason: 'design_too_new',
      message: `The design was saved by a newer Outpost (design version ${version}; this one reads up to ${DESIGN_VERSION}).`,
    };
  }
  let current = value as Json;
  try {
    for (let v = version; v < DESIGN_VERSION; v++) {
      const step = designMigrations[v];
      if (!step) throw new Error(`no migration from version ${v}`);
      current = step(current);
    }
  } catch (error) {
    return { ok: false, reason: 'design_invalid', message: `The saved design (version ${version}) cannot be read: ${(error as Error).message}.` };
  }
  const parsed = designSchema.safeParse(current);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: 'design_invalid',
      message: `The saved design is damaged: ${issue ? `${issue.path.join('.') || 'design'}: ${issue.message}` : 'unknown problem'}.`,
    };
  }
  return { ok: true, design: parsed.data, migratedFrom: version < DESIGN_VERSION ? version : null };
}
