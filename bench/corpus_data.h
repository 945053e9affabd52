/*
 * corpus_data.h - the fictional world and the wire-copy templates behind
 * bench/gen_corpus.c. Included by that one file only (static data).
 *
 * Everything here is invented for the benchmark: ten countries, their cities,
 * regions and armed groups, eight naming cultures, fifty outlets, and sentence
 * templates per event type in news-agency style. No text comes from any real
 * article or evaluation file.
 *
 * Template language: "{SLOT}" is replaced by a value the generator computes
 * per article (see the slot table in gen_corpus.c); everything else is copied.
 * A '@' inside a name is the Arabic article, rendered per outlet as "al-",
 * "Al ", "el-" or "Al-" (name variants across outlets). ASCII double quotes
 * become curly quotes for outlets that use them.
 *
 * Invariants: every slot name used below exists in gen_corpus.c's slot table
 * (checked at start-up, the generator refuses to run otherwise); no template
 * contains a byte < 0x20, since 0x01 marks compiled slots.
 */
#ifndef TD_BENCH_CORPUS_DATA_H
#define TD_BENCH_CORPUS_DATA_H

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- naming cultures: first names and surnames ---- */

typedef struct culture {
    const char *first[16];
    const char *last[16];
} culture;

static const culture CULTURES[] = {
    { /* 0: anglophone */
      { "James", "Eleanor", "Thomas", "Margaret", "Daniel", "Harriet", "Oliver", "Catherine",
        "Edward", "Fiona", "Samuel", "Rosalind", "Peter", "Imogen", "Hugh", "Clara" },
      { "Ashworth", "Pembridge", "Hollis", "Carraway", "Whitlock", "Fenwick", "Marlowe", "Thornbury",
        "Kendrick", "Ellery", "Stanmore", "Redfern", "Calloway", "Bramley", "Harcourt", "Winslade" } },
    { /* 1: Arabic ('@' = article, doubled consonants vary across outlets) */
      { "Omar", "Layla", "Khalid", "Samira", "Yusuf", "Hanan", "Tariq", "Rania",
        "Faisal", "Nour", "Hamza", "Dalia", "Ibrahim", "Mariam", "Walid", "Zeinab" },
      { "@Haddan", "@Qassemi", "Mahrouqi", "@Sabbagh", "Darwazi", "@Tellawi", "Bakkour", "@Furati",
        "Shammas", "@Rummani", "Hijjawi", "@Sukkari", "Abu Ghazzal", "@Naffar", "Dabbous", "@Mulla" } },
    { /* 2: Persian / Pashto */
      { "Farid", "Shirin", "Dariush", "Parvin", "Jamshed", "Nasrin", "Bahram", "Roya",
        "Kamran", "Leila", "Arash", "Mina", "Rostam", "Soraya", "Navid", "Azadeh" },
      { "Kohzadi", "Mirzavandi", "Sarvani", "Golestani", "Pourhashem", "Dehqanzada", "Noorbakhsh", "Ahangari",
        "Shirvandi", "Rahimzai", "Karimpour", "Bakhtavar", "Hosseinzada", "Qaderi", "Mahmoodzai", "Tabbarzai" } },
    { /* 3: South Slavic */
      { "Dragan", "Milena", "Bojan", "Vesna", "Goran", "Ljiljana", "Nikola", "Jasna",
        "Zoran", "Tamara", "Branko", "Irena", "Stefan", "Mirjana", "Dusan", "Katarina" },
      { "Petrovac", "Kovalenic", "Drazic", "Milosavac", "Radetic", "Vukanovic", "Zelenko", "Stojanek",
        "Horvatin", "Lazarevac", "Mrkonja", "Tadijevic", "Obradov", "Sekulin", "Jovanek", "Bogdanac" } },
    { /* 4: East African */
      { "Joseph", "Amina", "Emmanuel", "Grace", "Baraka", "Neema", "Moses", "Zawadi",
        "Daniel", "Rehema", "Juma", "Faith", "Halima", "Peter", "Esther", "Salim" },
      { "Mwangoka", "Kiprono", "Nyaberi", "Wanjuki", "Mbatha", "Kalembe", "Ssekandi", "Oduya",
        "Mutasa", "Njoroka", "Achieng", "Kibwana", "Lusinde", "Makori", "Tembwe", "Chirwanda" } },
    { /* 5: Spanish */
      { "José", "María", "Alejandro", "Lucía", "Carlos", "Isabel", "Andrés", "Carmen",
        "Fernando", "Valeria", "Rodrigo", "Paula", "Ignacio", "Beatriz", "Tomás", "Elena" },
      { "Peña Olmedo", "Arriaga", "Castañeda", "Villanueva", "Ortiz Lara", "Salcedo", "Benavides", "Quiroga",
        "Marroquín", "Echeverri", "Solórzano", "Ibarra", "Cienfuegos", "Larrañaga", "Montoya", "Zubiría" } },
    { /* 6: Greek */
      { "Nikos", "Eleni", "Giorgos", "Katerina", "Dimitris", "Sofia", "Yannis", "Maria",
        "Kostas", "Anna", "Stavros", "Ioanna", "Petros", "Despina", "Manolis", "Vasiliki" },
      { "Kastrinakis", "Papadellis", "Vlachoudis", "Mavrogenis", "Theodorakos", "Lambridis", "Kyriazopoulos", "Doukakis",
        "Zervoudis", "Halkiadakis", "Stamatelos", "Georgoulas", "Antonakis", "Kalergis", "Floros", "Manousakis" } },
    { /* 7: Nordic */
      { "Erik", "Ingrid", "Lars", "Astrid", "Magnus", "Sigrid", "Henrik", "Karin",
        "Nils", "Liv", "Anders", "Maja", "Johan", "Solveig", "Tor", "Elin" },
      { "Lindqvist", "Haugland", "Ekberg", "Solheim", "Brekke", "Nordahl", "Sandvik", "Holmgren",
        "Vikstrom", "Aasen", "Strand", "Fjeldberg", "Lundmark", "Dahle", "Rasmark", "Hovland" } },
};

/* ---- countries ---- */

