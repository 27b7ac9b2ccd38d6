import type { HandlersOf, hashtagRequests, snippetRequests } from '../../core/contract';
import { DomainError } from '../../core/errors';
import { normaliseSetName, normaliseTags } from '../../core/posts/fields';
import { mustGetProject } from '../projects/project-rules';
import type { Services } from '../services-types';
import {
  deleteHashtagSet,
  deleteSnippet,
  getHashtagSet,
  getSnippet,
  listHashtagSets,
  listSnippets,
  upsertHashtagSet,
  upsertSnippet,
} from './posts-repo';

/** What the composer inserts into a post: a project's hashtag sets and text snippets. */
export function insertHandlers({ db, clock }: Services): HandlersOf<typeof hashtagRequests & typeof snippetRequests> {
  return {
    'hashtags.list': ({ projectId }) => {
      mustGetProject(db, projectId);
      return listHashtagSets(db, projectId);
    },

    'hashtags.save': (args) => {
      mustGetProject(db, args.projectId);
      const id = args.id ?? crypto.randomUUID();
      if (args.id !== undefined && getHashtagSet(db, args.id)?.projectId !== args.projectId) {
        throw new DomainError('not_found', `There is no hashtag set with id ${args.id}.`, { reason: 'hashtag_set_missing' });
      }
      upsertHashtagSet(db, { id, projectId: args.projectId, name: normaliseSetName(args.name), tags: normaliseTags(args.tags) }, clock.now());
      return getHashtagSet(db, id) as NonNullable<ReturnType<typeof getHashtagSet>>;
    },

    'hashtags.delete': ({ id }) => {
      if (!deleteHashtagSet(db, id)) {
        throw new DomainError('not_found', `There is no hashtag set with id ${id}.`, { reason: 'hashtag_set_missing' });
      }
      return { id };
    },

    'snippets.list': ({ projectId }) => {
      mustGetProject(db, projectId);
      return listSnippets(db, projectId);
    },

    'snippets.save': (args) => {
      mustGetProject(db, args.projectId);
      const id = args.id ?? crypto.randomUUID();
      if (args.id !== undefined && getSnippet(db, args.id)?.projectId !== args.projectId) {
        throw new DomainError('not_found', `There is no snippet with id ${args.id}.`, { reason: 'snippet_missing' });
      }
      if (args.body.trim() === '') {
        throw new DomainError('validation', 'A snippet needs some text.', { field: 'body', reason: 'snippet_empty' });
      }
      upsertSnippet(db, { id, projectId: args.projectId, name: normaliseSetName(args.name), body: args.body }, clock.now());
      return getSnippet(db, id) as NonNullable<ReturnType<typeof getSnippet>>;
    },

    'snippets.delete': ({ id }) => {
      if (!deleteSnippet(db, id)) throw new DomainError('not_found', `There is no snippet with id ${id}.`, { reason: 'snippet_missing' });
      return { id };
    },
  };
}
