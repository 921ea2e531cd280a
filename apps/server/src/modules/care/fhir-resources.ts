// FHIR R4 resources as Cunzhi reads and writes them, kept pure so the rules can be tested alone:
// an Observation posted in (checked, turned into a reading), a stored reading out (an Observation
// in the vital-signs profile where it is one), elders as Patients, searchset Bundles, and the search
// parameters `code` (token) and `date` (with prefixes). http://hl7.org/fhir/R4/
import { toIso } from '../../platform/time.ts';
import type { Elder } from './care-elders.repository.ts';
import type { StoredReading } from './care-ingest.repository.ts';
import type { PatientReading } from './care-ingest.service.ts';
import type { ReadingKind } from './care-rules.ts';

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
const CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';
/** Events a bracelet reports that LOINC has no observation code for. */
export const EVENT_SYSTEM = 'https://cunzhi.org/fhir/CodeSystem/care-event';

type Coding = { system?: string; code?: string; display?: string };
type Quantity = { value?: unknown; unit?: string; system?: string; code?: string };

export type ObservationIn = {
  resourceType?: unknown;
  identifier?: unknown;
  status?: unknown;
  code?: { coding?: Coding[] };
  subject?: { reference?: unknown };
  device?: { reference?: unknown };
  effectiveDateTime?: unknown;
  valueQuantity?: Quantity;
  component?: { code?: { coding?: Coding[] }; valueQuantity?: Quantity }[];
};

/** What each code we store stands for: its kind, its system, how it is shown, and its UCUM unit. */
const CODES = {
  '85354-9': { kind: 'bloodPressure', system: LOINC, display: 'Blood pressure panel with all children optional', category: 'vital-signs' },
  '8867-4': { kind: 'heartRate', system: LOINC, display: 'Heart rate', category: 'vital-signs', unit: '/min' },
  '15074-8': { kind: 'glucose', system: LOINC, display: 'Glucose [Moles/volume] in Blood', category: 'laboratory', unit: 'mmol/L' },
  fall: { kind: 'fall', system: EVENT_SYSTEM, display: 'Fall detected by the bracelet', category: undefined },
  sos: { kind: 'sos', system: EVENT_SYSTEM, display: 'SOS button pressed', category: undefined },
} as const;
type StoredCode = keyof typeof CODES;
/** Posted in mg/dL; kept (and shown) as 15074-8 in mmol/L like the other glucose readings. */
const GLUCOSE_MASS = '2339-0';
const SYSTOLIC = '8480-6';
const DIASTOLIC = '8462-4';
const MM_HG = 'mm[Hg]';

/** The profile a stored kind conforms to (observation-vitalsigns.html: BP and heart rate). */
const PROFILES: Partial<Record<ReadingKind, string>> = {
  bloodPressure: 'http://hl7.org/fhir/StructureDefinition/bp',
  heartRate: 'http://hl7.org/fhir/StructureDefinition/heartrate',
};

const codeOf = (concept: { coding?: Coding[] } | undefined, systems: string[]) =>
  concept?.coding?.find((c) => c && typeof c.system === 'string' && systems.includes(c.system))?.code;

const numberOf = (quantity: Quantity | undefined) =>
  typeof quantity?.value === 'number' && Number.isFinite(quantity.value) ? quantity.value : undefined;

/** A unit given in UCUM must be the one the code is measured in; other unit systems are not converted. */
function unitProblem(quantity: Quantity | undefined, expected: string): string | undefined {
  if (quantity?.system === undefined && quantity?.code === undefined) return undefined;
  if (quantity.system !== UCUM || quantity.code !== expected) return `valueQuantity must be in UCUM ${expected}`;
  return undefined;
}

// A FHIR dateTime with a time SHALL carry a time zone (datatypes.html#dateTime); a reading needs the time.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const REFERENCE_ID = /^[A-Za-z0-9\-.]{1,64}$/;
// A FHIR string has no control characters but tab and line breaks (datatypes.html#string); an
// identifier has none at all (the batch route refuses them in a reading's id likewise).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse them
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Said of a value the code does not measure; the same words as the batch route's unexpected_value. */
export const UNEXPECTED_VALUE = 'The observation carries a value its kind does not have';

export type ParsedObservation = { subject: string; reading: PatientReading };

/**
 * The reading an Observation carries, or why it cannot be one (a fixed sentence that never repeats
 * what was sent). observation.html: status, code, subject, effective[x] and value[x] or component.
 */
