// The services' fixed words as plain lists, without TypeBox: a phone page that only needs the
// lists (the life events to browse by, the tags to count) does not download the schema library.
// services.ts builds the schemas from them.
export const SERVICE_TAGS = ['immediate', 'atMostOneTrip', 'zeroTrip', 'nearby', 'fullyOnline'] as const;

export const SERVICE_PLACES = ['county', 'townshipHall', 'postalHall', 'online'] as const;

export const LIFE_EVENTS = [
  'startingBusiness',
  'havingChild',
  'oldAge',
  'farmingSubsidies',
  'housing',
  'jobs',
  'health',
  'education',
] as const;

export const APPLICATION_STATES = ['submitted', 'accepted', 'moreMaterials', 'approved', 'refused', 'delivered'] as const;

export const DELIVERIES = ['collect', 'mail'] as const;

export const APPLICATION_VIEWS = ['mine', 'queue', 'scope'] as const;

export const APPLICATION_ACTIONS = ['accept', 'askMaterials', 'resubmit', 'approve', 'refuse', 'deliver'] as const;
