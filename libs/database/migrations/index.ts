import { EventStore1763900000000 } from './1763900000000-event-store.js';
import { ReadModels1763950000000 } from './1763950000000-read-models.js';
import { AccessLog1764000000000 } from './1764000000000-access-log.js';
import { ReferenceData1764050000000 } from './1764050000000-reference-data.js';
import { PersonalData1764070000000 } from './1764070000000-personal-data.js';
import { AccessLogDetail1764080000000 } from './1764080000000-access-log-detail.js';
import { InboxIndexes1764100000000 } from './1764100000000-inbox-indexes.js';
import { Notifications1764200000000 } from './1764200000000-notifications.js';
import { Adherence1764300000000 } from './1764300000000-adherence.js';
import { AdherenceFollowup1764400000000 } from './1764400000000-adherence-followup.js';
import { AccessLogListings1764410000000 } from './1764410000000-access-log-listings.js';
import { InboxRoleIndex1764420000000 } from './1764420000000-inbox-role-index.js';
import { AdherenceChanges1764430000000 } from './1764430000000-adherence-changes.js';
import { AdherencePublications1764460000000 } from './1764460000000-adherence-publications.js';
import { StatutoryLedgerVersions1764470000000 } from './1764470000000-statutory-ledger-versions.js';
import { PeopleNames1764480000000 } from './1764480000000-people-names.js';
import { AccessLogPlacement1764500000000 } from './1764500000000-access-log-placement.js';
import { AdherenceFollows1764990000000 } from './1764990000000-adherence-follows.js';
import { ServiceClosureDays1764995000000 } from './1764995000000-service-closure-days.js';
import { StatutoryRuleReplay1765000000000 } from './1765000000000-statutory-rule-replay.js';
import { CaseNumbers1765100000000 } from './1765100000000-case-numbers.js';
import { OverdueAtRegistration1765200000000 } from './1765200000000-overdue-at-registration.js';
import { WaiverRequests1765310000000 } from './1765310000000-waiver-requests.js';
import { PeopleDirectory1765340000000 } from './1765340000000-people-directory.js';
import { RateLimitWindows1765350000000 } from './1765350000000-rate-limit-windows.js';
import { EventsAppendedNotify1765420000000 } from './1765420000000-events-appended-notify.js';
import { RateLimitLeases1765430000000 } from './1765430000000-rate-limit-leases.js';
import { Regions1765440000000 } from './1765440000000-regions.js';
import { CouncilReports1765450000000 } from './1765450000000-council-reports.js';
import { Kompetansebaser1765460000000 } from './1765460000000-kompetansebaser.js';
import { KompetansebaseAssignments1765461000000 } from './1765461000000-kompetansebase-assignments.js';
import { KompetansebaseOrderTexts1765490000000 } from './1765490000000-kompetansebase-order-texts.js';
import { InboxCases1765500000000 } from './1765500000000-inbox-cases.js';
import { AssignmentNotifications1765501000000 } from './1765501000000-assignment-notifications.js';
import { CommandRequests1765520000000 } from './1765520000000-command-requests.js';
import { BufetatOffices1765530000000 } from './1765530000000-bufetat-offices.js';
import { CommandRequestsExpiry1765540000000 } from './1765540000000-command-requests-expiry.js';

/** Every migration, in order. Schema changes happen only here (never `synchronize`). */
export const migrations = [
  EventStore1763900000000,
  ReadModels1763950000000,
  AccessLog1764000000000,
  ReferenceData1764050000000,
  PersonalData1764070000000,
  AccessLogDetail1764080000000,
  InboxIndexes1764100000000,
  Notifications1764200000000,
  Adherence1764300000000,
  AdherenceFollowup1764400000000,
  AccessLogListings1764410000000,
  InboxRoleIndex1764420000000,
  AdherenceChanges1764430000000,
  AdherencePublications1764460000000,
  StatutoryLedgerVersions1764470000000,
  PeopleNames1764480000000,
  AccessLogPlacement1764500000000,
  AdherenceFollows1764990000000,
  ServiceClosureDays1764995000000,
  StatutoryRuleReplay1765000000000,
  CaseNumbers1765100000000,
  OverdueAtRegistration1765200000000,
  WaiverRequests1765310000000,
  PeopleDirectory1765340000000,
  RateLimitWindows1765350000000,
  EventsAppendedNotify1765420000000,
  RateLimitLeases1765430000000,
  Regions1765440000000,
  CouncilReports1765450000000,
  Kompetansebaser1765460000000,
  KompetansebaseAssignments1765461000000,
  KompetansebaseOrderTexts1765490000000,
  InboxCases1765500000000,
  AssignmentNotifications1765501000000,
  CommandRequests1765520000000,
  BufetatOffices1765530000000,
  CommandRequestsExpiry1765540000000,
];
