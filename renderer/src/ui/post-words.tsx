import type { ReactNode } from 'react';
import { findEntities } from '../../../main/core/networks/entities';

/**
 * A post's text with each link, mention and hashtag in its own <bdi> (isolated, direction from its
 * own first letter): after Hebrew words "@anat.bakes" would otherwise show as "anat.bakes@" and a
 * link could swap places with the punctuation around it. `marked` adds the classes previews colour.
 * A plain function, not a component: a month draws a few hundred chips.
 */
export function postWords(text: string, marked = false): ReactNode {
  const entities = findEntities(text);
  if (entities.length === 0) return text;
  const parts: ReactNode[] = [];
  let index = 0;
  // Keyed by order, not offset: typing before an entity shifts every offset, and offset keys would remount them all.
  for (const [order, entity] of entities.entries()) {
    if (entity.start > index) parts.push(text.slice(index, entity.start));
    parts.push(
      <bdi key={order} className={marked ? `entity entity-${entity.type}` : undefined}>
        {entity.text}
      </bdi>,
    );
    index = entity.end;
  }
  if (index < text.length) parts.push(text.slice(index));
  return parts;
}
