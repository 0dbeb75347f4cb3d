// The item fields of docs/content-format.md, one row each: key, type, the kinds that
// have it (A O V E G C), whether required there, and the label in fi/sv/en.  The
// editor draws from this table; the server validates with the content module, so a
// field missing here is only missing from the form, never accepted unchecked.
export const KINDS = ['association', 'opportunity', 'venue', 'event', 'grant', 'contact'];
export const KIND_LETTER = { association: 'A', opportunity: 'O', venue: 'V', event: 'E', grant: 'G', contact: 'C' };
export const KIND_LABEL = {
  association: ['Yhdistys', 'Förening', 'Association'],
  opportunity: ['Vapaaehtoistehtävä', 'Frivilliguppdrag', 'Volunteer opportunity'],
  venue: ['Tila', 'Lokal', 'Venue'],
  event: ['Tapahtuma', 'Evenemang', 'Event'],
  grant: ['Avustus', 'Bidrag', 'Grant'],
  contact: ['Yhteyshenkilö', 'Kontaktperson', 'Contact'],
};

const THEMES = ['children-families', 'youth', 'older-people', 'disability-illness',
  'mental-health-substance-homelessness', 'immigrants-multicultural', 'sports', 'culture',
  'residents-village-parents', 'social-health', 'environment', 'education'];
const GROUPS = ['everyone', 'children', 'youth', 'families', 'adults', 'older-people',
  'immigrants', 'disabled', 'associations', 'volunteers'];
const LANGUAGES = ['fi', 'sv', 'en', 'se', 'ru', 'et', 'ar', 'so', 'fa', 'uk', 'ku', 'zh', 'es', 'de', 'fr', 'fse', 'fss'];
const EVENT_TYPES = ['forum', 'association-evening', 'shared-event', 'workshop', 'training', 'meeting', 'other'];
const GRANT_TYPES = ['general', 'special', 'project', 'talkooraha', 'event', 'production',
  'culture', 'sports', 'youth', 'social-health', 'startup', 'other'];