typedef struct country {
    const char *name, *adj, *capital;
    const char *cities[8];
    const char *regions[4];
    const char *groups[2][2];   /* {full name at first mention, short form} */
    const char *currency;
    int culture;
} country;

static const country COUNTRIES[] = {
    { "Valdoria", "Valdorian", "Port Erith",
      { "Kessel Bay", "Arnholt", "Tiverton Cross", "Mirelle", "Dunsford", "Ostberg", "Caldera Springs", "Harrowgate" },
      { "Northern Marches", "Kessel", "Upper Arn", "Caldera" },
      { { "the Northern Liberation Army", "the NLA" }, { "the Kessel Bay Defence Committee", "the committee" } },
      "crown", 0 },
    { "Karesh", "Kareshi", "Qasr @Mina",
      { "Tell Hadid", "Ain Sabbara", "Deir Khalun", "Bab @Nour", "Jabal Rummah", "Wadi Farsa", "Marjan", "Kafr @Sukkar" },
      { "Wadi Farsa", "Jabal", "Eastern Desert", "Coastal" },
      { { "Ansar @Wadi", "Ansar @Wadi" }, { "the Free Kareshi Brigades", "the Brigades" } },
      "dinar", 1 },
    { "Samarind", "Samarindi", "Nuri Kandar",
      { "Khorvand", "Peshtabad", "Zarinkala", "Doshmalik", "Gulshar", "Abdarra", "Marzeen", "Tolukand" },
      { "Khorvand", "Zarin", "Gulshar", "Southern" },
      { { "the Movement for a Just Samarind", "the MJS" }, { "Jamaat-e Zarin", "Jamaat-e Zarin" } },
      "toman", 2 },
    { "Ostrevia", "Ostrevian", "Velgrad",
      { "Dubrava Nova", "Ristovo Polje", "Zelenmost", "Korvinsk", "Belogor", "Brodnik", "Vesnograd", "Mirkovo Selo" },
      { "Korvinsk", "Brodnik", "Eastern", "Zelena" },
      { { "the Eastern Self-Defence Forces", "the ESDF" }, { "the Korvinsk People's Militia", "the militia" } },
      "kuna", 3 },
    { "Tamsuk", "Tamsuki", "Ibenye",
      { "Ntaboro", "Kawendi", "Lusoma", "Mbaraka Hills", "Sengwe", "Okotoro", "Dabiri", "Kilanje" },
      { "Mbaraka", "Lake Sengwe", "Northern", "Kawendi" },
      { { "the Tamsuk Democratic Resistance", "the TDR" }, { "the Mbaraka Hills Movement", "the movement" } },
      "shilling", 4 },
    { "Marobia", "Marobian", "San Teodoro",
      { "Puerto Alcina", "Santa Oriela", "Valdecruz", "Los Almendros", "Río Quebrado", "Ciudad Benal", "Tres Cerros", "La Estancia" },
      { "Sierra Alta", "Costa Norte", "Valdecruz", "Altiplano" },
      { { "the Southern Revolutionary Front", "the FRS" }, { "the Los Almendros cartel", "the cartel" } },
      "peso", 5 },
    { "Zanteria", "Zanterian", "Kastrova",
      { "Agia Melani", "Porto Lykos", "Thermidi", "Skalarion", "Palaiokori", "Vrysaki", "Leontida", "Neos Pyrgos" },
      { "Lykos", "Thermidi", "Northern Islands", "Skalarion" },
      { { "the Island Defence League", "the IDL" }, { "the Red Harbour Cells", "the cells" } },
      "drachma", 6 },
    { "Quessa", "Quessan", "Amarra",
      { "Tin Ghalla", "Agadou", "Ber Kassi", "Oued Tamra", "In Zeggar", "Tafsout", "Kel Oumar", "Bir Lahsen" },
      { "Azawar", "Tin Ghalla", "Oued Tamra", "Southern" },
      { { "the Movement for the Liberation of Azawar", "the MLA" }, { "Katibat @Sahra", "Katibat @Sahra" } },
      "franc", 1 },
    { "Halvania", "Halvanian", "Sorvik",
      { "Lindmark", "Ekholm", "Varnby", "Hallbrekke", "Nordhaven", "Tjarnvik", "Alsund", "Frostaby" },
      { "Nordhaven", "Fjordland", "Alsund", "Frostaby" },
      { { "the Nordhaven Independence Front", "the NIF" }, { "the Frostaby Patriots", "the Patriots" } },
      "krone", 7 },
    { "Daristan", "Daristani", "Kohsaran",
      { "Mirzavand", "Dasht-e Noor", "Sarvankala", "Bagh-e Soltan", "Tangi Sabz", "Nowshar", "Qala-e Rustam", "Chaharbagh" },
      { "Noor", "Sarvan", "Kohna", "Eastern" },
      { { "the Daristani Islamic Front", "the DIF" }, { "Lashkar-e Noor", "Lashkar-e Noor" } },
      "rupee", 2 },
};

/* ---- outlets: the first NAGENCY are news agencies whose copy others republish ---- */

typedef struct outlet {
    const char *name, *domain, *code;   /* code: agency credit, e.g. "(CP)"; NULL for papers */
} outlet;

