import type { Db } from '../store/database';

export type PostStatus = 'draft' | 'scheduled' | 'published' | 'failed' | 'needs_attention';

/** What the calendar needs to draw one post. */
export interface CalendarPost {
  id: string;
  projectId: string;
  body: string;
  status: PostStatus;
  /** The instant in UTC milliseconds. */
  scheduledAt: number;
  /** The IANA zone the post was planned in. */
  timezone: string;
}

export interface PostRange {
  /** One project, or every project when left out. */
  projectId?: string;
  /** Inclusive start, UTC ms. */
  from: number;
  /** Exclusive end, UTC ms. */
  to: number;
}

const calendarColumns = `id, project_id AS projectId, body, status, scheduled_at AS scheduledAt, timezone`;

// Two statements rather than `(@projectId IS NULL OR …)`, which would keep the planner off the project index.
/** Posts of one project in [from, to); served by posts_project_scheduled. */
export const POSTS_IN_RANGE_FOR_PROJECT_SQL = /* sql */ `
  SELECT ${calendarColumns} FROM posts
  WHERE project_id = @projectId AND scheduled_at >= @from AND scheduled_at < @to
  ORDER BY scheduled_at, id`;

/** Posts of every project in [from, to); served by posts_scheduled. */
export const POSTS_IN_RANGE_SQL = /* sql */ `
  SELECT ${calendarColumns} FROM posts
  WHERE scheduled_at >= @from AND scheduled_at < @to
  ORDER BY scheduled_at, id`;

/** The calendar's query: posts scheduled in [from, to), earliest first. */
export function listPostsInRange(db: Db, range: PostRange): CalendarPost[] {
  const { projectId, from, to } = range;
  if (projectId === undefined) return db.prepare(POSTS_IN_RANGE_SQL).all({ from, to }) as CalendarPost[];
  return db.prepare(POSTS_IN_RANGE_FOR_PROJECT_SQL).all({ projectId, from, to }) as CalendarPost[];
}
