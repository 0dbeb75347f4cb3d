// The console's texts in Finnish, Swedish and English: one row per text, so a
// missing translation shows up as a hole in its row (and the test for it fails).
import { T_SETTINGS } from './i18n-settings.js';

const T = {
  app: ['Kioskikonsoli', 'Kioskkonsol', 'Kiosk console'],
  skip: ['Siirry sisältöön', 'Hoppa till innehållet', 'Skip to content'],
  language: ['Kieli', 'Språk', 'Language'],
  nav: ['Päävalikko', 'Huvudmeny', 'Main menu'],
  kiosks: ['Kioskit', 'Kiosker', 'Kiosks'],
  accounts: ['Käyttäjät', 'Användare', 'Accounts'],
  audit: ['Tapahtumaloki', 'Händelselogg', 'Audit log'],
  logout: ['Kirjaudu ulos', 'Logga ut', 'Log out'],
  signedInAs: ['Kirjautunut', 'Inloggad', 'Signed in as'],
  login: ['Kirjaudu sisään', 'Logga in', 'Log in'],
  name: ['Nimi', 'Namn', 'Name'],
  password: ['Salasana', 'Lösenord', 'Password'],
  errorsTitle: ['Korjaa nämä kohdat', 'Rätta följande', 'There is a problem'],
  loading: ['Ladataan…', 'Laddar…', 'Loading…'],
  role: ['Rooli', 'Roll', 'Role'],
  role_administrator: ['ylläpitäjä', 'administratör', 'administrator'],
  role_editor: ['sisällöntuottaja', 'redaktör', 'editor'],
  role_coordinator: ['koordinaattori', 'koordinator', 'coordinator'],
  role_viewer: ['katselija', 'läsare', 'viewer'],
  health: ['Tila', 'Status', 'Status'],
  h_green: ['Kunnossa', 'I ordning', 'OK'],
  h_amber: ['Tarkista', 'Kontrollera', 'Check'],
  h_red: ['Ei yhteyttä', 'Ingen kontakt', 'Not in contact'],
  h_revoked: ['Poistettu käytöstä', 'Återkallad', 'Revoked'],
  lastSeen: ['Viimeksi yhteydessä', 'Senast i kontakt', 'Last seen'],
  never: ['ei koskaan', 'aldrig', 'never'],
  version: ['Versio', 'Version', 'Version'],
  catalogRev: ['Sisältöversio', 'Innehållsversion', 'Catalog revision'],
  outbox: ['Lähettämättä', 'Osända', 'Outbox'],
  lastError: ['Viimeisin virhe', 'Senaste fel', 'Last error'],
  actions: ['Toiminnot', 'Åtgärder', 'Actions'],
  revoke: ['Poista käytöstä', 'Återkalla', 'Revoke'],
  revokeConfirm: ['Poistetaanko kioskin {0} avain käytöstä? Kioski ei voi enää synkronoida.',
    'Återkalla kiosken {0}? Den kan inte längre synkronisera.',
    'Revoke kiosk {0}? It will no longer be able to sync.'],
  addKiosk: ['Lisää kioski', 'Lägg till kiosk', 'Add a kiosk'],
  kioskName: ['Kioskin nimi', 'Kioskens namn', 'Kiosk name'],
  kioskNameHint: ['Kirjaimia, numeroita, piste, alaviiva tai yhdysviiva, enintään 64.',
    'Bokstäver, siffror, punkt, understreck eller bindestreck, högst 64.',
    'Letters, digits, dot, underscore or hyphen, up to 64.'],
  add: ['Lisää', 'Lägg till', 'Add'],
  tokenOnce: ['Kioskin {0} avain näytetään vain kerran. Kirjoita se kioskin asetuksiin tai lue QR-koodi.',
    'Nyckeln för kiosken {0} visas bara en gång. Skriv in den i kioskens inställningar eller läs QR-koden.',
    'The token of kiosk {0} is shown only once. Enter it on the kiosk or scan the QR code.'],
  qrAlt: ['Avaimen QR-koodi', 'Nyckelns QR-kod', 'QR code of the token'],
  done: ['Valmis', 'Klar', 'Done'],
  rulesTitle: ['Miten tila määräytyy', 'Hur statusen bestäms', 'How the status is decided'],
  rule_red: ['Ei yhteyttä: kioski ei ole koskaan ollut yhteydessä tai viimeisestä yhteydestä on yli 2 tuntia.',
    'Ingen kontakt: kiosken har aldrig hörts av eller inte på över 2 timmar.',
    'Not in contact: never seen, or not seen for over 2 hours.'],
  rule_amber: ['Tarkista: ei yhteyttä yli 15 minuuttiin, viimeisin synkronointi ilmoitti virheen, palvelin hylkäsi rivejä (sivuun pannut) tai yli 500 vastausta odottaa lähetystä.',
    'Kontrollera: ingen kontakt på över 15 minuter, senaste synkroniseringen rapporterade ett fel, servern vägrade rader (lagda åt sidan) eller över 500 svar väntar.',
    'Check: not seen for over 15 minutes, the last sync reported an error, the server refused rows (set aside), or over 500 responses are waiting.'],
  roleOf: ['Käyttäjän {0} rooli', 'Rollen för {0}', 'Role of {0}'],
  setAside: ['Sivuun pannut', 'Lagda åt sidan', 'Set aside'],
  rule_green: ['Kunnossa: muuten.', 'I ordning: annars.', 'OK: otherwise.'],
  noKiosks: ['Kioskeja ei ole vielä lisätty.', 'Inga kiosker har lagts till ännu.', 'No kiosks have been added yet.'],
  addAccount: ['Lisää käyttäjä', 'Lägg till användare', 'Add an account'],
  kioskLimit: ['Rajattu kioskeihin (pilkuin erotettuina, tyhjä = kaikki)',
    'Begränsad till kiosker (kommaseparerade, tomt = alla)',
    'Limited to kiosks (comma-separated, empty = all)'],
  status: ['Tila', 'Status', 'Status'],
  active: ['käytössä', 'aktiv', 'active'],
  disabled: ['estetty', 'spärrad', 'disabled'],
  disable: ['Estä', 'Spärra', 'Disable'],
  enable: ['Salli', 'Tillåt', 'Enable'],
  allKiosks: ['kaikki', 'alla', 'all'],
  pwHint: ['Vähintään 10 merkkiä.', 'Minst 10 tecken.', 'At least 10 characters.'],
  when: ['Aika', 'Tid', 'When'],
  who: ['Kuka', 'Vem', 'Who'],
  what: ['Mitä', 'Vad', 'What'],
  target: ['Kohde', 'Objekt', 'Target'],
  detail: ['Lisätieto', 'Detalj', 'Detail'],
  filterUser: ['Käyttäjä', 'Användare', 'Account'],
  filterAction: ['Toiminto alkaa', 'Åtgärden börjar med', 'Action starts with'],
  filter: ['Suodata', 'Filtrera', 'Filter'],
  older: ['Vanhemmat', 'Äldre', 'Older'],
  commandLine: ['(komentorivi)', '(kommandoraden)', '(command line)'],
  noEntries: ['Ei tapahtumia.', 'Inga händelser.', 'No entries.'],
  saved: ['Tallennettu.', 'Sparat.', 'Saved.'],
  notAllowed: ['Roolisi ei salli tätä sivua.', 'Din roll tillåter inte denna sida.', 'Your role does not allow this page.'],
  noItems: ['Ei kohteita.', 'Inga poster.', 'No items.'],
  catalog: ['Sisällöt', 'Innehåll', 'Catalog'],
  search: ['Hae', 'Sök', 'Search'],
  kind: ['Tyyppi', 'Typ', 'Kind'],
  area: ['Alue', 'Område', 'Area'],
  any: ['kaikki', 'alla', 'any'],
  id: ['Tunnus', 'Id', 'Id'],
  idHint: ['Pienet kirjaimet a–z, numerot, piste, alaviiva tai yhdysviiva. Ei voi muuttaa myöhemmin.',
    'Små bokstäver a–z, siffror, punkt, understreck eller bindestreck. Kan inte ändras senare.',
    'Lower-case a–z, digits, dot, underscore or hyphen. Cannot be changed later.'],
  revision: ['Muutosnumero', 'Ändringsnummer', 'Revision'],
  itemsTotal: ['{0} kohdetta.', '{0} poster.', '{0} items.'],
  revisionNow: ['Sisältöversio nyt {0}.', 'Innehållsversion nu {0}.', 'Catalog revision now {0}.'],
  pages: ['Sivut', 'Sidor', 'Pages'],
  page: ['Sivu {0}', 'Sida {0}', 'Page {0}'],
  prev: ['Edellinen sivu', 'Föregående sida', 'Previous page'],
  next: ['Seuraava sivu', 'Nästa sida', 'Next page'],
  newItem: ['Uusi kohde', 'Ny post', 'New item'],
  editItem: ['Muokkaa kohdetta', 'Redigera post', 'Edit item'],
  backToCatalog: ['Takaisin sisältöihin', 'Tillbaka till innehållet', 'Back to the catalog'],
  saveItem: ['Tallenna ja julkaise', 'Spara och publicera', 'Save and publish'],
  deleteItem: ['Poista kohde', 'Radera posten', 'Delete item'],
  deleteConfirm: ['Poistetaanko {0}? Kioskit poistavat sen seuraavassa synkronoinnissa.',
    'Radera {0}? Kioskerna tar bort den vid nästa synkronisering.',
    'Delete {0}? Kiosks remove it on their next sync.'],
  savedRevision: ['Tallennettu. Sisältöversio {0}: kioskit hakevat sen seuraavassa synkronoinnissa.',
    'Sparat. Innehållsversion {0}: kioskerna hämtar den vid nästa synkronisering.',
    'Saved. Catalog revision {0}: kiosks pull it on their next sync.'],
  contentFile: ['Sisältötiedosto', 'Innehållsfil', 'Content file'],
  download: ['Lataa koko sisältö tiedostona (catalog.json)', 'Ladda ner allt innehåll som fil (catalog.json)', 'Download the whole catalog as a file (catalog.json)'],
  uploadLabel: ['Tuo sisältötiedosto', 'Importera en innehållsfil', 'Upload a content file'],
  uploadHint: ['Tiedosto tarkistetaan ensin; mitään ei tallenneta ennen vahvistusta.',
    'Filen kontrolleras först; inget sparas innan du bekräftar.',
    'The file is checked first; nothing is saved until you confirm.'],
  replaceAll: ['Korvaa koko sisältö (tiedostosta puuttuvat kohteet poistetaan)',
    'Ersätt allt innehåll (poster som saknas i filen raderas)',
    'Replace the whole catalog (items missing from the file are deleted)'],
  checkFile: ['Tarkista tiedosto', 'Kontrollera filen', 'Check the file'],
  chooseFile: ['Valitse ensin tiedosto.', 'Välj först en fil.', 'Choose a file first.'],
  summary: ['{0} lisätään, {1} muuttuu, {2} poistetaan', '{0} läggs till, {1} ändras, {2} raderas', '{0} added, {1} changed, {2} deleted'],
  confirmApply: ['Vahvista ja julkaise', 'Bekräfta och publicera', 'Confirm and publish'],
  cancel: ['Peruuta', 'Avbryt', 'Cancel'],
  uploadDone: ['Tuotu. Sisältöversio {0}.', 'Importerat. Innehållsversion {0}.', 'Imported. Catalog revision {0}.'],
  docs: ['Kyselyt ja äänestykset', 'Enkäter och omröstningar', 'Surveys and ballots'],
  surveys: ['Kyselyt ja työpajat', 'Enkäter och workshoppar', 'Surveys and workshops'],
  ballots: ['Äänestykset', 'Omröstningar', 'Ballots'],
  noDocs: ['Ei julkaistuja.', 'Inga publicerade.', 'None published.'],
  title: ['Otsikko', 'Rubrik', 'Title'],
  publishAll: ['Julkaistu tiedosto menee kioskeihin niiden seuraavassa synkronoinnissa: kaikkiin, ellei alla ole valittu toisin.',
    'En publicerad fil går till kioskerna vid deras nästa synkronisering: till alla, om inte annat valts nedan.',
    'A published file goes to the kiosks on their next sync: to every kiosk unless chosen otherwise below.'],
  uploadDoc: ['Julkaise tiedosto', 'Publicera en fil', 'Publish a file'],
  docType: ['Tiedoston laji', 'Filens typ', 'Kind of file'],
  type_survey: ['Kysely tai työpaja', 'Enkät eller workshop', 'Survey or workshop'],
  type_ballot: ['Äänestys', 'Omröstning', 'Ballot'],
  type_codes: ['Äänestyskoodien tiivisteet (codes.json)', 'Röstkodernas hashar (codes.json)', 'Voter-code hashes (codes.json)'],
  file: ['Tiedosto', 'Fil', 'File'],
  uploadPublish: ['Tarkista ja julkaise', 'Kontrollera och publicera', 'Check and publish'],
  docResult_added: ['{0} julkaistu (versio {1}).', '{0} publicerad (version {1}).', '{0} published (version {1}).'],
  docResult_changed: ['{0} päivitetty (versio {1}).', '{0} uppdaterad (version {1}).', '{0} updated (version {1}).'],
  docResult_unchanged: ['{0} oli jo julkaistu sellaisenaan.', '{0} var redan publicerad som sådan.', '{0} was already published as it is.'],
  codesTitle: ['Äänestyskoodit', 'Röstkoder', 'Voter codes'],
  codesWhy: ['Palvelin ei koskaan näe äänestyskoodeja, vain niiden tiivisteet. Koodit tehdään ylläpitäjän omalla koneella:',
    'Servern ser aldrig röstkoderna, bara deras hashar. Koderna görs på administratörens egen dator:',
    'The server never sees a voter code, only its hash. Codes are made on the administrator\'s own computer:'],
  codesStep1: ['Tee koodit ja tulostettava arkki kioskctl-työkalulla:', 'Gör koderna och ett utskrivbart ark med kioskctl:', 'Make the codes and a printable sheet with kioskctl:'],
  codesStep2: ['Tulosta sheet.pdf ja jaa koodit äänestäjille.', 'Skriv ut sheet.pdf och dela ut koderna.', 'Print sheet.pdf and hand out the codes.'],
  codesStep3: ['Julkaise codes.json yllä lajina ”Äänestyskoodien tiivisteet”: kioskit hyväksyvät koodit seuraavasta synkronoinnista alkaen.',
    'Publicera codes.json ovan som ”Röstkodernas hashar”: kioskerna godtar koderna från nästa synkronisering.',
    'Publish codes.json above as "Voter-code hashes": kiosks accept the codes from their next sync.'],
  wrongLogin: ['Väärä nimi tai salasana.', 'Fel namn eller lösenord.', 'Wrong name or password.'],
  throttled: ['Liian monta epäonnistunutta kirjautumista. Yritä uudelleen {0} sekunnin kuluttua.',
    'För många misslyckade inloggningar. Försök igen om {0} sekunder.',
    'Too many failed logins. Try again in {0} seconds.'],
  sessionEnded: ['Istunto on päättynyt. Kirjaudu uudelleen.', 'Sessionen har gått ut. Logga in igen.', 'Your session has ended. Log in again.'],
};

Object.assign(T, T_SETTINGS);

export const LANGS = [['fi', 'suomi'], ['sv', 'svenska'], ['en', 'English']];
const IDX = { fi: 0, sv: 1, en: 2 };

let lang = (typeof localStorage !== 'undefined' && localStorage.getItem('console-lang')) || 'fi';
if (!(lang in IDX)) lang = 'fi';

export function getLang() { return lang; }
export function setLang(l) {
  if (!(l in IDX)) return;
  lang = l;
  try { localStorage.setItem('console-lang', l); } catch { /* private mode */ }
  document.documentElement.lang = l;
}

export function t(key, ...args) {
  const row = T[key];
  let s = row ? row[IDX[lang]] : key;
  args.forEach((a, i) => { s = s.replace(`{${i}}`, a); });
  return s;
}

export function fmtTime(unix) {
  if (!unix) return t('never');
  const locale = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' }[lang];
  return new Date(unix * 1000).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' });
}

export const ALL_KEYS = Object.keys(T);
export const TABLE = T;
