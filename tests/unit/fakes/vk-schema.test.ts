import { describe, expect, it } from 'vitest';
import { parseBody, type FakeRequest } from '../../fakes/fake-server';
import { draft03Required, vkSchema } from '../../fakes/validate/vk-schema';

const vk = vkSchema();
const messages = (method: string, params: Record<string, string>) => vk.checkCall(method, params).violations.map((v) => v.message);

describe("VK's schema, ready for the VK fake", () => {
  it('turns draft-03 `required: true` into the parent required list', () => {
    expect(draft03Required({ type: 'object', properties: { a: { type: 'integer', required: true }, b: { type: 'string', required: false } } })).toEqual({
      type: 'object',
      properties: { a: { type: 'integer' }, b: { type: 'string' } },
      required: ['a'],
    });
  });

  it('accepts a wall.post as VK sends it on the wire: ids as digits, flags as 1/0, attachments comma-separated', () => {
    const check = vk.checkCall('wall.post', {
      owner_id: '-123456',
      from_group: '1',
      message: 'Hello',
      attachments: 'photo-123456_457239017,photo-123456_457239018',
      publish_date: '1790000000',
      access_token: 'vk1.a.token',
      v: '5.199',
    });
    expect(check.violations).toEqual([]);
    expect(check.body).toEqual({ owner_id: -123456, from_group: true, message: 'Hello', attachments: ['photo-123456_457239017', 'photo-123456_457239018'], publish_date: 1790000000 });
  });

  it('refuses wrongly typed wall.post parameters and reports unknown ones', () => {
    expect(messages('wall.post', { owner_id: 'club123', publish_date: '-5' })).toEqual(['/owner_id must be integer', '/publish_date must be >= 0']);
    expect(vk.checkCall('wall.post', { owner_id: '-1', text: 'misspelt' }).violations).toEqual([{ message: 'unexpected parameter "text"', refused: false }]);
  });

  it('enforces parameters VK marks required (photos.saveWallPhoto needs photo)', () => {
    expect(messages('photos.saveWallPhoto', { group_id: '123', server: '1', hash: 'abc' })).toEqual(['/photo is required']);
    expect(messages('photos.saveWallPhoto', { group_id: '123', photo: '[{"photo":"x"}]', server: '1', hash: 'abc' })).toEqual([]);
  });

  it('reads /method/<name> requests with query and form parameters', () => {
    const req: FakeRequest = {
      method: 'POST',
      path: '/method/wall.post',
      query: new URLSearchParams({ v: '5.199' }),
      headers: {},
      body: parseBody('application/x-www-form-urlencoded', Buffer.from('owner_id=-1&message=hi&close_comments=yes')),
    };
    const check = vk.check(req);
    expect(check.operation).toBe('wall.post');
    expect(check.violations.map((v) => v.message)).toEqual(['/close_comments must be boolean']);
  });

  it("checks answers against the method's response schema and VK's error shape", () => {
    expect(vk.checkResponse('wall.post', { response: { post_id: 42 } })).toEqual([]);
    expect(vk.checkResponse('wall.post', { response: {} })).toContain('/response/post_id is required');
    // base_error without inner_type, as VK really sends it.
    expect(vk.checkResponse('wall.post', { error: { error_code: 214, error_msg: 'Access to adding post denied' } })).toEqual([]);
  });
});
