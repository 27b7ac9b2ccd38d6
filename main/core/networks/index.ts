// The network rules shared by the composer (renderer) and the connectors (main): pure code only.
export { networkIds, isNetworkId, type NetworkId } from './ids';
export {
  networkRules,
  mastodonDefaults,
  rulesFor,
  textLimit,
  type AnimatedGifRules,
  type AspectRatio,
  type CountedField,
  type CountUnit,
  type ImageRules,
  type MastodonInstanceLimits,
  type MediaRules,
  type NetworkRules,
  type RuleOptions,
  type TextLimit,
  type VideoRules,
} from './rules';
export {
  countPost,
  countWithRules,
  mastodonLength,
  threadsLength,
  tightestTextCount,
  xWeightedLength,
  type PostDraft,
  type PostMedia,
  type TextCount,
} from './count';
export {
  checkPost,
  checkWithRules,
  type IssueSeverity,
  type MediaFix,
  type PostCheck,
  type PostIssue,
  type PostIssueCode,
} from './check';
export {
  findEntities,
  isKnownTld,
  withByteRanges,
  type HashtagEntity,
  type LinkEntity,
  type MentionEntity,
  type TextEntity,
  type WithByteRange,
} from './entities';
export { countCodePoints, countGraphemes, graphemes, utf8Length, utf8Range, utf8Ranges, type ByteRange } from './unicode';
export { escapeLittleText } from './little-text';
export { attachedLink } from './attached-link';
export { photoRows, type PhotoRow, type PhotoShape } from './photo-rows';
export { vkPhotoRows, VK_COPYRIGHT_MAX, type VkPostOptions } from './vk';
export { okPhotoRows } from './ok';
