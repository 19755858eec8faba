import { describe, expect, it } from 'vitest';
import { GenesysConfig, genesysEndpoints } from '../../connector/sources/genesys/config.js';

const base = { vendor: 'genesys', client_id: 'id-1', client_secret: 'secret-1', start_date: '2026-11-01' };

describe('Genesys config', () => {
  it('fills the defaults of issue 4 and derives the hosts from the region', () => {
    const config = GenesysConfig.parse(base);
    expect(config).toMatchObject({ region: 'mypurecloud.com', interval_days: 1, max_jobs_in_flight: 2, page_size: 1000 });
    expect(genesysEndpoints(config)).toEqual({ apiBase: 'https://api.mypurecloud.com', tokenUrl: 'https://login.mypurecloud.com/oauth/token' });
    expect(genesysEndpoints(GenesysConfig.parse({ ...base, region: 'mypurecloud.ie' })).apiBase).toBe('https://api.mypurecloud.ie');
  });

  it('lets base_url / login_url point both at a simulator', () => {
    const config = GenesysConfig.parse({ ...base, base_url: 'http://127.0.0.1:9000/', login_url: 'http://127.0.0.1:9000' });
    expect(genesysEndpoints(config)).toEqual({ apiBase: 'http://127.0.0.1:9000', tokenUrl: 'http://127.0.0.1:9000/oauth/token' });
  });

  it.each([
    [{ region: 'mypurecloud.fr' }, 'region', /must be one of the Genesys Cloud regions/],
    [{ page_size: 20_000 }, 'page_size', /10000 or less/],
    [{ max_jobs_in_flight: 9 }, 'max_jobs_in_flight', /5 or less/],
    [{ start_date: '01/11/2026' }, 'start_date', /YYYY-MM-DD/],
    [{ client_secret: '' }, 'client_secret', /must not be empty/],
    [{ extra: 1 }, '', /extra/],
  ])('rejects %j naming the field', (patch, field, message) => {
    const result = GenesysConfig.safeParse({ ...base, ...patch });
    expect(result.success).toBe(false);
    const issue = result.error!.issues[0]!;
    if (field) expect(issue.path.join('.')).toBe(field);
    expect(`${issue.message} ${JSON.stringify(issue)}`).toMatch(message);
  });
});
