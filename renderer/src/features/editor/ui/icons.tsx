/** Line icons drawn as SVG, so every OS shows the same glyphs whatever fonts it has. */
const paths = {
  select: 'M5 3l14 8-6 1.5L9.5 19z',
  hand: 'M8 13V5.5a1.5 1.5 0 013 0V11m0-6.5a1.5 1.5 0 013 0V11m0-5a1.5 1.5 0 013 0v7a7 7 0 01-7 7h-.5a6 6 0 01-5-2.7L3.7 13a1.5 1.5 0 012.4-1.8L8 13',
  crop: 'M6 2v14a2 2 0 002 2h14M2 6h14a2 2 0 012 2v14',
  text: 'M5 5h14M12 5v14M9 19h6',
  rect: 'M4 6h16v12H4z',
  ellipse: 'M12 5c4.4 0 8 3.1 8 7s-3.6 7-8 7-8-3.1-8-7 3.6-7 8-7z',
  line: 'M5 19L19 5',
  arrow: 'M5 19L19 5M10 5h9v9',
  sticker: 'M12 3a9 9 0 100 18 9 9 0 000-18zM8.5 14.5a4.5 4.5 0 007 0M9 9.5h.01M15 9.5h.01',
  image: 'M4 5h16v14H4zM4 16l5-5 4 4 3-3 4 4M15 9.5h.01',
  undo: 'M9 14L4 9l5-5M4 9h10.5a5.5 5.5 0 010 11H11',
  redo: 'M15 14l5-5-5-5M20 9H9.5a5.5 5.5 0 000 11H13',
  rotateLeft: 'M3 4v5h5M3.5 13a8.5 8.5 0 102-6.5L3 9',
  rotateRight: 'M21 4v5h-5M20.5 13a8.5 8.5 0 11-2-6.5L21 9',
  flipHorizontal: 'M12 3v18M8 7L3 17h5zM16 7l5 10h-5z',
  flipVertical: 'M3 12h18M7 8L17 3v5zM7 16l10 5v-5z',
  zoomIn: 'M11 4a7 7 0 100 14 7 7 0 000-14zM20 20l-4-4M8 11h6M11 8v6',
  zoomOut: 'M11 4a7 7 0 100 14 7 7 0 000-14zM20 20l-4-4M8 11h6',
  fit: 'M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5',
  resize: 'M4 14v6h6M20 10V4h-6M4 20L20 4',
  eye: 'M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12zM12 9a3 3 0 100 6 3 3 0 000-6z',
  eyeOff: 'M3 3l18 18M10.6 5.1A10 10 0 0112 5c6.4 0 10 7 10 7a17 17 0 01-3.2 4M6.6 6.6A17 17 0 002 12s3.6 7 10 7a9.7 9.7 0 005.4-1.6M9.9 9.9a3 3 0 004.2 4.2',
  lock: 'M6 11h12v10H6zM8.5 11V7.5a3.5 3.5 0 017 0V11',
  unlock: 'M6 11h12v10H6zM8.5 11V7.5a3.5 3.5 0 016.8-1.2',
  up: 'M12 19V5M6 11l6-6 6 6',
  down: 'M12 5v14M6 13l6 6 6-6',
  rename: 'M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4',
  alignLeft: 'M4 3v18M8 7h10v4H8zM8 14h6v4H8z',
  alignHCenter: 'M12 3v18M6 7h12v4H6zM8.5 14h7v4h-7z',
  alignRight: 'M20 3v18M6 7h10v4H6zM10 14h6v4h-6z',
  alignTop: 'M3 4h18M7 8h4v10H7zM14 8h4v6h-4z',
  alignVCenter: 'M3 12h18M7 6h4v12H7zM14 8.5h4v7h-4z',
  alignBottom: 'M3 20h18M7 6h4v10H7zM14 10h4v6h-4z',
  distributeH: 'M4 3v18M20 3v18M10 7h4v10h-4z',
  distributeV: 'M3 4h18M3 20h18M7 10h10v4H7z',
  close: 'M6 6l12 12M18 6L6 18',
  template: 'M4 4h7v7H4zM13 4h7v4h-7zM13 10h7v10h-7zM4 13h7v7H4z',
} as const;

export type IconName = keyof typeof paths;

/** Icons that point along the line (back and forth in time): they turn round in right-to-left. */
const alongTheLine: ReadonlySet<IconName> = new Set(['undo', 'redo']);

export function Icon({ name, size = 18 }: { name: IconName; size?: number }) {
  return (
    <svg className={alongTheLine.has(name) ? 'icon-along-line' : undefined} width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d={paths[name]} />
    </svg>
  );
}
