import { describe, expect, it } from 'vitest';

import { Api, ApiProblem, problemReasons, sameOriginPath } from './api';

function fakeFetch(pages: Record<string, unknown>, calls: string[]) {
  return (async (input: RequestInfo | URL) => {
    const path = String(input);
    calls.push(path);
    const body = pages[path];
    if (body === undefined) {
      return new Response(JSON.stringify({ title: 'Not found', status: 404, detail: `no ${path}` }), {
        status: 404,
        headers: { 'content-type': 'application/problem+json' },
      });
    }
    return new Response(JSON.stringify(body), { status: 200 });
  }) as typeof fetch;
}

describe('Api', () => {
  it('follows next links until the last page, staying on our origin', async () => {
    const calls: string[] = [];
    const first = '/ogc/collections/sites/items?limit=10000';
    const second = '/ogc/collections/sites/items?limit=10000&offset=1';
    const api = new Api(
      fakeFetch(
        {
          [first]: {
            features: [{ type: 'Feature', id: 'S1', properties: {}, geometry: null }],
            links: [{ rel: 'next', href: `http://elsewhere.example${second}` }],
          },
          [second]: { features: [{ type: 'Feature', id: 'S2', properties: {}, geometry: null }], links: [] },
        },
        calls,
      ),
    );
    const all = await api.features('sites');
    expect(all.features.map((f) => f.id)).toEqual(['S1', 'S2']);
    expect(calls).toEqual([first, second]);
  });

  it('turns a problem document into an ApiProblem with its detail', async () => {
    const api = new Api(fakeFetch({}, []));
    const error = await api.locate(121.4, 37.5).catch((e) => e);
    expect(error).toBeInstanceOf(ApiProblem);
    expect(error.status).toBe(404);
    expect(error.message).toContain('/api/v1/locate?lon=121.4000000&lat=37.5000000');
  });

  it('keeps only path and query of a link', () => {
    expect(sameOriginPath('https://a.example:9/ogc/x?limit=2&offset=4')).toBe('/ogc/x?limit=2&offset=4');
    expect(sameOriginPath('/ogc/x')).toBe('/ogc/x');
  });
});

describe('problemReasons', () => {
  it('names each field without the body prefix, and keeps data-file problems whole', () => {
    const reasons = problemReasons({
      errors: [
        { pointer: '/body/properties/population', reason: 'invalid value', reason_zh: '取值无效' },
        { pointer: '/layer', reason: 'required' },
      ],
      problems: [{ message_zh: 'sites.csv 第 1 条（字段 kind）：缺少必填字段 kind' }],
    });
    expect(reasons).toEqual(['population：取值无效', '/layer：required', 'sites.csv 第 1 条（字段 kind）：缺少必填字段 kind']);
    expect(problemReasons({})).toEqual([]);
  });

  it('travels on the ApiProblem of a refused request', async () => {
    const refusing = (async () =>
      new Response(JSON.stringify({ title: 'Invalid', detail: 'd', errors: [{ pointer: '/body/name', reason: 'r', reason_zh: '缺少' }] }), {
        status: 400,
      })) as unknown as typeof fetch;
    const problem = await new Api(refusing).health().catch((e: unknown) => e);
    expect(problem).toBeInstanceOf(ApiProblem);
    expect((problem as ApiProblem).reasons).toEqual(['name：缺少']);
  });
});