export function parseObservation(obs: ObservationIn): ParsedObservation | string {
  if (obs === null || typeof obs !== 'object' || obs.resourceType !== 'Observation') return 'resourceType must be Observation';
  if (typeof obs.status !== 'string' || !['final', 'amended', 'corrected', 'preliminary'].includes(obs.status))
    return 'status must be final, amended, corrected or preliminary';
  const subjectRef = obs.subject?.reference;
  const subject = typeof subjectRef === 'string' ? subjectRef.match(/^Patient\/(.+)$/)?.[1] : undefined;
  if (!subject || !REFERENCE_ID.test(subject)) return 'subject must reference a Patient (Patient/[id])';
  let device: string | undefined;
  if (obs.device !== undefined) {
    const ref = obs.device?.reference;
    device = typeof ref === 'string' ? ref.match(/^Device\/(.+)$/)?.[1] : undefined;
    if (!device || device.length > 64) return 'device, when given, must reference a Device by its serial (Device/[serial])';
  }
  if (
    typeof obs.effectiveDateTime !== 'string' ||
    !DATE_TIME.test(obs.effectiveDateTime) ||
    Number.isNaN(Date.parse(obs.effectiveDateTime))
  )
    return 'effectiveDateTime is required, to the second and with a time zone';
  let key: string | undefined;
  if (obs.identifier !== undefined) {
    const first = Array.isArray(obs.identifier) ? (obs.identifier[0] as { system?: unknown; value?: unknown } | undefined) : undefined;
    const { system, value } = first ?? {};
    if (
      typeof value !== 'string' ||
      value.length === 0 ||
      value.length > 128 ||
      CONTROL.test(value) ||
      (system !== undefined && (typeof system !== 'string' || system.length > 200 || CONTROL.test(system)))
    )
      return 'identifier must be a list whose first entry has a value (and a system) of reasonable length, without control characters';
    // system|value: the token form of an identifier (search.html#token); the pair is what identifies.
    key = system ? `${system}|${value}` : value;
  }
  const code = codeOf(obs.code, [LOINC, EVENT_SYSTEM]);
  const base = { at: obs.effectiveDateTime, device, key };
  // What the code does not measure is refused, not dropped (as the batch route's unexpected_value):
  // the blood pressure profile prohibits value[x] (observation-vitalsigns.html), a single measure has
  // no components, and an event (fall, sos) has neither.
  const hasValue = obs.valueQuantity !== undefined;
  const hasComponents = obs.component !== undefined;
  if ((code === '85354-9' && hasValue) || (code !== '85354-9' && hasComponents) || ((code === 'fall' || code === 'sos') && hasValue))
    return UNEXPECTED_VALUE;
  if (code === '85354-9') {
    const part = (loinc: string) => obs.component?.find((c) => codeOf(c?.code, [LOINC]) === loinc)?.valueQuantity;
    const systolic = numberOf(part(SYSTOLIC));
    const diastolic = numberOf(part(DIASTOLIC));
    if (systolic === undefined || diastolic === undefined)
      return 'a blood pressure panel needs components 8480-6 (systolic) and 8462-4 (diastolic) with values';
    const unit = unitProblem(part(SYSTOLIC), MM_HG) ?? unitProblem(part(DIASTOLIC), MM_HG);
    if (unit) return unit;
    return { subject, reading: { ...base, kind: 'bloodPressure', value: systolic, value2: diastolic } };
  }
  if (code === 'fall' || code === 'sos') return { subject, reading: { ...base, kind: code } };
  const value = numberOf(obs.valueQuantity);
  if (code === '8867-4' || code === '15074-8' || code === GLUCOSE_MASS) {
    if (value === undefined) return 'valueQuantity.value is required';
    if (code === GLUCOSE_MASS) {
      const unit = unitProblem(obs.valueQuantity, 'mg/dL');
      if (unit) return unit;
      return { subject, reading: { ...base, kind: 'glucose', value: Math.round((value / 18.016) * 10) / 10 } };
    }
    const unit = unitProblem(obs.valueQuantity, CODES[code].unit);
    if (unit) return unit;
    return { subject, reading: { ...base, kind: CODES[code].kind, value } };
  }
  return 'code must be LOINC 85354-9, 8867-4, 15074-8 or 2339-0, or a care event (fall, sos)';
}

/** The kinds of reading shown as Observations. */
export const OBSERVED_KINDS: ReadingKind[] = ['bloodPressure', 'heartRate', 'glucose', 'fall', 'sos'];
const CODE_OF_KIND = Object.fromEntries(Object.entries(CODES).map(([code, c]) => [c.kind, code as StoredCode])) as Record<
  string,
  StoredCode
>;

const quantity = (value: number | null, unit: string) => ({ value, unit, system: UCUM, code: unit });

