import type { RunningStack } from '../../../libs/dev-servers/index.js';
import { osloDateOf } from '../../../libs/domain/package/clock.js';
import { demoPlan, FINNMARK_DEMO_COUNT, finnmarkDemoPlan } from './demo-plan.js';
import { join } from 'node:path';
import {
  hasPlacements,
  loadDemoRegions,
  readDemoMarker,
  seedDemoData,
  writeDemoMarker,
  type DemoMarker,
  type SeedSummary,
} from './demo-seed.js';
import { seedKompetansebaseDemo } from './demo-kompetansebase.js';

/*
 * `npm start`'s demo data: on a first start with an empty database, realistic placements are sent
 * through the API in the background (the addresses are printed first; the log says how far it got). A
 * marker in the data directory remembers the seeding (`demo-data.json`): done, nothing more; started
 * but interrupted, the same commands are sent again (repeats add nothing) and the rest after them.
 * Finnmark's demo placements (Alta) follow, remembered in the same marker: a data directory seeded before
 * they existed gets them on its next start.
 */

const say = (text: string) => console.log(`Demodata: ${text}`);

export function summaryLine(s: SeedSummary): string {
  return (
    `${s.placements} plasseringer (${s.registered} nye) i fire tjenester i to læringsnettverk; ` +
    `${s.onTime} oppgaver gjort i tide, ${s.late} for sent, ${s.waived} frafalt, ${s.overdue} forfalt og åpne, ` +
    `${s.ended} plasseringer avsluttet (${Math.round(s.ms / 100) / 10} s)`
  );
}

export function startDemoData(options: {
  enabled: boolean;
  count: number;
  dataDir: string;
  stack: RunningStack;
}): void {
  if (!options.enabled) {
    say('av (DEMO_DATA=off eller --no-demo).');
    return;
  }
  /** The demo network's kompetansebase orders, after the placements; remembered in the marker. */
  const kompetansebase = async (marker: DemoMarker) => {
    const kbAnchor = marker.kompetansebase?.anchor ?? osloDateOf(Date.now());
    const kb = await seedKompetansebaseDemo(options.stack.apiUrl, kbAnchor);
    writeDemoMarker(options.dataDir, { ...marker, kompetansebase: { anchor: kbAnchor, state: 'done' } });
    say(
      `kompetansebasen: ${kb.orders} bestillinger (${kb.accepted} tatt imot, ${kb.waiting} venter, ` +
        `${kb.declined} avslått).`,
    );
  };
  void (async () => {
    // The regions' files first (every start: a database from before a region's file gets it).
    const regions = await loadDemoRegions(options.stack.apiUrl, join(process.cwd(), 'data', 'regions'));
    say(`regioner: ${regions.join(', ') || 'ingen filer'}.`);
    const marker = readDemoMarker(options.dataDir);
    if (marker?.state === 'done' && marker.finnmark?.state === 'done' && marker.kompetansebase) {
      say(
        `lagt inn ${marker.anchor} (${marker.count} plasseringer; Finnmark: ${marker.finnmark.count} i Alta).`,
      );
      return;
    }
    if (!marker && (await hasPlacements(options.stack.databaseUrl))) {
      say('ingen: databasen har plasseringer fra før. Slett .data (eller velg en ny DATA_DIR) for demodata.');
      return;
    }
    const anchor = marker?.anchor ?? osloDateOf(Date.now());
    const count = marker?.count ?? options.count;
    if (marker?.state !== 'done') {
      writeDemoMarker(options.dataDir, { anchor, count, state: 'started' });
      say(
        `${marker ? 'fortsetter med' : 'lager'} ${count} plasseringer gjennom API-et i bakgrunnen ` +
          '(vent med læringsnettverkets side til det er ferdig: et publisert kvartal endres ikke etterpå) …',
      );
      const plan = demoPlan({ anchor, count });
      let reported = 0;
      const summary = await seedDemoData({
        apiUrl: options.stack.apiUrl,
        plan,
        onProgress: (stage, done, total) => {
          const step = Math.max(25, Math.ceil(total / 6));
          if (done === total || done - reported >= step) {
            reported = done === total ? 0 : done;
            say(
              `${done}/${total} ${stage === 'registered' ? 'registrert' : 'frafall og avslutninger sendt'}`,
            );
          }
        },
      });
      writeDemoMarker(options.dataDir, { anchor, count, state: 'done' });
      say(`ferdig: ${summaryLine(summary)}.`);
    }

    // Finnmark: Alta's placements, as Finnmark's demo users (the region's file is loaded above).
    const finnmark = {
      anchor: marker?.finnmark?.anchor ?? osloDateOf(Date.now()),
      count: marker?.finnmark?.count ?? FINNMARK_DEMO_COUNT,
    };
    if (marker?.finnmark?.state === 'done') {
      await kompetansebase(marker);
      return;
    }
    writeDemoMarker(options.dataDir, {
      anchor,
      count,
      state: 'done',
      finnmark: { ...finnmark, state: 'started' },
    });
    say(
      `Finnmark: lager ${finnmark.count} plasseringer i Alta barneverntjeneste (vent med Vest-Finnmarks ` +
        'side til det er ferdig) …',
    );
    const altaSummary = await seedDemoData({
      apiUrl: options.stack.apiUrl,
      plan: finnmarkDemoPlan(finnmark.anchor, finnmark.count),
    });
    const seeded: DemoMarker = { anchor, count, state: 'done', finnmark: { ...finnmark, state: 'done' } };
    writeDemoMarker(options.dataDir, seeded);
    say(
      `Finnmark ferdig: ${altaSummary.placements} plasseringer (${altaSummary.registered} nye) i Alta; ` +
        `${altaSummary.onTime} oppgaver gjort i tide, ${altaSummary.late} for sent, ${altaSummary.waived} frafalt.`,
    );
    await kompetansebase(seeded);
    say(
      'logg inn som demo-laeringsnettverksleder, demo-leder, demo-fjord-nettverksleder, ' +
        'demo-finnmark-leder, demo-finnmark-nettverksleder, demo-kb-leder eller demo-kb-veileder.',
    );
  })().catch((error: unknown) => {
    console.error(`Demodata: stoppet: ${error instanceof Error ? error.message : String(error)}`);
    console.error(
      'Demodata: neste npm start fortsetter der den stoppet (eller slett datakatalogen for å begynne på nytt).',
    );
  });
}
