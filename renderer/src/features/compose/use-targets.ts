import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { wordPost } from '../../../../main/core/spintax';
import type { Account, PostMediaItem, Target } from '../../../../main/core/contract';
import type { PostCheck } from '../../../../main/core/networks/check';
import type { NetworkId } from '../../../../main/core/networks/ids';
import type { RuleOptions } from '../../../../main/core/networks/rules';
import { ruleOptionsFor } from '../../../../main/core/posts/readiness';
import { CheckCache } from './target-checks';
import type { DraftFields } from '../post/draft';

/** One target as the composer shows it: whose it is, what goes out there, and what the rules say. */
export interface TargetView {
  accountId: string;
  network: NetworkId;
  handle: string;
  displayName: string;
  accountStatus: Target['accountStatus'];
  ruleOptions: RuleOptions;
  /** How long after publishing the network lets the post be deleted; null: no limit. */
  deleteWindowMs: number | null;
  text: string;
  ownText: boolean;
  media: readonly PostMediaItem[];
  ownMedia: boolean;
  check: PostCheck;
}

export interface AccountInfo {
  id: string;
  network: NetworkId;
  handle: string;
  displayName: string;
  status: Target['accountStatus'];
  ruleOptions: RuleOptions;
  deleteWindowMs: number | null;
}

const noOptions: RuleOptions = {};

/** Accounts by id: the project's list, and the post's own targets for accounts not (yet) listed. */
export function useAccountInfo(accounts: readonly Account[], targets: readonly Target[] | undefined): Map<string, AccountInfo> {
  const { t: translate } = useTranslation();
  return useMemo(() => {
    // A planned network has no name or handle of its own yet: previews and tabs call it "Your Instagram account".
    const plannedName = (network: NetworkId) => translate('compose.targets.plannedName', { network: translate(`networks.${network}`) });
    const map = new Map<string, AccountInfo>();
    for (const t of targets ?? []) {
      const options = ruleOptionsFor(t.network, t.ruleOptions);
      map.set(t.accountId, {
        id: t.accountId,
        network: t.network,
        handle: t.accountStatus === 'planned' ? plannedName(t.network) : t.handle,
        displayName: t.accountStatus === 'planned' ? plannedName(t.network) : t.displayName,
        status: t.accountStatus,
        ruleOptions: Object.keys(options).length ? options : noOptions,
        // Known only from the accounts list; main checks the window again when scheduling.
        deleteWindowMs: null,
      });
    }
    for (const a of accounts) {
      const known = map.get(a.id);
      map.set(a.id, {
        id: a.id,
        network: a.network,
        handle: a.status === 'planned' ? plannedName(a.network) : a.handle,
        displayName: a.status === 'planned' ? plannedName(a.network) : a.displayName,
        status: a.status,
        ruleOptions: known?.ruleOptions ?? noOptions,
        deleteWindowMs: a.deleteWindowHours === null ? null : a.deleteWindowHours * 3_600_000,
      });
    }
    return map;
  }, [accounts, targets, translate]);
}

/**
 * The targets of the draft with their counts and issues. Media lists keep their identity
 * while their ids do not change, so the check cache can skip every target whose text and
 * media did not change on this keystroke.
 */
export function useTargetViews(
  draft: Pick<DraftFields, 'body' | 'targets' | 'media' | 'networkOptions'>,
  accounts: Map<string, AccountInfo>,
  facts: Record<string, PostMediaItem>,
  postId = '',
): TargetView[] {
  const [cache] = useState(() => new CheckCache());
  const [lists] = useState(() => new MediaLists());
  const mediaList = (ids: readonly string[]) => lists.get(ids, facts);

  // Each account's own wording of {Hi|Hello}, as main will publish it.
  const words = wordPost(postId, draft.targets.map((t) => ({ accountId: t.accountId, text: t.bodyOverride ?? draft.body })), draft.networkOptions.unique === true);
  const views: TargetView[] = [];
  for (const target of draft.targets) {
    const account = accounts.get(target.accountId);
    if (!account) continue;
    const text = words.get(target.accountId) ?? target.bodyOverride ?? draft.body;
    const media = mediaList(target.mediaOverride ?? draft.media);
    views.push({
      accountId: account.id,
      network: account.network,
      handle: account.handle,
      displayName: account.displayName,
      accountStatus: account.status,
      ruleOptions: account.ruleOptions,
      deleteWindowMs: account.deleteWindowMs,
      text,
      ownText: target.bodyOverride !== null,
      media,
      ownMedia: target.mediaOverride !== null,
      check: cache.check(account.id, account.network, text, media, account.ruleOptions),
    });
  }
  return views;
}

/** The same media ids give the same list object until the facts change. */
class MediaLists {
  private facts: Record<string, PostMediaItem> | null = null;
  private lists = new Map<string, readonly PostMediaItem[]>();

  get(ids: readonly string[], facts: Record<string, PostMediaItem>): readonly PostMediaItem[] {
    if (facts !== this.facts) {
      this.facts = facts;
      this.lists = new Map();
    }
    const key = ids.join('\n');
    let list = this.lists.get(key);
    if (!list) {
      list = ids.flatMap((id) => facts[id] ?? []);
      this.lists.set(key, list);
    }
    return list;
  }
}
