/** Align, distribute and snap: arithmetic on axis-aligned boxes in design pixels. */
export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Delta {
  dx: number;
  dy: number;
}

export type AlignEdge = 'left' | 'hcenter' | 'right' | 'top' | 'vcenter' | 'bottom';
export type Axis = 'horizontal' | 'vertical';

export function union(boxes: readonly Rect[]): Rect {
  const left = Math.min(...boxes.map((b) => b.left));
  const top = Math.min(...boxes.map((b) => b.top));
  const right = Math.max(...boxes.map((b) => b.left + b.width));
  const bottom = Math.max(...boxes.map((b) => b.top + b.height));
  return { left, top, width: right - left, height: bottom - top };
}

/**
 * How far each box moves to line up on `edge`: one box aligns to the canvas (`frame`), several
 * align to the box around them all, as in most design tools.
 */
export function alignDeltas(boxes: readonly Rect[], edge: AlignEdge, frame: Rect): Delta[] {
  if (boxes.length === 0) return [];
  const to = boxes.length === 1 ? frame : union(boxes);
  return boxes.map((b) => {
    switch (edge) {
      case 'left':
        return { dx: to.left - b.left, dy: 0 };
      case 'hcenter':
        return { dx: to.left + to.width / 2 - (b.left + b.width / 2), dy: 0 };
      case 'right':
        return { dx: to.left + to.width - (b.left + b.width), dy: 0 };
      case 'top':
        return { dx: 0, dy: to.top - b.top };
      case 'vcenter':
        return { dx: 0, dy: to.top + to.height / 2 - (b.top + b.height / 2) };
      case 'bottom':
        return { dx: 0, dy: to.top + to.height - (b.top + b.height) };
    }
  });
}

/** Equal gaps between three or more boxes; the first and last (by position) stay where they are. */
export function distributeDeltas(boxes: readonly Rect[], axis: Axis): Delta[] {
  const deltas: Delta[] = boxes.map(() => ({ dx: 0, dy: 0 }));
  if (boxes.length < 3) return deltas;
  const start = (b: Rect) => (axis === 'horizontal' ? b.left : b.top);
  const size = (b: Rect) => (axis === 'horizontal' ? b.width : b.height);
  const order = boxes.map((b, i) => i).sort((a, b) => start(boxes[a] as Rect) - start(boxes[b] as Rect));
  const first = boxes[order[0] as number] as Rect;
  const last = boxes[order[order.length - 1] as number] as Rect;
  const span = start(last) + size(last) - start(first);
  const total = boxes.reduce((sum, b) => sum + size(b), 0);
  const gap = (span - total) / (boxes.length - 1);
  let position = start(first);
  for (const index of order) {
    const box = boxes[index] as Rect;
    const move = position - start(box);
    deltas[index] = axis === 'horizontal' ? { dx: move, dy: 0 } : { dx: 0, dy: move };
    position += size(box) + gap;
  }
  return deltas;
}

export interface Snap extends Delta {
  /** x positions of vertical guide lines to draw. */
  vertical: number[];
  /** y positions of horizontal guide lines. */
  horizontal: number[];
}

/**
 * Snaps a moving box to the canvas's edges and centre lines when an edge or its centre comes
 * within `threshold` (design pixels; the caller divides screen pixels by the zoom).
 */
export function snapToCanvas(box: Rect, canvas: { width: number; height: number }, threshold: number): Snap {
  const pick = (edges: number[], targets: number[]) => {
    let best: { delta: number; at: number } | null = null;
    for (const target of targets) {
      for (const edge of edges) {
        const delta = target - edge;
        if (Math.abs(delta) <= threshold && (!best || Math.abs(delta) < Math.abs(best.delta))) best = { delta, at: target };
      }
    }
    return best;
  };
  const x = pick([box.left, box.left + box.width / 2, box.left + box.width], [0, canvas.width / 2, canvas.width]);
  const y = pick([box.top, box.top + box.height / 2, box.top + box.height], [0, canvas.height / 2, canvas.height]);
  return { dx: x?.delta ?? 0, dy: y?.delta ?? 0, vertical: x ? [x.at] : [], horizontal: y ? [y.at] : [] };
}
