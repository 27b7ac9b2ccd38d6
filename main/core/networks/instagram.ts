import { apiDeletes } from './rules';

/**
 * Instagram facts the composer and the Instagram connector share (shared/networks/CONTRACTS.md §7).
 * The caption (2,200), hashtag (30), mention (20), carousel (10 items) and media rules live with
 * every network's in rules.ts; what is Instagram's alone lives here.
 */

/**
 * Posts an account may publish through the API in a rolling 24 hours; a carousel counts as one
 * (developers.facebook.com/docs/instagram-platform/content-publishing, "Rate Limit"). The account's
 * own figure is read from `content_publishing_limit` before scheduling; this is the documented one.
 */
export const INSTAGRAM_POSTS_PER_DAY = 100;
export const INSTAGRAM_PUBLISH_WINDOW_MS = 24 * 60 * 60_000;

/** A carousel is 2 to 10 items; one item is a single image or a reel. */
export const INSTAGRAM_CAROUSEL_MIN = 2;

/** An unpublished container expires after 24 hours ("Containers expire after 24 hours", IG User Media reference). */
export const INSTAGRAM_CONTAINER_LIFETIME_MS = 24 * 60 * 60_000;

/**
 * Whether Outpost can delete an Instagram post for the user (auto-delete): no. CONTRACTS.md §7
 * flags DELETE of IG media as unconfirmed: Meta's codegen lists `DELETE` on IGMedia, but the
 * content-publishing documentation describes no delete, third-party services say Instagram offers
 * none through its API, and the reports of it working are unverified. Read from the network's rules
 * (rules.ts `apiDeletes`, which the composer reads too), so the two never disagree; the composer says
 * the reason plainly instead of offering auto-delete, and the connector's delete refuses with it.
 */
export const INSTAGRAM_CAN_DELETE: boolean = apiDeletes('instagram');
export const INSTAGRAM_DELETE_REASON = 'Instagram does not let apps delete posts; remove it in the Instagram app.';

/** Instagram has no server-side schedule (`POST /{ig-user-id}/media` takes no time; CONTRACTS.md "Server-side scheduled publishing"): Outpost publishes from the laptop. */
export const INSTAGRAM_SCHEDULES_NATIVELY = false;