#define NAGENCY 5
static const outlet OUTLETS[] = {
    { "Continental Press", "contpress.com", "CP" },
    { "Orbis News Agency", "orbisnews.org", "ONA" },
    { "Meridian Wire", "meridianwire.com", "MW" },
    { "Tidewater Press Service", "tidewaterpress.net", "TPS" },
    { "Atlas Newswire", "atlasnewswire.com", "ANW" },
    { "The Harbour Chronicle", "harbourchronicle.com", 0 },
    { "Northfield Gazette", "northfieldgazette.co.uk", 0 },
    { "Daily Lantern", "dailylantern.com", 0 },
    { "The Evening Compass", "eveningcompass.com", 0 },
    { "Kestrel Times", "kestreltimes.com", 0 },
    { "The Sentinel Review", "sentinelreview.net", 0 },
    { "Valdoria Today", "valdoriatoday.com", 0 },
    { "The Kareshi Observer", "karesh-observer.com", 0 },
    { "Ibenye Star", "ibenyestar.co", 0 },
    { "Amarra Daily", "amarradaily.net", 0 },
    { "Velgrad Herald", "velgradherald.com", 0 },
    { "Sorvik Post", "sorvikpost.com", 0 },
    { "El Correo de San Teodoro", "correosanteodoro.com", 0 },
    { "Kastrova Morning News", "kastrovanews.gr.com", 0 },
    { "Nuri Kandar Tribune", "nktribune.com", 0 },
    { "The Continental Review", "continentalreview.com", 0 },
    { "World Affairs Daily", "worldaffairsdaily.com", 0 },
    { "The Open Ledger", "openledger.news", 0 },
    { "Frontline Dispatch", "frontlinedispatch.org", 0 },
    { "The Global Monitor", "globalmonitor.net", 0 },
    { "Crossroads Radio", "crossroadsradio.fm", 0 },
    { "Channel Nine News", "cn9news.tv", 0 },
    { "Beacon Broadcasting", "beaconbroadcast.com", 0 },
    { "The Frontier Courier", "frontiercourier.com", 0 },
    { "Riverside Journal", "riversidejournal.com", 0 },
    { "The Capitol Ledger", "capitolledger.com", 0 },
    { "The Morning Ledger", "morningledger.co", 0 },
    { "Summit Times", "summittimes.net", 0 },
    { "The Lighthouse", "thelighthouse.news", 0 },
    { "Eastgate News", "eastgatenews.com", 0 },
    { "Westwind Herald", "westwindherald.com", 0 },
    { "Polar Star News", "polarstarnews.com", 0 },
    { "The Citizen Voice", "citizenvoice.org", 0 },
    { "Horizon Broadcast", "horizonbroadcast.tv", 0 },
    { "Plainsview Daily", "plainsviewdaily.com", 0 },
    { "Greenline Media", "greenlinemedia.net", 0 },
    { "Cobalt News", "cobaltnews.com", 0 },
    { "Union Bulletin", "unionbulletin.com", 0 },
    { "The People's Courier", "peoplescourier.org", 0 },
    { "Ridgeback Online", "ridgebackonline.com", 0 },
    { "NewsDesk 24", "newsdesk24.com", 0 },
    { "Axis World", "axisworld.net", 0 },
    { "The Conflict Monitor", "conflictmonitor.org", 0 },
    { "Peace Watch Bulletin", "peacewatchbulletin.org", 0 },
    { "Relief Today", "relieftoday.org", 0 },
};

/* ---- small pools ---- */

static const char *const AID_ORGS[] = {
    "the Global Relief Committee", "Doctors Across Borders", "the International Aid Alliance",
    "the Centre for Conflict Monitoring", "the Humanity First Network", "the Children's Rescue Fund",
};
static const char *const THINK_TANKS[] = {
    "the Institute for Regional Security", "the Halvorsen Centre for Peace Studies",
    "the Meridian Policy Institute", "the Centre for Strategic Affairs", "the Open Society Forum",
    "the Lindqvist Foundation",
};
static const char *const PARTIES[] = {
    "the People's Party", "the Democratic Alliance", "the National Renewal Party",
    "the Movement for Change", "the Liberal Union", "the Party of Labour",
};
static const char *const PLACES[] = {
    "a crowded market", "a military checkpoint", "a school", "a residential building",
    "a hospital compound", "a wedding party", "a bus station", "a police station",
    "a mosque", "a petrol station", "a displacement camp", "a government office",
    "a busy roundabout", "a bakery", "a village on the outskirts",
};
static const char *const DISASTERS[] = { "floods", "landslides", "mudslides", "storms", "wildfires" };
static const char *const TIMES_OF_DAY[] = {
    "dawn", "midday", "the evening call to prayer", "midnight", "sunrise", "noon",
    "the start of the morning rush hour", "nightfall",
};
static const char *const OCCUPATIONS[] = {
    "shopkeeper", "teacher", "taxi driver", "farmer", "nurse", "student", "mechanic",
    "baker", "retired civil servant", "mother of four", "construction worker", "pharmacist",
};
static const char *const SECTIONS[] = { "world", "news", "international", "conflict", "politics", "region" };
static const char *const MONTHS[] = { "January", "February", "March", "April", "May", "June", "July",
                                      "August", "September", "October", "November", "December" };