/** A stored reading as an Observation: vital signs in their profile, with UCUM units and category. */
export function presentObservation(r: StoredReading) {
  const code = CODE_OF_KIND[r.kind] as StoredCode;
  const meaning = CODES[code];
  // Readings a record system sent without a device keep the sender's identifier (system|value).
  const sent = r.deviceId.startsWith('record:') && r.readingKey !== `${r.kind}@${r.at}` ? r.readingKey : undefined;
  const split = sent?.indexOf('|') ?? -1;
  const profile = PROFILES[r.kind as ReadingKind];
  return {
    resourceType: 'Observation',
    id: r.id,
    meta: { lastUpdated: toIso(r.receivedAt), ...(profile && { profile: [profile] }) },
    ...(sent && { identifier: [split > 0 ? { system: sent.slice(0, split), value: sent.slice(split + 1) } : { value: sent }] }),
    status: 'final',
    ...(meaning.category && {
      category: [
        {
          coding: [{ system: CATEGORY_SYSTEM, code: meaning.category }],
          text: meaning.category === 'vital-signs' ? 'Vital Signs' : 'Laboratory',
        },
      ],
    }),
    code: { coding: [{ system: meaning.system, code, display: meaning.display }], text: meaning.display },
    subject: { reference: `Patient/${r.elderPersonId}` },
    effectiveDateTime: toIso(r.at),
    ...(r.kind === 'bloodPressure'
      ? {
          component: [
            {
              code: { coding: [{ system: LOINC, code: SYSTOLIC, display: 'Systolic blood pressure' }] },
              valueQuantity: quantity(r.value1, MM_HG),
            },
            {
              code: { coding: [{ system: LOINC, code: DIASTOLIC, display: 'Diastolic blood pressure' }] },
              valueQuantity: quantity(r.value2, MM_HG),
            },
          ],
        }
      : 'unit' in meaning && { valueQuantity: quantity(r.value1, meaning.unit) }),
  };
}

export const presentPatient = (elder: Elder) => ({
  resourceType: 'Patient',
  id: elder.personId,
  active: true,
  name: [{ text: elder.name }],
  extension: [{ url: 'https://cunzhi.org/fhir/StructureDefinition/living-situation', valueString: elder.livingSituation }],
});

/** A searchset Bundle (bundle.html#searchset): every entry a match, with its full URL. */
export function searchset(base: string, self: string, resources: { resourceType: string; id: string }[]) {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    link: [{ relation: 'self', url: self }],
    entry: resources.map((resource) => ({
      fullUrl: `${base}/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}

/**
 * The kinds a `code` search names (search.html#token): each comma-separated value is `code`,
 * `system|code` or `|code` (no system, which none of ours lacks). Codes we do not store match nothing.
 */
export function kindsForCodes(values: string[]): ReadingKind[] {
  const kinds = new Set<ReadingKind>();
  for (const value of values.flatMap((v) => v.split(','))) {
    const bar = value.indexOf('|');
    const code = (bar < 0 ? value : value.slice(bar + 1)) as StoredCode;
    const meaning = Object.hasOwn(CODES, code) ? CODES[code] : undefined;
    if (!meaning) continue;
    if (bar >= 0 && value.slice(0, bar) !== meaning.system) continue;
    kinds.add(meaning.kind);
  }
  return [...kinds];
}

const SHANGHAI = '+08:00';
const DATE_VALUE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/**
 * The range [start, end) a date search value stands for, by its precision (search.html#date: a date
 * is an implicit range; 2026-11 is the whole month). Without a time zone the server's own (Asia/Shanghai).
 */
export function dateRange(text: string): { start: number; end: number } | undefined {
  const m = text.match(DATE_VALUE);
  if (!m) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = m;
  const tz = zone ?? SHANGHAI;
  const iso = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
    Date.parse(
      `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')}${tz}`,
    );
  const y = Number(year);
  if (month === undefined) return { start: iso(y, 1, 1), end: iso(y + 1, 1, 1) };
  const mo = Number(month);
  if (mo < 1 || mo > 12) return undefined;
  if (day === undefined) return { start: iso(y, mo, 1), end: mo === 12 ? iso(y + 1, 1, 1) : iso(y, mo + 1, 1) };
  const d = Number(day);
  const start = iso(y, mo, d, Number(hour ?? 0), Number(minute ?? 0), Number(second ?? 0));
  if (Number.isNaN(start) || new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return undefined;
  if (hour === undefined) return { start, end: start + 86_400_000 };
  if (second === undefined) return { start, end: start + 60_000 };
  if (fraction === undefined) return { start, end: start + 1000 };
  const ms = Math.round(Number(fraction) * 1000);
  return { start: start + ms, end: start + ms + 1 };
}

/**
 * The window of `date` searches taken together (each value narrows it: date=ge2026-11-01&date=lt2026-12-01).
 * Readings are points in time, so sa and eb read as gt and lt; ne and ap are not supported.
 */
export function dateWindow(values: string[]): { since: number; until?: number } | string {
  let since = 0;
  let until: number | undefined;
  for (const value of values) {
    const m = value.match(/^(eq|ne|gt|lt|ge|le|sa|eb|ap)?(.*)$/) as RegExpMatchArray;
    const prefix = m[1] ?? 'eq';
    if (prefix === 'ne' || prefix === 'ap') return 'date prefixes ne and ap are not supported';
    const range = dateRange(m[2] as string);
    if (!range) return 'date must be a FHIR date or dateTime, optionally with a prefix (eq, gt, ge, lt, le, sa, eb)';
    const lower = prefix === 'eq' || prefix === 'ge' ? range.start : prefix === 'gt' || prefix === 'sa' ? range.end : undefined;
    const upper = prefix === 'eq' || prefix === 'le' ? range.end : prefix === 'lt' || prefix === 'eb' ? range.start : undefined;
    if (lower !== undefined) since = Math.max(since, lower);
    if (upper !== undefined) until = until === undefined ? upper : Math.min(until, upper);
  }
  return { since, until };
}
