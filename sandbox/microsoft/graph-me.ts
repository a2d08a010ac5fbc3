// GET /me: the signed-in user's profile, as Graph's user entity.
import type { GraphApi } from './pipeline';
import { parseSelect } from './odata';

export function mountMe(api: GraphApi) {
  api.route('GET', '', 'graph.me', 'user', (ctx, g) => {
    const [givenName, ...rest] = g.user.name.split(' ');
    const profile: Record<string, unknown> = {
      businessPhones: [],
      displayName: g.user.name,
      givenName,
      jobTitle: null,
      mail: g.user.email,
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: 'en-US',
      surname: rest.join(' ') || null,
      userPrincipalName: g.user.email,
      id: g.user.id,
    };
    const select = parseSelect(ctx.query);
    const body: Record<string, unknown> = { '@odata.context': `${g.baseUrl}/v1.0/$metadata#users/$entity` };
    for (const [key, value] of Object.entries(profile)) if (!select || select.includes(key)) body[key] = value;
    g.json(200, body);
  });
}
