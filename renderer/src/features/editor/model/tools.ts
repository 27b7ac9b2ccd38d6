import type { Box } from '../../../../../main/core/editor/design';
import { clampBox, reshapeBox, resizeBox, type Handle } from '../../../../../main/core/editor/geometry';

/**
 * Tools as small state machines (tldraw): a pure step function from (state, event) to the next
 * state and, when a gesture completes, what it produced. The canvas glue only feeds events in.
 */

export interface Point {
  x: number;
  y: number;
}

// ── Drawing a shape or placing text: idle → pointing → dragging → idle ──

export type DrawState = { mode: 'idle' } | { mode: 'pointing'; origin: Point } | { mode: 'dragging'; origin: Point; current: Point };

export type DrawEvent = { type: 'down'; point: Point } | { type: 'move'; point: Point } | { type: 'up'; point: Point } | { type: 'cancel' };

export type DrawOutcome =
  /** A press and release without moving: place a default-sized thing here. */
  | { kind: 'click'; point: Point }
  /** A drag: the box it spanned (for rectangles, ellipses, text) and its two ends (for lines, arrows). */
  | { kind: 'drag'; from: Point; to: Point; box: { left: number; top: number; width: number; height: number } };

export const idleDraw: DrawState = { mode: 'idle' };

/** `slop` is how far (design pixels) the pointer may wander before a press becomes a drag. */
export function stepDraw(state: DrawState, event: DrawEvent, slop: number): { state: DrawState; outcome: DrawOutcome | null } {
  switch (event.type) {
    case 'cancel':
      return { state: idleDraw, outcome: null };
    case 'down':
      return { state: { mode: 'pointing', origin: event.point }, outcome: null };
    case 'move':
      if (state.mode === 'pointing') {
        const moved = Math.hypot(event.point.x - state.origin.x, event.point.y - state.origin.y);
        return { state: moved > slop ? { mode: 'dragging', origin: state.origin, current: event.point } : state, outcome: null };
      }
      if (state.mode === 'dragging') return { state: { ...state, current: event.point }, outcome: null };
      return { state, outcome: null };
    case 'up':
      if (state.mode === 'pointing') return { state: idleDraw, outcome: { kind: 'click', point: state.origin } };
      if (state.mode === 'dragging') {
        const from = state.origin;
        const to = event.point;
        const box = { left: Math.min(from.x, to.x), top: Math.min(from.y, to.y), width: Math.abs(to.x - from.x), height: Math.abs(to.y - from.y) };
        return { state: idleDraw, outcome: { kind: 'drag', from, to, box } };
      }
      return { state, outcome: null };
  }
}

// ── Cropping: off → framing ⇄ grabbed → (apply | cancel) → off ──

export type CropGrip = Handle | 'inside';

export type CropState =
  | { mode: 'off' }
  | {
      mode: 'framing';
      /** Where the box may go (design pixels). */
      bounds: Box;
      box: Box;
      /** Width over height, or null for free. */
      ratio: number | null;
      grab: { grip: CropGrip; start: Point; startBox: Box } | null;
    };

export type CropEvent =
  | { type: 'begin'; bounds: Box; box: Box; ratio: number | null }
  | { type: 'ratio'; ratio: number | null }
  | { type: 'grab'; grip: CropGrip; point: Point }
  | { type: 'drag'; point: Point }
  | { type: 'release' }
  /** The box typed in, or set by the canvas: kept inside the bounds and to the ratio. */
  | { type: 'set'; box: Box }
  | { type: 'apply' }
  | { type: 'cancel' };

export const cropOff: CropState = { mode: 'off' };

/** Smallest crop side, in design pixels. */
export const MIN_CROP = 8;

export function stepCrop(state: CropState, event: CropEvent): { state: CropState; applied: Box | null } {
  if (event.type === 'begin') {
    const box = event.ratio === null ? clampBox(event.box, event.bounds) : reshapeBox(event.box, event.ratio, event.bounds);
    return { state: { mode: 'framing', bounds: event.bounds, box, ratio: event.ratio, grab: null }, applied: null };
  }
  if (state.mode === 'off') return { state, applied: null };
  switch (event.type) {
    case 'ratio':
      return { state: { ...state, ratio: event.ratio, box: reshapeBox(state.box, event.ratio, state.bounds), grab: null }, applied: null };
    case 'grab':
      return { state: { ...state, grab: { grip: event.grip, start: event.point, startBox: state.box } }, applied: null };
    case 'drag': {
      if (!state.grab) return { state, applied: null };
      const { grip, start, startBox } = state.grab;
      const box =
        grip === 'inside'
          ? clampBox({ ...startBox, x: startBox.x + event.point.x - start.x, y: startBox.y + event.point.y - start.y }, state.bounds)
          : resizeBox(startBox, grip, event.point, state.ratio, state.bounds, MIN_CROP);
      return { state: { ...state, box }, applied: null };
    }
    case 'release':
      return { state: { ...state, grab: null }, applied: null };
    case 'set': {
      const { width } = event.box;
      const height = state.ratio !== null ? width / state.ratio : event.box.height;
      const fit = Math.min(1, state.bounds.width / width, state.bounds.height / height);
      const box = clampBox({ x: event.box.x, y: event.box.y, width: Math.max(MIN_CROP, width * fit), height: Math.max(MIN_CROP, height * fit) }, state.bounds);
      return { state: { ...state, box }, applied: null };
    }
    case 'apply':
      return { state: cropOff, applied: state.box };
    case 'cancel':
      return { state: cropOff, applied: null };
  }
}
