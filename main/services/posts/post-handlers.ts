import type { HandlersOf, postRequests } from '../../core/contract';
import type { Services } from '../services-types';
import { createPostService } from './post-service';
import { mustGetPost } from './post-rules';

/** The composer's requests; the rules are in post-service.ts. */
export function postHandlers(services: Services): HandlersOf<typeof postRequests> {
  const posts = createPostService(services);
  return {
    'posts.create': (args) => posts.create(args),
    'posts.get': ({ id }) => mustGetPost(services.db, id),
    'posts.list': (args) => posts.list(args),
    'posts.update': (args) => posts.update(args),
    'posts.duplicate': ({ id }) => posts.duplicate(id),
    'posts.delete': async ({ id }) => {
      await posts.remove(id);
      return { id };
    },
    'posts.schedule': ({ id, revision }) => posts.schedule(id, revision),
    'posts.unschedule': ({ id, revision }) => posts.unschedule(id, revision),
  };
}
