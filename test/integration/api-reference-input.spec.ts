import { randomUUID } from 'node:crypto';
import { DEMO_NETWORK } from '../../libs/security/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { anyString, referenceApi } from '../support/reference.js';

/*
 * Bad input to the administrators' reference-data writes: 400 problem+json naming the field, in
 * Norwegian, and nothing changed.
 */
describe('reference data API', () => {
  let api: TestApi;
  const { admin, load, municipalityId, serviceNamed, snapshot, expectProblem } = referenceApi(() => api);

  beforeAll(async () => {
    api = await startTestApi();
    await load();
  });
  afterAll(() => api?.close());

  describe('writes', () => {
    describe('bad input: 400 problem+json naming the field, nothing changed', () => {
      const valid = () => ({
        name: 'Testtjeneste',
        hostMunicipalityId: municipalityId('Heim'),
        memberMunicipalityIds: [municipalityId('Heim')],
        networkId: null as string | null,
      });
      const serviceCases: [string, () => unknown, string][] = [
        ['unknown field', () => ({ ...valid(), municipality: 'Heim' }), 'municipality'],
        ['networkId missing', () => ({ ...valid(), networkId: undefined }), 'networkId'],
        ['name empty after trimming', () => ({ ...valid(), name: '   ' }), 'name'],
        ['name too long', () => ({ ...valid(), name: 'x'.repeat(121) }), 'name'],
        ['name with a control character', () => ({ ...valid(), name: 'Test\u0000tjeneste' }), 'name'],
        ['name not text', () => ({ ...valid(), name: 42 }), 'name'],
        [
          'host not a member',
          () => ({ ...valid(), hostMunicipalityId: municipalityId('Hitra') }),
          'hostMunicipalityId',
        ],
        ['no members', () => ({ ...valid(), memberMunicipalityIds: [] }), 'memberMunicipalityIds'],
        [
          'a member twice',
          () => ({ ...valid(), memberMunicipalityIds: [municipalityId('Heim'), municipalityId('Heim')] }),
          'memberMunicipalityIds',
        ],
        [
          'members not a list',
          () => ({ ...valid(), memberMunicipalityIds: municipalityId('Heim') }),
          'memberMunicipalityIds',
        ],
        [
          'a member not a UUID',
          () => ({ ...valid(), memberMunicipalityIds: ['5055'] }),
          'memberMunicipalityIds',
        ],
        [
          'an unknown municipality',
          () => {
            const unknown = randomUUID();
            return { ...valid(), hostMunicipalityId: unknown, memberMunicipalityIds: [unknown] };
          },
          'memberMunicipalityIds',
        ],
        ['an unknown network', () => ({ ...valid(), networkId: randomUUID() }), 'networkId'],
        ['a malformed network id', () => ({ ...valid(), networkId: 'Kystregionen' }), 'networkId'],
      ];

      it.each(serviceCases)('service, %s', async (_, body, field) => {
        const before = await snapshot();
        const heim = await serviceNamed('Heim barneverntjeneste');
        for (const res of [
          await admin('post', '/api/reference/services', body()),
          await admin('put', `/api/reference/services/${heim.id}`, body()),
        ]) {
          const problem = expectProblem(res, 400);
          expect(problem).toMatchObject({
            title: 'Ugyldig forespørsel',
            detail: 'Ett eller flere felt er ugyldige.',
          });
          expect(problem.errors?.map((e) => e.field)).toContain(field);
          for (const e of problem.errors ?? []) expect(e.reason).toEqual(anyString);
        }
        expect(await snapshot()).toEqual(before);
      });

      it.each([
        ['unknown field', { name: 'Nettverk', region: 'Midt' }, 'region'],
        ['name missing', {}, 'name'],
        ['name empty', { name: '' }, 'name'],
        ['name not text', { name: ['Namdalen'] }, 'name'],
      ])('network, %s', async (_, body, field) => {
        const before = await snapshot();
        for (const res of [
          await admin('post', '/api/reference/networks', body),
          await admin('put', `/api/reference/networks/${DEMO_NETWORK}`, body),
        ])
          expect(expectProblem(res, 400).errors?.map((e) => e.field)).toContain(field);
        expect(await snapshot()).toEqual(before);
      });

      it('gives reasons in Norwegian', async () => {
        const res = await admin('post', '/api/reference/services', {
          ...valid(),
          name: '',
          memberMunicipalityIds: [],
        });
        expect(expectProblem(res, 400).errors).toEqual(
          expect.arrayContaining([
            { field: 'name', reason: 'må ha mellom 1 og 120 tegn' },
            { field: 'memberMunicipalityIds', reason: 'må ha minst én kommune' },
          ]),
        );
      });
    });
  });
});