static const char *const MON3[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const WEEKDAYS[] = { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday" };
static const char *const NUMWORDS[] = { "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "10" };

/* ---- event types ---- */

enum {
    EV_AIRSTRIKE, EV_SHELLING, EV_BOMBING, EV_CLASH, EV_RAID, EV_KILLING, EV_PROTEST,
    EV_AGREEMENT, EV_MEETING, EV_STATEMENT, EV_ELECTION, EV_DISASTER, EV_NTYPES
};

/* Noun phrase for an event, used by {WHAT} and {PREV_WHAT}. */
static const char *const EV_WHAT[EV_NTYPES] = {
    "the air strike", "the shelling", "the bombing", "the fighting", "the raid", "the killing",
    "the protest", "the ceasefire deal", "the talks", "the announcement", "the vote", "the disaster",
};

/* How a story develops: the first type picks the chain. */
static const int CHAINS[EV_NTYPES][5] = {
    { EV_AIRSTRIKE, EV_AIRSTRIKE, EV_STATEMENT, EV_PROTEST, EV_MEETING },
    { EV_SHELLING, EV_CLASH, EV_SHELLING, EV_AGREEMENT, EV_MEETING },
    { EV_BOMBING, EV_RAID, EV_STATEMENT, EV_PROTEST, EV_BOMBING },
    { EV_CLASH, EV_CLASH, EV_SHELLING, EV_AGREEMENT, EV_MEETING },
    { EV_RAID, EV_PROTEST, EV_STATEMENT, EV_RAID, EV_PROTEST },
    { EV_KILLING, EV_PROTEST, EV_RAID, EV_STATEMENT, EV_PROTEST },
    { EV_PROTEST, EV_PROTEST, EV_RAID, EV_STATEMENT, EV_MEETING },
    { EV_MEETING, EV_AGREEMENT, EV_STATEMENT, EV_CLASH, EV_MEETING },
    { EV_MEETING, EV_AGREEMENT, EV_STATEMENT, EV_MEETING, EV_PROTEST },
    { EV_STATEMENT, EV_PROTEST, EV_RAID, EV_STATEMENT, EV_MEETING },
    { EV_ELECTION, EV_STATEMENT, EV_PROTEST, EV_ELECTION, EV_MEETING },
    { EV_DISASTER, EV_DISASTER, EV_STATEMENT, EV_MEETING, EV_PROTEST },
};
/* Relative frequency of each first type, in percent. */
static const int FIRST_TYPE_PCT[EV_NTYPES] = { 14, 10, 12, 14, 8, 8, 10, 4, 5, 4, 5, 6 };

/* ---- headlines per type ---- */

static const char *const H_AIRSTRIKE[] = {
    "Air strikes kill at least {TOLL} in {ADJ} town of {CITY}",
    "{ADJ} jets pound {GROUP_S} positions near {CITY}, {TOLL} dead",
    "Death toll from {CITY} air raid rises to {TOLL}",
    "Warplanes hit {CITY} as offensive against {GROUP_S} widens",
    "Civilians among dead after air strikes on {CITY}, medics say",
    "{COUNTRY}: strike on {CITY} leaves {TOLL} dead",
};
static const char *const H_SHELLING[] = {
    "Shelling of {CITY} kills {TOLL} as truce falters",
    "{TOLL} dead as artillery fire hits {CITY} in {COUNTRY}",
    "Heavy shelling pounds {CITY}, residents flee",
    "{ADJ} town of {CITY} comes under fire for third day",
    "Shells land on {CITY} market, {TOLL} killed",
};
static const char *const H_BOMBING[] = {
    "Car bomb kills {TOLL} in {ADJ} city of {CITY}",
    "Blast at {PLACE} in {CITY} leaves {TOLL} dead",
    "{GROUP_S} claims {CITY} bombing that killed {TOLL}",
    "Suicide attack in {CITY} kills at least {TOLL}",
    "Explosion rocks {CITY}; toll rises to {TOLL}",
};
static const char *const H_CLASH[] = {
    "Fierce fighting in {CITY} between army and {GROUP_S}",
    "{TOLL} killed as {ADJ} troops battle rebels near {CITY}",
    "Clashes erupt around {CITY}, {TOLL} fighters dead",
    "{ADJ} army says it repelled {GROUP_S} attack on {CITY}",
    "Battle for {CITY} intensifies as {GROUP_S} advances",
};
static const char *const H_RAID[] = {
    "{ADJ} police arrest {NARRESTED} in raids on suspected {GROUP_S} cells",
    "Security forces raid homes in {CITY}, dozens detained",
    "Dawn raids in {CITY} target {GROUP_S} network",
    "{COUNTRY} detains suspects after {CITY} sweep",
};
static const char *const H_KILLING[] = {
    "Gunmen kill {TOLL} in {CITY} attack",
    "Local official shot dead in {CITY}",
    "{TOLL} villagers killed by gunmen near {CITY}",
    "Journalist killed in {CITY}, colleagues demand inquiry",
    "Masked attackers kill {TOLL} at {PLACE} in {COUNTRY}",
};
static const char *const H_PROTEST[] = {
    "Thousands march in {CITY} against {GOV}",
    "Protesters clash with police in {CAPITAL}",
    "{ADJ} protests spread to {CITY} as anger grows",
    "Police fire tear gas at demonstrators in {CITY}",
    "Rally in {CITY} demands justice after deadly week",
};
static const char *const H_AGREEMENT[] = {
    "{COUNTRY} and {GROUP_S} agree ceasefire",
    "Truce deal signed to end fighting around {CITY}",
    "{ADJ} government, rebels sign accord in {NEIGHBOR}",
    "Ceasefire takes hold in {CITY} after deal",
};
static const char *const H_MEETING[] = {
    "{ADJ} president meets {NEIGHBOR_ADJ} leader for talks on security",
    "UN envoy holds talks in {CAPITAL} on {REGION} crisis",
    "Talks in {NEIGHBOR} aim to end {ADJ} conflict",
    "{PRES_S} hosts regional summit in {CAPITAL}",
};
static const char *const H_STATEMENT[] = {
    "{ADJ} government vows response after {CITY} attack",
    "{GROUP_S} rejects blame for {CITY} violence",
    "{PRES_S}: '{COUNTRY} will not bow to terror'",
    "Army denies targeting civilians in {CITY}",
};
static const char *const H_ELECTION[] = {
    "{COUNTRY} votes in tense election",
    "Polls open in {COUNTRY} amid security fears",
    "{PARTY} claims victory in {ADJ} election",
    "Low turnout reported in {ADJ} vote as {GROUP_S} urges boycott",
};
static const char *const H_DISASTER[] = {
    "{DISASTER_C} kill at least {TOLL} in {COUNTRY}",
    "{TOLL} dead as {DISASTER} strike {REGION} region",
    "Rescuers search for survivors after {DISASTER} hit {CITY}",
    "{COUNTRY} declares emergency after deadly {DISASTER}",
};

/* ---- lead sentences per type (the dateline is added in front) ---- */

static const char *const L_AIRSTRIKE[] = {
    "{AIRFORCE} carried out a series of air strikes on {CITY} {WHEN}, killing at least {TOLL} people and wounding {WOUNDED} others, local officials said.",
    "At least {TOLL} people were killed {WHEN} when warplanes struck {PLACE} in {CITY}, a town in {COUNTRY}'s {REGION} region, medical sources said.",
    "Air strikes on {GROUP_S}-held areas around {CITY} killed {TOLL} people {WHEN}, among them women and children, residents and rescue workers said.",
    "{ADJ} military aircraft bombed {CITY} {WHEN} in what officials described as a strike on a {GROUP_S} command centre, killing at least {TOLL} people.",
    "Jets believed to belong to {AIRFORCE} hit {PLACE} on the edge of {CITY} {WHEN}, leaving at least {TOLL} dead, a monitoring group said.",
};
static const char *const L_SHELLING[] = {
    "Artillery shells slammed into {CITY} {WHEN}, killing {TOLL} people and wounding {WOUNDED}, as fighting between {ARMY} and {GROUP} spread across the {REGION} region.",
    "At least {TOLL} civilians died {WHEN} when shells hit {PLACE} in {CITY}, according to the town's mayor.",
    "{GROUP} shelled government-held parts of {CITY} {WHEN}, killing {TOLL} people, the defence ministry said.",
    "Heavy shelling of {CITY} {WHEN} left at least {TOLL} dead and forced hundreds of families to flee toward {CITY2}, residents said.",
};
static const char *const L_BOMBING[] = {
    "A car bomb exploded near {PLACE} in {CITY} {WHEN}, killing at least {TOLL} people and wounding {WOUNDED}, police said.",
    "A suicide bomber blew himself up at {PLACE} in the {ADJ} city of {CITY} {WHEN}, killing {TOLL} people, officials said.",
    "At least {TOLL} people were killed {WHEN} when an explosive device went off in {CITY}, in an attack later claimed by {GROUP}.",
    "Twin blasts tore through {PLACE} in central {CITY} {WHEN}, killing {TOLL} people in the deadliest attack in {COUNTRY} this year.",
};
static const char *const L_CLASH[] = {
    "Fighting between {ARMY} and {GROUP} around {CITY} killed at least {TOLL} people {WHEN}, military sources and residents said.",
    "{ARMY} said {WHEN} it had repelled a major attack by {GROUP} on {CITY}, killing {TOLL} fighters.",
    "Clashes broke out {WHEN} on the outskirts of {CITY} as {GROUP} fighters tried to cut the main road to {CITY2}, leaving {TOLL} dead.",
    "At least {TOLL} soldiers and rebels were killed {WHEN} in heavy fighting for control of {CITY}, a town in {COUNTRY}'s {REGION} region.",
};
static const char *const L_RAID[] = {
    "{POLICE} arrested {NARRESTED} people {WHEN} in a series of raids in {CITY} targeting suspected members of {GROUP}, the interior ministry said.",
    "Security forces stormed several homes in {CITY} {WHEN}, detaining {NARRESTED} suspects accused of planning attacks on behalf of {GROUP}.",
    "{ADJ} counter-terrorism units raided a warehouse in {CITY} {WHEN}, seizing weapons and arresting {NARRESTED} people, officials said.",
};
static const char *const L_KILLING[] = {
    "Gunmen on motorcycles opened fire on {PLACE} in {CITY} {WHEN}, killing {TOLL} people before fleeing, police said.",
    "A senior local official was shot dead outside his home in {CITY} {WHEN}, and {TOLL} others died in the attack, authorities said.",
    "Unidentified attackers killed {TOLL} villagers near {CITY} {WHEN}, burning homes and stealing livestock, residents said.",
    "A journalist and {TOLL} others were killed {WHEN} when armed men stopped their car on the road from {CITY} to {CITY2}.",
};
static const char *const L_PROTEST[] = {
    "Thousands of people took to the streets of {CITY} {WHEN} to protest against {GOV}, chanting slogans and blocking the main square.",
    "Police fired tear gas and water cannon at demonstrators in {CAPITAL} {WHEN} as protests over rising prices and insecurity entered a new week.",
    "Protesters marched through {CITY} {WHEN}, demanding an independent investigation into the recent violence in the {REGION} region.",
    "Hundreds of students rallied outside parliament in {CAPITAL} {WHEN}, calling on {PRES} to resign.",
};
static const char *const L_AGREEMENT[] = {
    "{GOV} and {GROUP} signed a ceasefire agreement {WHEN} in {NEIGHBOR}, raising hopes of an end to months of fighting around {CITY}.",
    "The warring parties in {COUNTRY} agreed {WHEN} to a truce covering {CITY} and the wider {REGION} region, mediators said.",
    "Negotiators for {GOV} and {GROUP} reached a deal {WHEN} on a prisoner exchange and a pause in hostilities, according to a joint statement.",
};
static const char *const L_MEETING[] = {
    "{ADJ} President {PRES} met his {NEIGHBOR_ADJ} counterpart in {CAPITAL} {WHEN} to discuss border security and the conflict in the {REGION} region.",
    "The UN special envoy for {COUNTRY}, {ENVOY}, held talks with government officials in {CAPITAL} {WHEN}, his office said.",
    "Regional leaders gathered in {NEIGHBOR} {WHEN} for talks aimed at ending the fighting in {COUNTRY}.",
};
static const char *const L_STATEMENT[] = {
    "{GOV} vowed {WHEN} to hunt down those responsible for the violence in {CITY}, as the death toll from last week's attacks rose.",
    "{GROUP} denied {WHEN} any role in the attack in {CITY}, accusing the security services of staging it to justify a crackdown.",
    "{ADJ} Defence Minister {MIN} said {WHEN} that the army would step up operations against {GROUP} in the {REGION} region.",
};
static const char *const L_ELECTION[] = {
    "Voters in {COUNTRY} went to the polls {WHEN} in a parliamentary election overshadowed by violence in the {REGION} region.",
    "{PARTY} claimed victory {WHEN} in {COUNTRY}'s general election, after preliminary results gave it a narrow lead.",
    "Polling stations across {COUNTRY} opened {WHEN} under heavy security, with {GROUP} calling for a boycott of the vote.",
};
static const char *const L_DISASTER[] = {
    "{DISASTER_C} in {COUNTRY}'s {REGION} region have killed at least {TOLL} people {WHEN} and forced thousands from their homes, officials said.",
    "At least {TOLL} people died {WHEN} after {DISASTER} struck {CITY} and surrounding villages, the civil protection agency said.",
    "Rescue teams in {CITY} were searching for survivors {WHEN} after {DISASTER} that killed at least {TOLL} people.",
};

/* ---- details per type ---- */

static const char *const D_AIRSTRIKE[] = {
    "Rescue workers spent hours digging through the rubble of a three-storey building, and {DOCTOR}, director of the main hospital in {CITY}, said {WOUNDED} wounded people had been admitted.",
    "The military said in a statement that the strikes targeted weapons depots and a training camp used by {GROUP}.",
    "Residents said they heard at least {NSMALL} explosions shortly after {TIMEOFDAY}.",
    "Footage shared on social media showed thick black smoke rising over the town centre and ambulances racing through narrow streets.",
    "The toll could not be checked independently because access to the area is restricted.",
    "The defence ministry said all the targets had been \"carefully selected\" and denied that civilians had been hit.",
    "Local officials said the dead included {NSMALL} children from the same family.",
    "The strikes were the heaviest on the area since {ARMY} launched an offensive against {GROUP_S} in {YEAR_PAST}.",
};
static const char *const D_SHELLING[] = {
    "Witnesses said shells fell on residential streets for nearly two hours, damaging a clinic and a water station.",
    "Each side blamed the other for breaking a ceasefire that had largely held since the spring.",
    "The town's only hospital was running short of blood and painkillers, {DOCTOR_S} said.",
    "Mortar fire also hit a school in {CITY2}, about {KM} km to the north, but no casualties were reported there.",
    "{ARMY} said it had returned fire at the positions from which the shells were launched.",
    "Families sheltered in basements as the bombardment continued into the night, residents said by telephone.",
};
static const char *const D_BOMBING[] = {
    "The blast shattered windows hundreds of metres away and set several cars on fire, witnesses said.",
    "{GROUP} said in a statement posted online that it had carried out the attack, though the claim could not be verified.",
    "Police sealed off the area and forensic teams were examining the remains of the vehicle used in the attack.",
    "Many of the victims were traders and shoppers, according to {DOCTOR}, a doctor at the city's main hospital.",
    "It was the {ORDINAL} bombing in {CITY} since the start of the year.",
    "Security had been tightened in the city ahead of a religious holiday, officials said.",
};
static const char *const D_CLASH[] = {
    "The army said {NSMALL} of its soldiers were among the dead and that several armoured vehicles had been destroyed.",
    "{GROUP_S} fighters used drones and heavy machine guns in the assault, according to a military source.",
    "Control of {CITY} would give {GROUP_S} access to the main highway linking {CAPITAL} with the {REGION} region.",
    "Residents said the fighting forced shops and schools to close and cut electricity to large parts of the town.",
    "A spokesman for {GROUP_S} said its fighters had captured {NSMALL} villages and seized weapons and ammunition.",
    "Military reinforcements were sent from {CITY2} overnight, a security official said on condition of anonymity.",
};
static const char *const D_RAID[] = {
    "The ministry said the suspects were planning attacks on government buildings and security checkpoints.",
    "Officers seized rifles, explosives and {NSMALL} mobile phones during the operation, according to a police statement.",
    "Relatives of some of those detained said they had no links to any armed group and demanded their release.",
    "Rights groups have accused the security forces of carrying out arbitrary arrests during previous operations in the area.",
    "The raids followed an investigation lasting several months, a senior police officer said.",
};
static const char *const D_KILLING[] = {
    "The attackers fled toward the forest before security forces arrived, a police officer said.",
    "No group immediately claimed responsibility, but suspicion fell on {GROUP}, which is active in the area.",
    "The victims were buried later the same day in a cemetery on the edge of {CITY}.",
    "The killing was the latest in a series of targeted attacks on local officials in the {REGION} region.",
    "Relatives said the victims had received threats in the weeks before the attack.",
};
static const char *const D_PROTEST[] = {
    "Demonstrators carried banners calling for jobs, security and an end to corruption.",
    "Police said {NARRESTED} people were detained and several officers were injured by stones.",
    "Organisers said the protests would continue every {WEEKDAY} until their demands were met.",
    "Shops in the centre of {CITY} closed early as crowds gathered near the governor's office.",
    "The protests are the largest in {COUNTRY} since {YEAR_PAST}, when rising bread prices brought crowds onto the streets.",
};
static const char *const D_AGREEMENT[] = {
    "Under the agreement, both sides will withdraw heavy weapons from front lines around {CITY} within {NSMALL} days.",
    "The deal also provides for the release of prisoners and the opening of humanitarian corridors.",
    "Previous truces in the {REGION} region have collapsed within weeks.",
    "Monitors from {AID} will oversee the withdrawal, according to the text of the agreement.",
};
static const char *const D_MEETING[] = {
    "The two leaders discussed border security, trade and the return of refugees, according to a statement from the presidency.",
    "The talks were the first at this level since relations soured in {YEAR_PAST}.",
    "Diplomats said the meeting was an attempt to revive stalled peace efforts.",
    "No agreement was announced at the end of the talks, but both sides described them as constructive.",
};
static const char *const D_STATEMENT[] = {
    "The statement was read out on state television and repeated on the ministry's official channels.",
    "The remarks came as pressure mounted on {GOV} to restore security in the {REGION} region.",
    "Opposition politicians dismissed the announcement as an attempt to deflect criticism.",
    "The government also announced compensation for the families of those killed.",
};
static const char *const D_ELECTION[] = {
    "Turnout was estimated at {PCT} percent by mid-afternoon, according to the electoral commission.",
    "Long queues formed outside polling stations in {CAPITAL}, while voting was suspended in parts of the {REGION} region for security reasons.",
    "Observers from {AID} said they had received reports of intimidation at several polling stations.",
    "Final results are expected within {NSMALL} days.",
};
static const char *const D_DISASTER[] = {
    "Roads and bridges were washed away, cutting off several villages in the hills above {CITY}, officials said.",
    "The army deployed helicopters to evacuate residents stranded by the {DISASTER}.",
    "Authorities opened schools and sports halls as temporary shelters for displaced families.",
    "Meteorologists warned that more heavy rain was expected over the coming days.",
    "{AID} said it was sending emergency supplies, including tents, blankets and clean water.",
};

/* ---- shared sentence pools ---- */

/* Death toll revisions: only used when the toll has risen since first reports. */
static const char *const P_TOLLUP[] = {
    "The death toll from {WHAT} in {CITY} has risen to {TOLL}, up from {TOLL_PREV} reported earlier, health officials said.",
    "Officials raised the toll to {TOLL} after several of the wounded died in hospital.",
    "Initial reports had put the number of dead at {TOLL_PREV}.",
    "Rescuers pulled more bodies from the rubble overnight, bringing the confirmed toll to {TOLL}.",
};
/* Casualty colour: only when people died. */
static const char *const P_CASUALTY[] = {
    "Among the dead were {NSMALL} women and a child, according to a list of names released by the local council.",
    "{DOCTOR}, a surgeon at the main hospital in {CITY}, said many of the wounded were in critical condition.",
    "Hospitals in {CITY} appealed for blood donations as the wounded were brought in.",
    "Funerals for several of the victims were held in {CITY} on {WEEKDAY} afternoon.",
    "{AID} said it had sent medical supplies to treat the wounded.",
    "The youngest victim was a {AGE}-year-old boy, his uncle said.",
};
/* References to the story's previous event. */
static const char *const P_PREV[] = {
    "The violence came days after {PREV_WHAT} in {PREV_CITY} {PREV_WHEN}, in which {TOLL_PREVEV} people were killed.",
    "Tensions have been high in the area since {PREV_WHAT} in {PREV_CITY} {PREV_WHEN}.",
    "{PREV_WHEN_C}, {PREV_WHAT} in {PREV_CITY} drew condemnation from rights groups and foreign governments.",
    "The latest developments follow {PREV_WHAT} in {PREV_CITY}, which took place {PREV_WHEN}.",
};
static const char *const P_QUOTE_GOV[] = {
    "\"We will not allow terrorists to hold our people hostage,\" {SPOX}, a spokesman for {ARMY}, told reporters in {CAPITAL}.",
    "\"Our forces acted in accordance with international law and took every precaution to protect civilians,\" the defence ministry said in a statement.",
    "\"The situation is under control,\" {GOVNR}, the governor of the {REGION} region, told {OUTLET}.",
    "{PRES_S} said in a televised address that those responsible \"will be brought to justice, wherever they are hiding.\"",
    "\"These criminals will pay for what they have done,\" {MIN_S} said on a visit to {CITY}.",
    "\"We are reviewing all the information available and will publish our findings,\" said {SPOX_S}.",
    "Interior ministry spokesman {SPOX} told {OUTLET} that \"security has been reinforced at all entrances to the city.\"",
    "\"Our door remains open to dialogue, but not to those who carry weapons against the state,\" {PRES} said.",
};
static const char *const P_QUOTE_GROUP[] = {
    "\"The regime is bombing civilians and calling them terrorists,\" {GLEADER}, a commander of {GROUP}, said by telephone.",
    "In a statement, {GROUP_S} said its fighters \"remain committed to defending our people.\"",
    "{GLEADER_S} accused the government of \"using the war as an excuse to silence every voice of opposition.\"",
    "\"We did not start this war, but we will not surrender,\" {GLEADER} said in a video released online.",
    "A spokesman for {GROUP_S} said the group \"had no involvement whatsoever\" in the attack.",
};
static const char *const P_QUOTE_WITNESS[] = {
    "\"We heard a huge explosion and then everything was dust and screaming,\" said {WITNESS}.",
    "\"My children cannot sleep at night any more,\" said {WITNESS}. \"Every sound makes them cry.\"",
    "\"There is no safe place left in this town,\" said {WITNESS}, who has since fled to {CITY2} with relatives.",
    "\"I carried two children to the ambulance. One of them did not survive,\" said {WITNESS}, who ran to the scene to help.",
    "\"We have been waiting for help for three days and nobody has come,\" said {WITNESS}.",
    "\"The shop is gone. Thirty years of work, gone in a minute,\" said {WITNESS}.",
    "\"We want to live in peace, that is all,\" said {WITNESS}.",
};
static const char *const P_QUOTE_DOCTOR[] = {
    "\"We are overwhelmed. We have wounded people lying in the corridors,\" {DOCTOR_S} said.",
    "\"Most of the injuries are caused by shrapnel and burns,\" said {DOCTOR}, who works at a field clinic near {CITY}.",
    "\"We lack everything: anaesthetics, antibiotics, fuel for the generators,\" {DOCTOR_S} said.",
};
static const char *const P_REACTION[] = {
    "The UN special envoy for {COUNTRY}, {ENVOY}, called on all parties to \"exercise maximum restraint and protect civilians.\"",
    "{NEIGHBOR}'s foreign ministry condemned the violence and urged a return to negotiations.",
    "Rights groups demanded an independent investigation into the incident.",
    "{AID} said it was \"deeply alarmed\" by the rising number of civilian casualties in the {REGION} region.",
    "Foreign governments have repeatedly urged {GOV} and {GROUP} to return to talks.",
    "The European envoy to the region, {ENVOY}, said the attack was \"a grave violation of international humanitarian law.\"",
};
static const char *const P_BACKGROUND[] = {
    "{GROUP} took up arms in {YEAR_PAST}, accusing the central government of neglecting the {REGION} region.",
    "The conflict in {COUNTRY} has killed more than {NBIG} people and displaced hundreds of thousands since it began.",
    "{GROUP_S} controls large parts of the countryside around {CITY}, while government forces hold most towns.",
    "A peace deal signed in {YEAR_PAST} collapsed within months, and fighting has since spread to the {REGION} region.",
    "{COUNTRY}, a country of about {NMILLION} million people, has been unstable since a disputed election in {YEAR_PAST}.",
    "{ARMY} has been fighting {GROUP_S} for years with support from foreign military advisers.",
    "The {REGION} region is rich in minerals but is among the poorest parts of {COUNTRY}.",
    "{GROUP_S} is one of several armed groups operating in the border areas near {NEIGHBOR}.",
    "Government troops recaptured {CITY} from {GROUP_S} in {YEAR_PAST} after a months-long siege.",
    "{PRES} came to power in {YEAR_PAST} promising to end the insurgency, but violence has continued.",
    "The road between {CITY} and {CITY2} has been the scene of repeated ambushes in recent months.",
    "Analysts say {GROUP_S} has grown stronger as the economy has weakened and unemployment has risen among young men.",
    "{COUNTRY} shares a long and porous border with {NEIGHBOR}, which both sides accuse the other of using to smuggle weapons.",
    "Since {YEAR_PAST}, {GROUP_S} has carried out dozens of attacks on army posts, police stations and government offices.",
    "A government offensive in the {REGION} region last year drove {GROUP_S} out of several towns, but the group has since regrouped.",
    "{CITY}, about {KM} km from {CAPITAL}, lies on a main supply route for the army.",
};
static const char *const P_HUMANITARIAN[] = {
    "According to {AID}, more than {NBIG} families have fled their homes in the {REGION} region this year alone.",
    "Aid agencies say food prices in {CITY} have more than doubled since the fighting began.",
    "Humanitarian access to the area remains severely limited because of insecurity and checkpoints.",
    "Many displaced families are living in tents and unfinished buildings with little access to clean water.",
    "The UN says {NMILLION} million people in {COUNTRY} need humanitarian assistance, and its appeal for the country is less than {PCT} percent funded.",
    "Schools in the {REGION} region have been closed for months, leaving tens of thousands of children without education.",
    "Outbreaks of cholera have been reported in camps around {CITY2}, according to health officials.",
    "{AID} said its teams had treated {NBIG} people in the past month, many of them for war wounds and malnutrition.",
};
static const char *const P_POLITICS[] = {
    "{PRES} faces growing criticism at home over his handling of the security situation.",
    "Parliament is due to vote next month on extending the state of emergency in the {REGION} region.",
    "The opposition, led by {PARTY}, has accused the government of corruption and mismanagement.",
    "Elections are scheduled for next year, but opposition parties say they cannot campaign freely in large parts of the country.",
    "Relations between {COUNTRY} and {NEIGHBOR} have been strained since a border dispute in {YEAR_PAST}.",
    "{MIN}, the defence minister, was appointed in {YEAR_PAST} after his predecessor resigned over a series of military setbacks.",
    "A government reshuffle last month brought several former army officers into the cabinet.",
};
static const char *const P_ECONOMY[] = {
    "The {CURRENCY} has lost about {PCT} percent of its value against the dollar over the past year.",
    "The conflict has disrupted farming in the {REGION} region, which produces much of the country's grain.",
    "Fuel shortages have led to long queues at petrol stations in {CAPITAL} and other cities.",
    "Inflation reached {PCT} percent last month, according to the central bank.",
    "Foreign investors have pulled out of several mining projects in the {REGION} region because of the violence.",
    "Public sector workers in {COUNTRY} have gone months without salaries, according to trade unions.",
};
static const char *const P_ANALYSIS[] = {
    "\"Neither side is strong enough to win outright, and both believe time is on their side,\" said {ANALYST}, a researcher at {THINK_TANK}.",
    "{ANALYST}, an analyst at {THINK_TANK}, said the attack showed that {GROUP_S} \"is still capable of striking well beyond its strongholds.\"",
    "\"Every time civilians are killed, recruitment for the armed groups goes up,\" said {ANALYST_S}.",
    "Analysts said the government's reliance on air power risked alienating the population in the {REGION} region.",
    "\"The international community has largely looked away from {COUNTRY},\" said {ANALYST}, a former diplomat.",
    "{ANALYST_S} said the violence could spill over into {NEIGHBOR} if the fighting continued.",
};

/* ---- boilerplate ---- */

static const char *const B_HEADER[] = {
    "Skip to main content", "Skip to navigation", "Menu", "Search", "Sign in", "Subscribe",
    "Log in | Register", "Home | World | Politics | Business | Sport | Opinion | Culture",
    "Breaking News", "Advertisement", "Toggle navigation", "Edition: International",
    "Today's paper", "Accessibility help", "News | Video | Audio | Live", "Subscribe now for full access",
    "World | Africa | Americas | Asia | Europe | Middle East", "LIVE TV", "Donate", "Newsletters",
};
static const char *const B_SHARE[] = {
    "Share this article", "Share on Facebook | Share on X | Share via Email", "Facebook Twitter WhatsApp Email",
    "Copy link", "Share\nTweet\nEmail\nPrint", "Save article", "Listen to this article", "Print this page",
};
static const char *const B_BYLINE[] = {
    "By {REPORTER}", "By {REPORTER} and {REPORTER2}", "{REPORTER}, {OUTLET}", "{OUTLET} staff",
    "By {REPORTER} in {CAPITAL}", "Staff and agencies", "Reporting by {REPORTER}",
};
static const char *const B_CAPTION[] = {
    "Smoke rises over {CITY} after {WHAT}. Photo: {PHOTOG}/{WIRE}",
    "Residents inspect the damage in {CITY} on {WEEKDAY}. (Photo: {PHOTOG}/{WIRE})",
    "FILE PHOTO: {ADJ} soldiers patrol a street in {CITY2}. ({WIRE})",
    "Image caption: Rescue workers search the rubble in {CITY}",
    "A man walks past a damaged building in {CITY}. Photograph: {PHOTOG}/{WIRE}",
    "People gather at the scene in {CITY}, {COUNTRY}. {PHOTOG}/{WIRE}/Pool",
};
static const char *const B_MID[] = {
    "Read more: {RELATED}",
    "ADVERTISEMENT",
    "Sign up for the {OUTLET} newsletter and get the day's top stories in your inbox every morning.",
    "Related: {RELATED}",
    "Story continues below advertisement",
    "Continue reading the main story",
    "RECOMMENDED READING",
    "Get our free Morning Briefing. Sign up here.",
};
static const char *const B_FOOTER[] = {
    "Topics: {COUNTRY} | Conflict | {REGION}",
    "{NCOMMENTS} comments",
    "Join the conversation",
    "More from World",
    "Follow us on Facebook, X and Instagram",
    "Terms of Use | Privacy Policy | Cookie Settings | Contact us",
    "Was this article helpful? Yes No",
    "Have a news tip? Contact our newsroom.",
    "Most read",
    "Comments are closed for this article.",
    "We use cookies to improve your experience. By continuing you agree to our cookie policy.",
};
static const char *const B_RELATED[] = {
    "{RCOUNTRY} president vows to tackle rising prices",
    "Floods displace thousands in {RCOUNTRY}'s north",
    "{RADJ} opposition leader freed after months in detention",
    "Explainer: who is fighting whom in {RCOUNTRY}?",
    "{RCAPITAL} hosts talks on regional trade corridor",
    "Gunmen kidnap aid workers in {RCOUNTRY}",
    "{RADJ} parliament passes controversial media law",
    "Drought threatens harvest across {RCOUNTRY}",
    "Analysis: why the {RADJ} ceasefire keeps failing",
    "{RADJ} army says it killed senior rebel commander",
    "Teachers strike over unpaid wages in {RCAPITAL}",
    "Doctors warn of cholera risk in {RCOUNTRY} camps",
};

#endif