// type: text (fi/sv/en), long (fi/sv/en, several lines), string, date, datetime, int,
// enum (one of list), set (any of list), ref (an item id)
export const FIELDS = [
  { key: 'name', type: 'text', kinds: 'AOVEGC', req: 'AOVEGC', label: ['Nimi', 'Namn', 'Name'] },
  { key: 'description', type: 'long', kinds: 'AOVEGC', label: ['Kuvaus', 'Beskrivning', 'Description'] },
  { key: 'themes', type: 'set', list: THEMES, kinds: 'AOVEGC', label: ['Teemat', 'Teman', 'Themes'] },
  { key: 'target_groups', type: 'set', list: GROUPS, kinds: 'AOVEG', label: ['Kohderyhmät', 'Målgrupper', 'Target groups'] },
  { key: 'languages', type: 'set', list: LANGUAGES, kinds: 'AOVE', label: ['Palvelukielet', 'Språk', 'Languages served'] },
  { key: 'organiser', type: 'ref', kinds: 'OE', label: ['Järjestäjä (yhdistyksen tunnus)', 'Arrangör (föreningens id)', 'Organiser (association id)'] },
  { key: 'venue', type: 'ref', kinds: 'OE', label: ['Tila (tilan tunnus)', 'Lokal (lokalens id)', 'Venue (venue id)'] },
  { key: 'event_type', type: 'enum', list: EVENT_TYPES, kinds: 'E', label: ['Tapahtuman tyyppi', 'Typ av evenemang', 'Event type'] },
  { key: 'start', type: 'datetime', kinds: 'E', req: 'E', label: ['Alkaa', 'Börjar', 'Starts'] },
  { key: 'end', type: 'datetime', kinds: 'E', label: ['Päättyy', 'Slutar', 'Ends'] },
  { key: 'when', type: 'text', kinds: 'O', label: ['Milloin', 'När', 'When'] },
  { key: 'time_needed', type: 'text', kinds: 'O', label: ['Aikaa tarvitaan', 'Tidsåtgång', 'Time needed'] },
  { key: 'suits', type: 'text', kinds: 'O', label: ['Sopii', 'Passar', 'Suits'] },
  { key: 'price', type: 'enum', list: ['free', 'low-cost', 'rented'], kinds: 'V', req: 'V', label: ['Hinta', 'Pris', 'Price'] },
  { key: 'capacity', type: 'int', kinds: 'V', label: ['Henkilömäärä', 'Kapacitet', 'Capacity'] },
  { key: 'equipment', type: 'long', kinds: 'V', label: ['Varustus', 'Utrustning', 'Equipment'] },
  { key: 'booking', type: 'long', kinds: 'V', label: ['Varaaminen', 'Bokning', 'Booking'] },
  { key: 'grant_type', type: 'enum', list: GRANT_TYPES, kinds: 'G', label: ['Avustuksen tyyppi', 'Typ av bidrag', 'Grant type'] },
  { key: 'deadline', type: 'date', kinds: 'G', label: ['Hakuaika päättyy', 'Sista ansökningsdag', 'Deadline'] },
  { key: 'amount', type: 'text', kinds: 'G', label: ['Summa', 'Belopp', 'Amount'] },
  { key: 'who_can_apply', type: 'long', kinds: 'G', label: ['Kuka voi hakea', 'Vem kan söka', 'Who can apply'] },
  { key: 'criteria', type: 'long', kinds: 'G', label: ['Perusteet', 'Kriterier', 'Criteria'] },
  { key: 'role', type: 'text', kinds: 'C', label: ['Tehtävä', 'Roll', 'Role'] },
  { key: 'unit', type: 'text', kinds: 'C', label: ['Yksikkö', 'Enhet', 'Unit'] },
  { key: 'meeting_place', type: 'text', kinds: 'A', label: ['Kokoontumispaikka', 'Mötesplats', 'Meeting place'] },
  { key: 'address', type: 'text', kinds: 'AOVEC', label: ['Osoite', 'Adress', 'Address'] },
  { key: 'directions', type: 'long', kinds: 'VE', label: ['Kulkuohjeet', 'Vägbeskrivning', 'Directions'] },
  { key: 'opening_hours', type: 'text', kinds: 'AVC', label: ['Aukioloajat', 'Öppettider', 'Opening hours'] },
  { key: 'accessibility', type: 'long', kinds: 'AVE', label: ['Esteettömyys', 'Tillgänglighet', 'Accessibility'] },
  { key: 'contact_name', type: 'string', kinds: 'AOVEGC', label: ['Yhteyshenkilön nimi', 'Kontaktpersonens namn', 'Contact name'] },
  { key: 'phone', type: 'string', kinds: 'AOVEGC', label: ['Puhelin', 'Telefon', 'Phone'] },
  { key: 'email', type: 'string', kinds: 'AOVEGC', label: ['Sähköposti', 'E-post', 'Email'] },
  { key: 'web', type: 'string', kinds: 'AOVEGC', label: ['Verkkosivu', 'Webbsida', 'Web page'] },
  { key: 'signup_url', type: 'string', kinds: 'OE', label: ['Ilmoittautumisosoite', 'Anmälningsadress', 'Sign-up address'] },
  { key: 'signup_how', type: 'text', kinds: 'OE', label: ['Miten ilmoittaudutaan', 'Hur man anmäler sig', 'How to sign up'] },
  { key: 'contact_person', type: 'ref', kinds: 'AOVEG', label: ['Yhteyshenkilö (tunnus)', 'Kontaktperson (id)', 'Contact person (id)'] },
];

export function fieldsOf(kind) {
  const l = KIND_LETTER[kind];
  return FIELDS.filter((f) => f.kinds.includes(l));
}
