import type { PostMediaItem } from '../../../../main/core/contract';
import type { NetworkId } from '../../../../main/core/networks/ids';
import type { PostCheck } from '../../../../main/core/networks/check';
import type { RuleOptions } from '../../../../main/core/networks/rules';
import { checkTarget } from '../../../../main/core/posts/readiness';

interface Entry {
  network: NetworkId;
  text: string;
  media: readonly PostMediaItem[];
  options: RuleOptions;
  check: PostCheck;
}

/**
 * Remembers each target's last check, so a keystroke in one target's override does not
 * recount the others, and targets that share the post's text and network share one count.
 */
export class CheckCache {
  private readonly byTarget = new Map<string, Entry>();

  check(accountId: string, network: NetworkId, text: string, media: readonly PostMediaItem[], options: RuleOptions): PostCheck {
    const last = this.byTarget.get(accountId);
    if (last && last.network === network && last.text === text && last.media === media && last.options === options) {
      return last.check;
    }
    for (const entry of this.byTarget.values()) {
      if (entry.network === network && entry.text === text && entry.media === media && entry.options === options) {
        this.byTarget.set(accountId, entry);
        return entry.check;
      }
    }
    const check = checkTarget({ network, text, media, ruleOptions: options });
    this.byTarget.set(accountId, { network, text, media, options, check });
    return check;
  }
}
