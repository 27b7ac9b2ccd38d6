import { describe, expect, it } from 'vitest';
import { parseBody, type FakeRequest } from '../../fakes/fake-server';
import { metaCodegenValidator, type CodegenNode } from '../../fakes/validate/meta-codegen';

// An excerpt in the codegen files' own shape (Page.json, enum_types.json), enough to test the adapter.
const Page: CodegenNode = {
  apis: [
    {
      method: 'POST',
      endpoint: 'feed',
      params: [
        { name: 'message', required: false, type: 'string' },
        { name: 'published', required: false, type: 'bool' },
        { name: 'scheduled_publish_time', required: false, type: 'datetime' },
        { name: 'attached_media', required: false, type: 'list<Object>' },
        { name: 'formatting', required: false, type: 'pagefeed_formatting_enum_param' },
      ],
    },
    { method: 'POST', endpoint: 'photos', params: [{ name: 'url', required: true, type: 'string' }] },
  ],
};

const meta = metaCodegenValidator({
  nodes: { Page },
  enums: [{ name: 'pagefeed_formatting_enum_param', values: ['MARKDOWN', 'PLAINTEXT'] }],
  route: (req) => {
    const m = /^\/v\d+\.\d+\/(\d+)\/(\w+)$/.exec(req.path);
    return m ? { node: 'Page', endpoint: m[2]! } : undefined;
  },
});

const form = (path: string, body: string): FakeRequest => ({
  method: 'POST',
  path,
  query: new URLSearchParams(),
  headers: {},
  body: parseBody('application/x-www-form-urlencoded', Buffer.from(body)),
});

describe("Meta's codegen descriptions, ready for the Facebook and Instagram fakes", () => {
  it('accepts a scheduled Page post as the Graph API takes it', () => {
    const check = meta.check(form('/v21.0/123/feed', 'message=hi&published=false&scheduled_publish_time=1790000000&attached_media=[{"media_fbid":"1"}]&access_token=t'));
    expect(check.operation).toBe('Page.POST feed');
    expect(check.violations).toEqual([]);
  });

  it('refuses wrong values by codegen type, missing required ones, and reports unknown names', () => {
    const check = meta.check(form('/v21.0/123/feed', 'published=maybe&attached_media=1&formatting=HTML&text=x'));
    expect(check.violations).toEqual([
      { message: 'published is not a valid bool', refused: true },
      { message: 'attached_media is not a valid list<Object>', refused: true },
      { message: 'formatting is not a valid pagefeed_formatting_enum_param', refused: true },
      { message: 'unexpected parameter "text"', refused: false },
    ]);
    expect(meta.check(form('/v21.0/123/photos', 'caption=x')).violations).toContainEqual({ message: 'url is required', refused: true });
  });
});
