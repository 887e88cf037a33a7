-- Samarbejdsrum: demo data (see DOMAIN.md, "Demo data").
-- A believable Danmarks Miljøportal installation plus one OS2 group of each kind. All people are fictional,
-- all e-mail domains end in .example. Dates are computed from the current local date (Europe/Copenhagen),
-- so the demo never goes stale. Run by the application inside its own transaction on an empty database.
-- Rows are linked by code, slug, email and title, never by hard-coded ids.

-- ---------------------------------------------------------------------------------------------------------
-- O1: parties and organisations
-- ---------------------------------------------------------------------------------------------------------
INSERT INTO parties (code, name, kind, sort_order) VALUES
    ('staten',          'Staten',               'party',               1),
    ('regionerne',      'Regionerne',           'party',               2),
    ('kommunerne',      'Kommunerne',           'party',               3),
    ('sekretariat',     'Sekretariatet',        'secretariat',         4),
    ('os2-kommuner',    'OS2-kommunerne',       'member_organisation', 10),
    ('os2-regioner',    'OS2-regionerne',       'member_organisation', 11),
    ('os2-leverandoer', 'Nordlys Software ApS', 'vendor',              20);

INSERT INTO organisations (party_id, name)
SELECT p.id, v.name
FROM (VALUES
    ('staten',          'Miljøministeriet'),
    ('staten',          'Miljøstyrelsen'),
    ('regionerne',      'Danske Regioner'),
    ('regionerne',      'Region Midtjylland'),
    ('regionerne',      'Region Hovedstaden'),
    ('kommunerne',      'KL'),
    ('kommunerne',      'Aarhus Kommune'),
    ('kommunerne',      'Odense Kommune'),
    ('kommunerne',      'Aalborg Kommune'),
    ('sekretariat',     'Danmarks Miljøportal'),
    ('os2-kommuner',    'Ballerup Kommune'),
    ('os2-kommuner',    'Holstebro Kommune'),
    ('os2-kommuner',    'Syddjurs Kommune'),
    ('os2-kommuner',    'Frederiksberg Kommune'),
    ('os2-regioner',    'Region Nordjylland'),
    ('os2-leverandoer', 'Nordlys Software ApS')
) AS v(party, name)
JOIN parties p ON p.code = v.party;

-- Group kinds (O2, S1) are reference data: migration 0009 puts them in every installation.

-- ---------------------------------------------------------------------------------------------------------
-- Groups (O2, O5, S1)
-- ---------------------------------------------------------------------------------------------------------
INSERT INTO groups (kind_id, slug, name, purpose, confidentiality)
SELECT k.id, 'bestyrelse', 'Bestyrelsen',
       'Partnerskabets øverste ledelse. Bestyrelsen fastsætter faggruppernes budgetter, godkender kommissorier og udpeger faggruppernes forpersoner.',
       'internal'
FROM group_kinds k WHERE k.code = 'bestyrelse';

INSERT INTO groups (kind_id, slug, name, purpose, confidentiality, reports_to_id)
SELECT k.id, 'stabsgruppe', 'Stabsgruppen',
       'Forbereder Bestyrelsens beslutninger, godkender nye faggruppemedlemmer og er bindeled mellem faggrupperne og Bestyrelsen.',
       'internal', (SELECT id FROM groups WHERE slug = 'bestyrelse')
FROM group_kinds k WHERE k.code = 'stabsgruppe';

INSERT INTO groups (kind_id, slug, name, purpose, confidentiality, reports_to_id)
SELECT k.id, v.slug, v.name, v.purpose, 'internal', (SELECT id FROM groups WHERE slug = 'stabsgruppe')
FROM group_kinds k,
(VALUES
    ('natur', 'Natur',
     'Faggruppen Natur har ansvaret for løsningerne til registrering og formidling af naturdata, især Naturdatabasen og Danmarks Arealinformation. Gruppen prioriterer ændringsønsker, holder registreringsvejledninger og metadata for naturdata ajour og sikrer, at løsningerne understøtter myndighedernes arbejde med beskyttet natur, arter og Natura 2000.'),
    ('jord', 'Jord',
     'Faggruppen Jord har ansvaret for DKjord og Miljøvurderingsregisteret. Gruppen arbejder for ensartede og pålidelige data om kortlagt jordforurening, jordflytning og miljøvurderinger, så borgere, virksomheder og myndigheder får de samme oplysninger.'),
    ('vand', 'Vand',
     'Faggruppen Vand har ansvaret for VanDa og dermed for data om vandløb, søer, kystvande og grundvand. Gruppen sikrer, at målinger og tilstandsdata kan bruges direkte i vandområdeplanerne og i kommunernes og regionernes sagsbehandling.')
) AS v(slug, name, purpose)
WHERE k.code = 'faggruppe';

INSERT INTO groups (kind_id, slug, name, purpose, confidentiality)
SELECT k.id, v.slug, v.name, v.purpose, v.conf::confidentiality
FROM (VALUES
    ('os2-styregruppe', 'os2-styregruppe-kitos', 'Styregruppen for Kitos',
     'Styregruppen har det overordnede ansvar for Kitos, OS2-fællesskabets overblik over it-systemer, kontrakter og databehandling. Gruppen godkender budget og roadmap og sikrer opbakning i medlemsorganisationerne.',
     'internal'),
    ('os2-koordinationsgruppe', 'os2-koordinationsgruppe-os2mo', 'Koordinationsgruppen for OS2mo',
     'Koordinationsgruppen er product owner for OS2mo (medarbejder og organisation). Gruppen prioriterer medlemmernes ønsker, holder kontakten til leverandøren og sørger for et stabilt produkt.',
     'internal'),
    ('os2-faggruppe', 'os2-faggruppe-gis', 'Faggruppen for GIS',
     'Faggruppen samler kommunernes GIS-folk om erfaringer med geodata, kortløsninger og åbne standarder. Gruppen deler viden og har ingen udviklingsopgaver.',
     'public')
) AS v(kind, slug, name, purpose, conf)
JOIN group_kinds k ON k.code = v.kind;

-- ---------------------------------------------------------------------------------------------------------
-- O4: solutions in operation
-- ---------------------------------------------------------------------------------------------------------
INSERT INTO solutions (name, description, group_id)
SELECT v.name, v.description, g.id
FROM (VALUES
    ('Naturdatabasen', 'Fælles database for besigtigelser af beskyttet natur og fund af arter. Kommuner og stat registrerer, og alle kan se data.', 'natur'),
    ('Danmarks Arealinformation', 'Kortportal der samler arealoplysninger om natur, miljø og planlægning ét sted, til myndigheder, rådgivere og borgere.', 'natur'),
    ('DKjord', 'Landsdækkende løsning for kortlagt jordforurening. Regionerne registrerer, og borgere kan hente jordforureningsattester.', 'jord'),
    ('Miljøvurderingsregisteret', 'Register over screeninger og miljøvurderinger af planer, programmer og projekter.', 'jord'),
    ('VanDa', 'Database for målinger og observationer i vandløb, søer og kystvande, som bruges i overvågning og vandområdeplaner.', 'vand')
) AS v(name, description, slug)
JOIN groups g ON g.slug = v.slug;

-- ---------------------------------------------------------------------------------------------------------
-- M7, M8: people (all fictional)
-- ---------------------------------------------------------------------------------------------------------
INSERT INTO people (name, title, organisation_id, party_id, management_level, email, phone, competences, education, networks)
SELECT v.name, v.title, o.id, p.id, v.mgmt, v.email, v.phone, v.competences, v.education, v.networks
FROM (VALUES
    -- Secretariat (Danmarks Miljøportal)
    ('Jakob Winther', 'IT-administrator', 'Danmarks Miljøportal', 'sekretariat', false, 'admin@dmp.example', '+45 72 54 40 01',
     'Brugeradministration, drift af samarbejdsrummet, informationssikkerhed', 'Datamatiker', 'Netværk for offentlige it-administratorer'),
    ('Signe Bak', 'Fagområdeansvarlig', 'Danmarks Miljøportal', 'sekretariat', false, 'sekretariat@dmp.example', '+45 72 54 40 12',
     'Faggruppebetjening, ændringsønsker og roadmap, metadata og registreringsvejledninger', 'Cand.scient. i biologi', 'Netværk for fagområdeansvarlige, Geoforum'),
    ('Morten Kjær', 'Drifts- og vedligeholdelseschef', 'Danmarks Miljøportal', 'sekretariat', true, 'morten.kjaer@dmp.example', '+45 72 54 40 05',
     'Drift og leverandørstyring, budgetopfølgning, it-arkitektur', 'Cand.polyt.', 'Fællesoffentligt driftsnetværk'),
    ('Anne Sommer', 'Fagområdeansvarlig, jord', 'Danmarks Miljøportal', 'sekretariat', false, 'anne.sommer@dmp.example', '+45 72 54 40 17',
     'Jordforureningsdata, DKjord, miljøvurderinger', 'Cand.scient. i geologi', 'Jordnetværket, ATV Jord og Grundvand'),
    ('Birthe Lassen', 'Direktør', 'Danmarks Miljøportal', 'sekretariat', true, 'birthe.lassen@dmp.example', '+45 72 54 40 00',
     'Strategi, partnerskabsledelse, fællesoffentlig digitalisering', 'Cand.polit.', 'Direktørkredsen for fællesoffentlige it-fællesskaber'),
    -- Natur
    ('Karen Vestergaard', 'Kontorchef, Naturforvaltning', 'Miljøstyrelsen', 'staten', true, 'forperson.natur@mst.example', '+45 72 54 21 10',
     'Naturforvaltning, Natura 2000, ledelse af tværgående samarbejder', 'Cand.scient. i biologi', 'Nordisk netværk for naturdata'),
    ('Jonas Kirkegaard', 'Biolog', 'Miljøstyrelsen', 'staten', false, 'jonas.kirkegaard@mst.example', '+45 72 54 21 34',
     'Besigtigelse af beskyttet natur, artsdata, naturovervågning', 'Cand.scient. i biologi', 'Dansk Botanisk Forening'),
    ('Louise Dam', 'Fuldmægtig, jura', 'Miljøministeriet', 'staten', false, 'louise.dam@mim.example', '+45 72 54 00 47',
     'Naturbeskyttelsesloven, habitatdirektivet, dataansvar', 'Cand.jur.', 'Netværk for miljøjura'),
    ('Henrik Bech', 'Specialkonsulent', 'Miljøstyrelsen', 'staten', false, 'henrik.bech@mst.example', '+45 72 54 21 58',
     'Datamodeller, GIS, vandområdeplaner', 'Cand.scient. i geografi', 'Geoforum'),
    ('Anders Toft', 'Afdelingsleder, Natur og Miljø', 'Region Midtjylland', 'regionerne', true, 'anders.toft@rm.example', '+45 78 41 22 05',
     'Råstofplanlægning, natur i regional udvikling, ledelse', 'Cand.scient. i biologi', 'Regionernes miljøchefnetværk'),
    ('Camilla Rask', 'Miljøkonsulent', 'Region Hovedstaden', 'regionerne', false, 'camilla.rask@regionh.example', '+45 38 66 51 20',
     'Natur og grundvand, råstofindvinding, kortlægning', 'Cand.scient. i naturressourcer', 'Regionalt GIS-netværk'),
    ('Peter Lund', 'Chefkonsulent', 'Danske Regioner', 'regionerne', false, 'peter.lund@regioner.example', '+45 35 29 81 43',
     'Miljøpolitik, tværregional koordinering', 'Cand.scient.pol.', 'Tværregionalt miljønetværk'),
    ('Birgitte Skov', 'Naturkonsulent', 'Region Midtjylland', 'regionerne', false, 'suppleant.natur@rm.example', '+45 78 41 22 31',
     'Naturtyper, artsregistrering, GIS', 'Cand.scient. i biologi', 'Dansk Ornitologisk Forening'),
    ('Rasmus Friis', 'Biolog', 'Aarhus Kommune', 'kommunerne', false, 'medlem.natur@aarhus.example', '+45 89 40 23 17',
     'Paragraf 3-besigtigelser, invasive arter, registrering i Naturdatabasen', 'Cand.scient. i biologi', 'Kommunernes naturnetværk Østjylland'),
    ('Susanne Mikkelsen', 'Teamleder, Natur', 'Odense Kommune', 'kommunerne', true, 'susanne.mikkelsen@odense.example', '+45 65 51 26 80',
     'Naturplanlægning, ledelse, borgerinddragelse', 'Cand.scient. i biologi', 'KL''s naturnetværk'),
    ('Thomas Krogh', 'Specialkonsulent', 'KL', 'kommunerne', false, 'thomas.krogh@kl.example', '+45 33 70 35 62',
     'Kommunal miljøforvaltning, digitalisering, lovgivning', 'Cand.scient.adm.', 'KL''s teknik- og miljønetværk'),
    ('Line Østergaard', 'Biolog', 'Aalborg Kommune', 'kommunerne', false, 'line.oestergaard@aalborg.example', '+45 99 31 24 08',
     'Naturtilsyn, vandløb, artsdata', 'Cand.scient. i biologi', 'Nordjysk naturnetværk'),
    -- Jord
    ('Niels Dalgaard', 'Kontorchef, Jord og Affald', 'Miljøstyrelsen', 'staten', true, 'niels.dalgaard@mst.example', '+45 72 54 23 02',
     'Jordforureningsloven, affaldsregulering, ledelse', 'Cand.polyt. i miljøteknologi', 'Nordisk netværk for jordforurening'),
    ('Ida Lauridsen', 'Geolog', 'Miljøstyrelsen', 'staten', false, 'ida.lauridsen@mst.example', '+45 72 54 23 26',
     'Kortlægning af jordforurening, jordflytning, miljøvurderinger', 'Cand.scient. i geologi', 'ATV Jord og Grundvand'),
    ('Erik Fog', 'Fuldmægtig', 'Miljøministeriet', 'staten', false, 'erik.fog@mim.example', '+45 72 54 00 63',
     'Miljøvurderingsloven, forvaltningsret', 'Cand.jur.', 'Netværk for miljøjura'),
    ('Kristian Holm', 'Enhedschef, Jordforurening', 'Region Hovedstaden', 'regionerne', true, 'kristian.holm@regionh.example', '+45 38 66 52 00',
     'Kortlægning og oprydning, ledelse, prioritering af indsatser', 'Cand.scient. i geologi', 'Regionernes jordchefnetværk'),
    ('Maria Thygesen', 'Geolog', 'Region Midtjylland', 'regionerne', false, 'maria.thygesen@rm.example', '+45 78 41 23 44',
     'V1- og V2-kortlægning, grundvandsbeskyttelse', 'Cand.scient. i geologi', 'ATV Jord og Grundvand'),
    ('Pia Madsen', 'Projektleder, jordforurening', 'Region Hovedstaden', 'regionerne', false, 'pia.madsen@regionh.example', '+45 38 66 52 19',
     'Undersøgelser og afværge, dataindberetning', 'Cand.techn.soc.', 'Regionalt jordnetværk'),
    ('Ole Hvid', 'Teamleder, Jord og Affald', 'Odense Kommune', 'kommunerne', true, 'ole.hvid@odense.example', '+45 65 51 27 40',
     'Jordflytning, områdeklassificering, ledelse', 'Miljøtekniker og diplomleder', 'Kommunalt jordnetværk Fyn'),
    ('Lene Bruun', 'Miljøsagsbehandler', 'Aalborg Kommune', 'kommunerne', false, 'lene.bruun@aalborg.example', '+45 99 31 25 16',
     'Jordflytning, anmeldelser, tilsyn', 'Miljøteknolog', 'Nordjysk jordnetværk'),
    ('Søren Koch', 'Miljøtekniker', 'Aarhus Kommune', 'kommunerne', false, 'soeren.koch@aarhus.example', '+45 89 40 24 55',
     'Jordflytning, digital anmeldelse', 'Miljøteknolog', 'Kommunalt jordnetværk Østjylland'),
    ('Nanna Juhl', 'Geolog', 'Aarhus Kommune', 'kommunerne', false, 'nanna.juhl@aarhus.example', '+45 89 40 24 71',
     'Områdeklassificering, jordforurening, GIS', 'Cand.scient. i geologi', 'ATV Jord og Grundvand'),
    -- Vand
    ('Helle Brandt', 'Vicekontorchef, Vandplanlægning', 'Miljøstyrelsen', 'staten', true, 'helle.brandt@mst.example', '+45 72 54 24 01',
     'Vandområdeplaner, overvågning, ledelse', 'Cand.scient. i biologi', 'EU-netværk for vandrammedirektivet'),
    ('Mads Iversen', 'Hydrolog', 'Miljøstyrelsen', 'staten', false, 'mads.iversen@mst.example', '+45 72 54 24 27',
     'Vandføring, målestationer, datakvalitet', 'Cand.scient. i geografi', 'Dansk Hydrologisk Forening'),
    ('Tina Poulsen', 'Geolog, grundvand', 'Region Hovedstaden', 'regionerne', false, 'tina.poulsen@regionh.example', '+45 38 66 53 10',
     'Grundvandsdata, boringer, jordforurening og grundvand', 'Cand.scient. i geologi', 'Grundvandsnetværket'),
    ('Kasper Nygaard', 'Hydrogeolog', 'Region Midtjylland', 'regionerne', false, 'kasper.nygaard@rm.example', '+45 78 41 24 38',
     'Modellering, grundvand, klimatilpasning', 'Cand.scient. i geologi', 'Dansk Hydrologisk Forening'),
    ('Jesper Vinther', 'Afdelingsleder, Vand og Natur', 'Aarhus Kommune', 'kommunerne', true, 'jesper.vinther@aarhus.example', '+45 89 40 25 00',
     'Vandløbsforvaltning, spildevand, ledelse', 'Cand.agro.', 'Kommunernes vandnetværk'),
    ('Hanne Kristoffersen', 'Vandløbsmedarbejder', 'Aalborg Kommune', 'kommunerne', false, 'hanne.kristoffersen@aalborg.example', '+45 99 31 26 33',
     'Vandløbsrestaurering, smådyr, feltmålinger', 'Cand.scient. i biologi', 'Nordjysk vandløbsnetværk'),
    -- Stabsgruppen
    ('Lars Mølgaard', 'Kontorchef', 'Miljøministeriet', 'staten', true, 'lars.moelgaard@mim.example', '+45 72 54 00 11',
     'Digitalisering i miljøforvaltningen, styring af partnerskaber', 'Cand.polit.', 'Statens digitaliseringschefer'),
    ('Charlotte Winge', 'Kontorchef, Miljø og Ressourcer', 'Danske Regioner', 'regionerne', true, 'charlotte.winge@regioner.example', '+45 35 29 81 10',
     'Regional miljøpolitik, ressourcer, forhandling', 'Cand.scient.pol.', 'Tværregionalt miljønetværk'),
    ('Poul Eriksen', 'Kontorchef, Teknik og Miljø', 'KL', 'kommunerne', true, 'poul.eriksen@kl.example', '+45 33 70 34 21',
     'Kommunal miljøforvaltning, økonomi, digitalisering', 'Cand.oecon.', 'KL''s teknik- og miljøchefforum'),
    -- Bestyrelsen
    ('Kirsten Høj', 'Afdelingschef', 'Miljøministeriet', 'staten', true, 'kirsten.hoej@mim.example', '+45 72 54 00 02',
     'Strategisk ledelse, miljøpolitik', 'Cand.jur.', 'Departementets chefforum'),
    ('Bo Sandberg', 'Direktør for regional udvikling', 'Region Midtjylland', 'regionerne', true, 'bo.sandberg@rm.example', '+45 78 41 20 00',
     'Regional udvikling, ledelse', 'Cand.polit.', 'Regionernes direktørkreds'),
    ('Vibeke Lynge', 'Direktør, Miljø og Energi', 'Aalborg Kommune', 'kommunerne', true, 'vibeke.lynge@aalborg.example', '+45 99 31 20 00',
     'Kommunal ledelse, klima og miljø', 'Cand.techn.soc.', 'Kommunaldirektørernes miljøforum'),
    -- OS2
    ('Gitte Rømer', 'IT-chef', 'Ballerup Kommune', 'os2-kommuner', true, 'gitte.roemer@ballerup.example', '+45 44 77 21 00',
     'It-styring, kontrakter, informationssikkerhed', 'Cand.merc.(dat.)', 'OS2-fællesskabet, KITA'),
    ('Frank Olesen', 'Digitaliseringschef', 'Holstebro Kommune', 'os2-kommuner', true, 'frank.olesen@holstebro.example', '+45 96 11 70 05',
     'Digitalisering, porteføljestyring', 'Cand.scient.adm.', 'OS2-fællesskabet'),
    ('Annette Bisgaard', 'Afdelingschef, IT', 'Region Nordjylland', 'os2-regioner', true, 'annette.bisgaard@rn.example', '+45 97 64 80 12',
     'It-drift, leverandørstyring', 'Cand.polyt.', 'Regionernes it-chefer'),
    ('Lise Hald', 'Produktkoordinator', 'Syddjurs Kommune', 'os2-kommuner', false, 'lise.hald@syddjurs.example', '+45 87 53 51 44',
     'Produktledelse, organisationsdata, agil udvikling', 'Cand.it.', 'OS2-fællesskabet, produktkoordinatornetværket'),
    ('Kim Søndergaard', 'Systemejer', 'Frederiksberg Kommune', 'os2-kommuner', false, 'kim.soendergaard@frederiksberg.example', '+45 38 21 09 72',
     'Identitetsstyring, organisationsdata, integrationer', 'Datamatiker', 'OS2-fællesskabet'),
    ('Tobias Lindberg', 'Løsningsarkitekt', 'Nordlys Software ApS', 'os2-leverandoer', false, 'tobias.lindberg@nordlys.example', '+45 70 20 44 90',
     'Open source-udvikling, integrationer, drift', 'Cand.scient. i datalogi', 'OS2-leverandørnetværket'),
    ('Rikke Vad', 'GIS-koordinator', 'Holstebro Kommune', 'os2-kommuner', false, 'rikke.vad@holstebro.example', '+45 96 11 73 18',
     'GIS, geodata, QGIS, åbne standarder', 'Landinspektør', 'Geoforum, QGIS-brugergruppen'),
    ('Michael Dyhr', 'GIS-specialist', 'Frederiksberg Kommune', 'os2-kommuner', false, 'michael.dyhr@frederiksberg.example', '+45 38 21 11 46',
     'Kortløsninger, geodata, organisationsdata', 'Cand.scient. i geografi', 'Geoforum')
) AS v(name, title, org, party, mgmt, email, phone, competences, education, networks)
JOIN parties p ON p.code = v.party
JOIN organisations o ON o.party_id = p.id AND o.name = v.org;

-- The five demo logins. The application replaces 'DEMO' with a real argon2 hash.
INSERT INTO accounts (person_id, password_hash, role)
SELECT p.id, 'DEMO', v.role
FROM (VALUES
    ('admin@dmp.example',           'admin'),
    ('sekretariat@dmp.example',     'secretariat'),
    ('forperson.natur@mst.example', 'user'),
    ('medlem.natur@aarhus.example', 'user'),
    ('suppleant.natur@rm.example',  'user')
) AS v(email, role)
JOIN people p ON lower(p.email) = v.email;

-- ---------------------------------------------------------------------------------------------------------
-- O3, S2: charters
-- ---------------------------------------------------------------------------------------------------------
-- Faggrupper: version 1 approved by the board on 28 May 2024, filled in from the kind's template.
INSERT INTO charters (group_id, version, body, status, approved_by, approved_on, created_by, created_at, approving_body_id)
SELECT g.id, 1,
       replace(replace(k.charter_template, '[FAGGRUPPE]', g.name), '[LØSNINGER]', s.list),
       'approved', 'Bestyrelsen', date '2024-05-28',
       (SELECT id FROM people WHERE email = 'sekretariat@dmp.example'),
       timestamptz '2024-05-28 12:00+02', (SELECT id FROM approving_bodies WHERE code = 'bestyrelse')
FROM groups g
JOIN group_kinds k ON k.id = g.kind_id
CROSS JOIN LATERAL (SELECT string_agg(name, ' og ' ORDER BY name) AS list FROM solutions WHERE group_id = g.id) s
WHERE k.code = 'faggruppe';

-- Natur: a draft version 2 with the change the group asked for at its charter review (meeting I).
INSERT INTO charters (group_id, version, body, status, created_by)
SELECT c.group_id, 2,
       'UDKAST til version 2 - faggruppens forslag fra årets kommissoriegennemgang. Skal godkendes af Bestyrelsen.'
       || chr(10) || chr(10)
       || replace(c.body,
                  'Arbejdsmøder mellem de ordinære møder holdes som regel online.',
                  'Arbejdsmøder mellem de ordinære møder holdes som regel online. Ordinære møder kan holdes som hybridmøder, når en deltager har særlige grunde til at deltage online, og Sekretariatet sørger for, at alle kan følge med.'),
       'draft',
       (SELECT id FROM people WHERE email = 'sekretariat@dmp.example')
FROM charters c JOIN groups g ON g.id = c.group_id
WHERE g.slug = 'natur' AND c.version = 1;

-- Governance bodies.
INSERT INTO charters (group_id, version, body, status, approved_by, approved_on, created_by, created_at, approving_body_id)
SELECT g.id, 1, k.charter_template, 'approved', 'Bestyrelsen', date '2023-11-21',
       (SELECT id FROM people WHERE email = 'birthe.lassen@dmp.example'), timestamptz '2023-11-21 12:00+01',
       (SELECT id FROM approving_bodies WHERE code = 'bestyrelse')
FROM groups g JOIN group_kinds k ON k.id = g.kind_id
WHERE g.slug IN ('bestyrelse', 'stabsgruppe');

-- OS2 groups: filled in together at the group's first meeting and approved by the group itself.
INSERT INTO charters (group_id, version, body, status, approved_by, approved_on, created_by, created_at, approving_body_id)
SELECT g.id, 1,
       replace(replace(k.charter_template, '[PRODUKT]', v.product),
               '[ANSVAR]', '- ' || replace(k.responsibilities, chr(10), chr(10) || '- ')),
       'approved', g.name || ' (første møde)', v.approved_on,
       (SELECT id FROM people WHERE email = v.author), (v.approved_on + time '15:00') AT TIME ZONE 'Europe/Copenhagen',
       (SELECT id FROM approving_bodies WHERE code = 'gruppen')
FROM (VALUES
    ('os2-styregruppe-kitos',         'Kitos', date '2025-03-12', 'gitte.roemer@ballerup.example'),
    ('os2-koordinationsgruppe-os2mo', 'OS2mo', date '2025-02-04', 'lise.hald@syddjurs.example'),
    ('os2-faggruppe-gis',             'GIS og geodata', date '2025-04-09', 'rikke.vad@holstebro.example')
) AS v(slug, product, approved_on, author)
JOIN groups g ON g.slug = v.slug
JOIN group_kinds k ON k.id = g.kind_id;

-- S3: follow-or-explain.
INSERT INTO follow_or_explain (group_id, requirement, explanation, recorded_by, recorded_at)
SELECT g.id,
       'Et OS2-produkt skal have en styregruppe med beslutningstagere fra medlemsorganisationerne.',
       'OS2mo har endnu ingen styregruppe, fordi de deltagende kommuner først vil samle erfaringer med den nye version. Indtil da varetager koordinationsgruppen også ledelsesansvaret, som governancemodellen tillader, og spørgsmålet tages op igen på årets sidste møde.',
       (SELECT id FROM people WHERE email = 'lise.hald@syddjurs.example'),
       timestamptz '2025-02-04 15:30+01'
FROM groups g WHERE g.slug = 'os2-koordinationsgruppe-os2mo';

-- ---------------------------------------------------------------------------------------------------------
-- M1-M6: memberships
-- ---------------------------------------------------------------------------------------------------------
INSERT INTO memberships (group_id, person_id, role, party_id, status, nominated_on, approved_on, starts_on)
SELECT g.id, pe.id, v.role, pa.id, 'active', v.approved - 21, v.approved, v.starts
FROM (VALUES
    -- Natur: 11 members (staten 3 incl. chair, regionerne 3, kommunerne 3, secretariat 2) + 3 substitutes
    ('natur', 'forperson.natur@mst.example',       'chair',       'staten',      date '2024-05-28', date '2024-06-01'),
    ('natur', 'jonas.kirkegaard@mst.example',      'member',      'staten',      date '2024-06-11', date '2024-07-01'),
    ('natur', 'louise.dam@mim.example',            'member',      'staten',      date '2025-02-18', date '2025-03-01'),
    ('natur', 'henrik.bech@mst.example',           'substitute',  'staten',      date '2024-06-11', date '2024-07-01'),
    ('natur', 'anders.toft@rm.example',            'member',      'regionerne',  date '2024-06-11', date '2024-07-01'),
    ('natur', 'camilla.rask@regionh.example',      'member',      'regionerne',  date '2024-06-11', date '2024-07-01'),
    ('natur', 'peter.lund@regioner.example',       'member',      'regionerne',  date '2024-09-10', date '2024-10-01'),
    ('natur', 'suppleant.natur@rm.example',        'substitute',  'regionerne',  date '2024-09-10', date '2024-10-01'),
    ('natur', 'medlem.natur@aarhus.example',       'member',      'kommunerne',  date '2024-06-11', date '2024-07-01'),
    ('natur', 'susanne.mikkelsen@odense.example',  'member',      'kommunerne',  date '2024-06-11', date '2024-07-01'),
    ('natur', 'thomas.krogh@kl.example',           'member',      'kommunerne',  date '2025-01-14', date '2025-02-01'),
    ('natur', 'line.oestergaard@aalborg.example',  'substitute',  'kommunerne',  date '2024-06-11', date '2024-07-01'),
    ('natur', 'sekretariat@dmp.example',           'secretariat', 'sekretariat', date '2024-06-01', date '2024-06-01'),
    ('natur', 'morten.kjaer@dmp.example',          'secretariat', 'sekretariat', date '2024-06-01', date '2024-06-01'),
    -- Jord: 2 per party, 2 secretariat, a substitute per party (plus one nominated member below)
    ('jord',  'niels.dalgaard@mst.example',        'chair',       'staten',      date '2024-05-28', date '2024-06-01'),
    ('jord',  'ida.lauridsen@mst.example',         'member',      'staten',      date '2024-06-11', date '2024-07-01'),
    ('jord',  'erik.fog@mim.example',              'substitute',  'staten',      date '2024-06-11', date '2024-07-01'),
    ('jord',  'kristian.holm@regionh.example',     'member',      'regionerne',  date '2024-06-11', date '2024-07-01'),
    ('jord',  'maria.thygesen@rm.example',         'member',      'regionerne',  date '2024-09-10', date '2024-10-01'),
    ('jord',  'pia.madsen@regionh.example',        'substitute',  'regionerne',  date '2024-09-10', date '2024-10-01'),
    ('jord',  'ole.hvid@odense.example',           'member',      'kommunerne',  date '2024-06-11', date '2024-07-01'),
    ('jord',  'lene.bruun@aalborg.example',        'member',      'kommunerne',  date '2025-03-11', date '2025-04-01'),
    ('jord',  'soeren.koch@aarhus.example',        'substitute',  'kommunerne',  date '2024-06-11', date '2024-07-01'),
    ('jord',  'sekretariat@dmp.example',           'secretariat', 'sekretariat', date '2024-06-01', date '2024-06-01'),
    ('jord',  'anne.sommer@dmp.example',           'secretariat', 'sekretariat', date '2024-06-01', date '2024-06-01'),
    -- Vand: regionerne have no management-level member (M3 warning) and no substitute (M6 warning)
    ('vand',  'helle.brandt@mst.example',          'chair',       'staten',      date '2024-05-28', date '2024-06-01'),
    ('vand',  'mads.iversen@mst.example',          'member',      'staten',      date '2024-06-11', date '2024-07-01'),
    ('vand',  'henrik.bech@mst.example',           'substitute',  'staten',      date '2024-06-11', date '2024-07-01'),
    ('vand',  'tina.poulsen@regionh.example',      'member',      'regionerne',  date '2024-06-11', date '2024-07-01'),
    ('vand',  'kasper.nygaard@rm.example',         'member',      'regionerne',  date '2025-01-14', date '2025-02-01'),
    ('vand',  'jesper.vinther@aarhus.example',     'member',      'kommunerne',  date '2024-06-11', date '2024-07-01'),
    ('vand',  'hanne.kristoffersen@aalborg.example','member',     'kommunerne',  date '2024-06-11', date '2024-07-01'),
    ('vand',  'line.oestergaard@aalborg.example',  'substitute',  'kommunerne',  date '2024-06-11', date '2024-07-01'),
    ('vand',  'sekretariat@dmp.example',           'secretariat', 'sekretariat', date '2024-06-01', date '2024-06-01'),
    -- Stabsgruppen: one management-level representative per party and the secretariat's director
    ('stabsgruppe', 'lars.moelgaard@mim.example',       'chair',       'staten',      date '2024-01-09', date '2024-01-09'),
    ('stabsgruppe', 'charlotte.winge@regioner.example', 'member',      'regionerne',  date '2024-01-09', date '2024-01-09'),
    ('stabsgruppe', 'poul.eriksen@kl.example',          'member',      'kommunerne',  date '2024-01-09', date '2024-01-09'),
    ('stabsgruppe', 'birthe.lassen@dmp.example',        'secretariat', 'sekretariat', date '2024-01-09', date '2024-01-09'),
    -- Bestyrelsen
    ('bestyrelse', 'kirsten.hoej@mim.example',         'chair',       'staten',      date '2024-01-23', date '2024-01-23'),
    ('bestyrelse', 'bo.sandberg@rm.example',           'member',      'regionerne',  date '2024-01-23', date '2024-01-23'),
    ('bestyrelse', 'vibeke.lynge@aalborg.example',     'member',      'kommunerne',  date '2024-01-23', date '2024-01-23'),
    ('bestyrelse', 'birthe.lassen@dmp.example',        'secretariat', 'sekretariat', date '2024-01-23', date '2024-01-23'),
    -- OS2 (membership is voluntary, no approval step; approved_on records the date the group accepted them)
    ('os2-styregruppe-kitos', 'gitte.roemer@ballerup.example',   'chair',  'os2-kommuner', date '2025-03-12', date '2025-03-12'),
    ('os2-styregruppe-kitos', 'frank.olesen@holstebro.example',  'member', 'os2-kommuner', date '2025-03-12', date '2025-03-12'),
    ('os2-styregruppe-kitos', 'annette.bisgaard@rn.example',     'member', 'os2-regioner', date '2025-03-12', date '2025-03-12'),
    ('os2-koordinationsgruppe-os2mo', 'kim.soendergaard@frederiksberg.example', 'chair',       'os2-kommuner',    date '2025-02-04', date '2025-02-04'),
    ('os2-koordinationsgruppe-os2mo', 'lise.hald@syddjurs.example',             'coordinator', 'os2-kommuner',    date '2025-02-04', date '2025-02-04'),
    ('os2-koordinationsgruppe-os2mo', 'michael.dyhr@frederiksberg.example',     'member',      'os2-kommuner',    date '2025-02-04', date '2025-02-04'),
    ('os2-koordinationsgruppe-os2mo', 'tobias.lindberg@nordlys.example',        'vendor',      'os2-leverandoer', date '2025-02-04', date '2025-02-04'),
    ('os2-faggruppe-gis', 'rikke.vad@holstebro.example',        'chair',  'os2-kommuner', date '2025-04-09', date '2025-04-09'),
    ('os2-faggruppe-gis', 'michael.dyhr@frederiksberg.example', 'member', 'os2-kommuner', date '2025-04-09', date '2025-04-09'),
    ('os2-faggruppe-gis', 'lise.hald@syddjurs.example',         'member', 'os2-kommuner', date '2025-05-20', date '2025-05-20')
) AS v(slug, email, role, party, approved, starts)
JOIN groups g ON g.slug = v.slug
JOIN people pe ON lower(pe.email) = v.email
JOIN parties pa ON pa.code = v.party;

-- M5: a nominated member of Jord awaiting the staff group's approval (kommunerne's 3rd seat: within limits).
INSERT INTO memberships (group_id, person_id, role, party_id, status, nominated_on)
SELECT g.id, pe.id, 'member', pa.id, 'nominated', (now() AT TIME ZONE 'Europe/Copenhagen')::date - 10
FROM groups g, people pe, parties pa
WHERE g.slug = 'jord' AND pe.email = 'nanna.juhl@aarhus.example' AND pa.code = 'kommunerne';

-- M9: her onboarding checklist, partly done.
INSERT INTO onboarding_steps (membership_id, step, done_on, done_by)
SELECT ms.id, v.step,
       CASE WHEN v.days_ago IS NULL THEN NULL ELSE (now() AT TIME ZONE 'Europe/Copenhagen')::date - v.days_ago END,
       CASE WHEN v.days_ago IS NULL THEN NULL ELSE (SELECT id FROM people WHERE email = 'anne.sommer@dmp.example') END
FROM (VALUES
    ('intro_package', 7), ('meetings_booked', 5), ('website_updated', NULL::integer),
    ('room_access', NULL), ('staff_group_approval', NULL), ('board_informed', NULL)
) AS v(step, days_ago)
CROSS JOIN memberships ms
JOIN people pe ON pe.id = ms.person_id
JOIN groups g ON g.id = ms.group_id
WHERE pe.email = 'nanna.juhl@aarhus.example' AND g.slug = 'jord' AND ms.status = 'nominated';

-- M10: a buy-out agreement.
INSERT INTO buyout_agreements (person_id, group_id, description, hours, starts_on, ends_on)
SELECT pe.id, g.id,
       'Frikøb til revision af registreringsvejledningen for beskyttede naturtyper, herunder nye eksempler og feltskemaer.',
       80, make_date(y.y, 3, 1), make_date(y.y, 12, 31)
FROM people pe, groups g,
     (SELECT extract(year FROM now() AT TIME ZONE 'Europe/Copenhagen')::int AS y) y
WHERE pe.email = 'medlem.natur@aarhus.example' AND g.slug = 'natur';

-- ---------------------------------------------------------------------------------------------------------
-- T1-T3: meetings. Ordinary meetings 13:00-16:00 local time. Dates are relative to today's local date;
-- a date on a Saturday or Sunday moves to the following Monday.
-- ---------------------------------------------------------------------------------------------------------
WITH t AS (
    SELECT (now() AT TIME ZONE 'Europe/Copenhagen')::date AS today
), v AS (
    SELECT x.*
    FROM t CROSS JOIN LATERAL (VALUES
        -- Natur: I ~120 days ago, II three working days ago, III ~9 days ahead, IV ~60 days ahead
        ('natur', 'ordinary', 'Faggruppemøde I – Natur', 1::smallint, t.today - 120, time '13:00', time '16:00', 'physical',
         'Danmarks Miljøportal, Sankt Knuds Vej 14, 1903 Frederiksberg C, mødelokale Engen', ''),
        ('natur', 'ordinary', 'Faggruppemøde II – Natur', 2::smallint,
         t.today - CASE extract(isodow FROM t.today)::int WHEN 1 THEN 5 WHEN 2 THEN 5 WHEN 3 THEN 5 WHEN 7 THEN 4 ELSE 3 END,
         time '13:00', time '16:00', 'hybrid',
         'Aarhus Kommune, Natur og Miljø, Grøndalsvej 3, 8260 Viby J', 'https://moede.miljoportal.example/natur-2'),
        ('natur', 'ordinary', 'Faggruppemøde III – Natur', 3::smallint, t.today + 9, time '13:00', time '16:00', 'physical',
         'Danmarks Miljøportal, Sankt Knuds Vej 14, 1903 Frederiksberg C, mødelokale Engen', ''),
        ('natur', 'ordinary', 'Faggruppemøde IV – Natur', 4::smallint, t.today + 60, time '13:00', time '16:00', 'online',
         '', 'https://moede.miljoportal.example/natur-4'),
        ('natur', 'working', 'Arbejdsmøde – tilstandsvurdering i Naturdatabasen', NULL::smallint, t.today - 30, time '13:00', time '14:30', 'online',
         '', 'https://moede.miljoportal.example/natur-arbejdsmoede'),
        -- Jord: two held, one just ahead (agenda published), one later (agenda approved)
        ('jord', 'ordinary', 'Faggruppemøde I – Jord', 1::smallint, t.today - 150, time '13:00', time '16:00', 'physical',
         'Region Hovedstaden, Regionsgården, Søvej 5, 3400 Hillerød', ''),
        ('jord', 'ordinary', 'Faggruppemøde II – Jord', 2::smallint, t.today - 50, time '13:00', time '16:00', 'online',
         '', 'https://moede.miljoportal.example/jord-2'),
        ('jord', 'ordinary', 'Faggruppemøde III – Jord', 3::smallint, t.today + 4, time '13:00', time '16:00', 'physical',
         'Danmarks Miljøportal, Sankt Knuds Vej 14, 1903 Frederiksberg C, mødelokale Mosen', ''),
        ('jord', 'ordinary', 'Faggruppemøde IV – Jord', 4::smallint, t.today + 70, time '13:00', time '16:00', 'hybrid',
         'Odense Kommune, Borgernes Hus, Østre Stationsvej 15, 5000 Odense C', 'https://moede.miljoportal.example/jord-4'),
        -- Vand: spread over the current calendar year
        ('vand', 'ordinary', 'Faggruppemøde I – Vand', 1::smallint, date_trunc('year', t.today)::date + 45, time '13:00', time '16:00', 'physical',
         'Danmarks Miljøportal, Sankt Knuds Vej 14, 1903 Frederiksberg C, mødelokale Åen', ''),
        ('vand', 'ordinary', 'Faggruppemøde II – Vand', 2::smallint, date_trunc('year', t.today)::date + 135, time '13:00', time '16:00', 'physical',
         'Aalborg Kommune, Miljø og Energi, Stigsborg Brygge 5, 9400 Nørresundby', ''),
        ('vand', 'ordinary', 'Faggruppemøde III – Vand', 3::smallint, date_trunc('year', t.today)::date + 240, time '13:00', time '16:00', 'online',
         '', 'https://moede.miljoportal.example/vand-3'),
        ('vand', 'ordinary', 'Faggruppemøde IV – Vand', 4::smallint, date_trunc('year', t.today)::date + 315, time '13:00', time '16:00', 'hybrid',
         'Danmarks Miljøportal, Sankt Knuds Vej 14, 1903 Frederiksberg C, mødelokale Åen', 'https://moede.miljoportal.example/vand-4'),
        -- Meetings across groups
        (NULL, 'joint', 'Fællesmøde for alle faggrupper', NULL::smallint, t.today + 35, time '10:00', time '14:00', 'physical',
         'Kommunernes Hus, Havnegade 10, 2300 København S', ''),
        (NULL, 'chairs', 'Forpersonsmøde', NULL::smallint, t.today + 22, time '10:00', time '15:00', 'physical',
         'Danmarks Miljøportal, Sankt Knuds Vej 14, 1903 Frederiksberg C, mødelokale Engen', ''),
        (NULL, 'chairs_board', 'Årsmøde for forpersoner, Stabsgruppen og Bestyrelsen', NULL::smallint, t.today + 100, time '10:00', time '15:00', 'physical',
         'Miljøministeriet, Slotsholmsgade 12, 1216 København K', ''),
        ('stabsgruppe', 'staff_group', 'Stabsgruppemøde', NULL::smallint, t.today + 14, time '09:00', time '11:00', 'online',
         '', 'https://moede.miljoportal.example/stabsgruppen'),
        ('bestyrelse', 'board', 'Bestyrelsesmøde', NULL::smallint, t.today + 30, time '13:00', time '16:00', 'physical',
         'Miljøministeriet, Slotsholmsgade 12, 1216 København K', ''),
        -- OS2: first meetings (charter filled in) and one upcoming meeting each
        ('os2-styregruppe-kitos', 'ordinary', 'Første møde i styregruppen – Kitos', NULL::smallint, date '2025-03-12', time '13:00', time '15:00', 'physical',
         'Ballerup Rådhus, Hold-An Vej 7, 2750 Ballerup', ''),
        ('os2-styregruppe-kitos', 'ordinary', 'Styregruppemøde – Kitos', NULL::smallint, t.today + 40, time '13:00', time '15:00', 'online',
         '', 'https://moede.os2.example/kitos-styregruppe'),
        ('os2-koordinationsgruppe-os2mo', 'ordinary', 'Første møde i koordinationsgruppen – OS2mo', NULL::smallint, date '2025-02-04', time '13:00', time '16:00', 'hybrid',
         'Syddjurs Rådhus, Lundbergsvej 2, 8400 Ebeltoft', 'https://moede.os2.example/os2mo'),
        ('os2-koordinationsgruppe-os2mo', 'ordinary', 'Koordinationsmøde – OS2mo', NULL::smallint, t.today + 16, time '13:00', time '15:00', 'online',
         '', 'https://moede.os2.example/os2mo'),
        ('os2-faggruppe-gis', 'ordinary', 'Første møde i faggruppen – GIS', NULL::smallint, date '2025-04-09', time '13:00', time '16:00', 'physical',
         'Holstebro Rådhus, Kirkestræde 11, 7500 Holstebro', ''),
        ('os2-faggruppe-gis', 'ordinary', 'Temamøde om åbne geodata – GIS', NULL::smallint, t.today + 30, time '13:00', time '16:00', 'online',
         '', 'https://moede.os2.example/gis')
    ) AS x(slug, kind, title, cycle, d0, t0, t1, fmt, loc, link)
), d AS (
    SELECT v.*, v.d0 + CASE extract(isodow FROM v.d0)::int WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END AS d
    FROM v
)
INSERT INTO meetings (group_id, kind, title, starts_at, ends_at, format, location, online_link, cycle_number, status, created_at)
SELECT g.id, d.kind, d.title,
       (d.d + d.t0) AT TIME ZONE 'Europe/Copenhagen',
       (d.d + d.t1) AT TIME ZONE 'Europe/Copenhagen',
       d.fmt, d.loc, d.link, d.cycle,
       CASE WHEN d.d < (SELECT today FROM t) THEN 'held' ELSE 'planned' END,
       least(now(), ((d.d - 60) + time '09:00') AT TIME ZONE 'Europe/Copenhagen')
FROM d LEFT JOIN groups g ON g.slug = d.slug;

-- T1: the meetings across groups invite their participants, as planning one in the browser does
-- (store::meetings::invite_across_groups): everyone in the working groups for the joint meeting, their
-- chairs for the chairs' meeting, and the staff group and the board besides for the yearly one.
INSERT INTO meeting_participants (meeting_id, person_id)
SELECT DISTINCT mt.id, ms.person_id
FROM meetings mt
JOIN memberships ms ON ms.status = 'active'
JOIN groups g ON g.id = ms.group_id AND g.status = 'active'
JOIN group_kinds k ON k.id = g.kind_id
WHERE mt.group_id IS NULL
  AND ((k.family <> 'governance' AND (mt.kind = 'joint' OR ms.role = 'chair'))
       OR (mt.kind = 'chairs_board' AND k.code IN ('stabsgruppe', 'bestyrelse')));

-- T6: room and catering checklist for the next physical Natur meeting.
INSERT INTO meeting_checklist (meeting_id, item, done, note)
SELECT m.id, v.item, v.done, v.note
FROM meetings m,
(VALUES
    ('room',       true,  'Mødelokale Engen er booket til 12:30-16:30'),
    ('catering',   false, 'Bestil frokostsandwich og kaffe til 12 personer'),
    ('equipment',  true,  'Skærm og konferencemikrofon er reserveret'),
    ('directions', false, '')
) AS v(item, done, note)
WHERE m.title = 'Faggruppemøde III – Natur';

-- ---------------------------------------------------------------------------------------------------------
-- A1, A2: agendas in every state
-- ---------------------------------------------------------------------------------------------------------
WITH t AS (SELECT (now() AT TIME ZONE 'Europe/Copenhagen')::date AS today),
plan AS (
    SELECT m.id AS meeting_id, m.group_id, m.starts_at,
           CASE
               WHEN m.title IN ('Faggruppemøde I – Natur', 'Faggruppemøde II – Natur',
                                'Faggruppemøde I – Jord', 'Faggruppemøde II – Jord') THEN 'past'
               WHEN m.title = 'Faggruppemøde III – Natur' THEN 'sent_to_chair'
               WHEN m.title = 'Faggruppemøde IV – Natur' THEN 'draft'
               WHEN m.title = 'Faggruppemøde III – Jord' THEN 'published_now'
               WHEN m.title = 'Faggruppemøde IV – Jord' THEN 'approved'
               -- Vand: by date
               WHEN (m.starts_at AT TIME ZONE 'Europe/Copenhagen')::date < t.today THEN 'past'
               WHEN (m.starts_at AT TIME ZONE 'Europe/Copenhagen')::date <= t.today + 7 THEN 'published_now'
               WHEN (m.starts_at AT TIME ZONE 'Europe/Copenhagen')::date <= t.today + 21 THEN 'sent_to_chair'
               ELSE 'draft'
           END AS mode
    FROM meetings m CROSS JOIN t
    JOIN groups g ON g.id = m.group_id
    WHERE g.slug IN ('natur', 'jord', 'vand') AND m.kind = 'ordinary'
)
INSERT INTO agendas (meeting_id, status, sent_to_chair_at, chair_comment, approved_at, approved_by, published_at, updated_at)
SELECT p.meeting_id,
       CASE p.mode WHEN 'past' THEN 'published' WHEN 'published_now' THEN 'published' ELSE p.mode END,
       CASE p.mode
           WHEN 'past'          THEN p.starts_at - interval '14 days'
           WHEN 'published_now' THEN now() - interval '12 days'
           WHEN 'approved'      THEN now() - interval '3 days'
           WHEN 'sent_to_chair' THEN now() - interval '1 day'
       END,
       CASE p.mode
           WHEN 'approved' THEN 'Fint udkast. Giv gerne punkt 1.2 lidt mere tid.'
           ELSE ''
       END,
       CASE p.mode
           WHEN 'past'          THEN p.starts_at - interval '10 days'
           WHEN 'published_now' THEN now() - interval '9 days'
           WHEN 'approved'      THEN now() - interval '1 day'
       END,
       CASE WHEN p.mode IN ('past', 'published_now', 'approved')
            THEN (SELECT ms.person_id FROM memberships ms
                  WHERE ms.group_id = p.group_id AND ms.role = 'chair' AND ms.status = 'active')
       END,
       CASE p.mode
           WHEN 'past'          THEN p.starts_at - interval '8 days'
           WHEN 'published_now' THEN now() - interval '7 days'
       END,
       now()
FROM plan p;

-- A4-A6: Natur III follows the standard template in full.
INSERT INTO agenda_items (agenda_id, position, title, presenter, planned_minutes)
SELECT a.id, v.pos, v.title, v.presenter, v.mins
FROM agendas a JOIN meetings m ON m.id = a.meeting_id,
(VALUES
    (1, 'Ændringsønsker og Roadmap', 'Karen Vestergaard', 75),
    (2, 'Nye ideer',                  'Karen Vestergaard', 20),
    (3, 'Årshjul',                    'Signe Bak', 30),
    (4, 'Status fra Parterne',        'Parternes repræsentanter', 20),
    (5, 'Status fra Sekretariatet',   'Sekretariatet', 20),
    (6, 'Afslutning',                 'Karen Vestergaard', 15)
) AS v(pos, title, presenter, mins)
WHERE m.title = 'Faggruppemøde III – Natur';

WITH y AS (SELECT extract(year FROM now() AT TIME ZONE 'Europe/Copenhagen')::int AS y)
INSERT INTO agenda_items (agenda_id, parent_id, position, title, presenter, body, is_decision, responsible_id, is_planning, planned_minutes)
SELECT a.id, parent.id, v.pos, v.title, v.presenter,
       replace(replace(replace(v.body, '{Y-1}', (y.y - 1)::text), '{Y+1}', (y.y + 1)::text), '{Y}', y.y::text),
       v.decision, (SELECT id FROM people WHERE email = v.responsible), v.planning, v.mins
FROM y, agendas a JOIN meetings m ON m.id = a.meeting_id,
(VALUES
    (1, 1, 'Roadmap initiativer', 'Signe Bak',
     'Status på årets initiativer: den nye registreringsvejledning for beskyttede naturtyper er i gang, og mobil feltregistrering er planlagt til {Y+1}. Sekretariatet viser det opdaterede roadmap.',
     false, NULL, false, 15),
    (1, 2, 'Ændringsønsker til godkendelse', 'Karen Vestergaard',
     'Beslutningspunkt. Faggruppen indstilles til at godkende ÆØ-{Y}-001 (felt til tilstandsvurdering på besigtigelser). Behovet er beskrevet af kommunerne, værdien er vurderet, og leverandøren anslår ca. 120 timer. Udgiften kan holdes inden for årets budget. ÆØ-{Y}-007 afventer Bestyrelsens stillingtagen og behandles ikke.',
     true, 'forperson.natur@mst.example', false, 25),
    (1, 3, 'Ændringsønsker til drøftelse', 'Rasmus Friis',
     'ÆØ-{Y}-002 (eksport af artsfund i åbent format). Ikke klar til beslutning: værdibeskrivelsen fra kommunerne mangler stadig, jf. aftalen på møde II. ÆØ-{Y}-003 (kortlag med invasive arter) præsenteres som idé.',
     false, NULL, false, 20),
    (1, 4, 'Opsamling på arbejdsmøder og aktioner', 'Signe Bak',
     'Kort opsamling fra arbejdsmødet om tilstandsvurdering og gennemgang af aktionslisten.',
     false, NULL, false, 15),
    (2, 1, 'Ideer til nye aktiviteter og ændringer', 'Karen Vestergaard',
     'Runde om nye ideer. Punktet om registrering af småbiotoper er ønsket af Anders Toft.',
     false, NULL, false, 20),
    (3, 1, 'Årshjuls-emne: brugerinput fra årets brugerundersøgelse', 'Signe Bak',
     'Sekretariatet præsenterer resultaterne af brugerundersøgelsen blandt kommunale sagsbehandlere. Faggruppen drøfter, hvad der skal justeres i roadmap og vejledninger. Desuden beslutter gruppen, hvordan resten af årets budget bruges.',
     false, NULL, false, 30),
    (4, 1, 'Status og meddelelser fra repræsentanterne', 'Parternes repræsentanter',
     'Hver part giver en kort status. Kun nyt, der har betydning for faggruppens arbejde.',
     false, NULL, false, 20),
    (5, 1, 'Status og meddelelser fra Sekretariatet', 'Sekretariatet',
     'Drift, support og releases for Naturdatabasen og Danmarks Arealinformation samt budgetstatus (disponeret og forbrugt).',
     false, NULL, false, 10),
    (5, 2, 'Status og meddelelser fra de andre faggrupper', 'Sekretariatet',
     'Nyt fra faggrupperne Jord og Vand, som har betydning for naturdata.',
     false, NULL, false, 10),
    (6, 1, 'Gennemgang af beslutninger', 'Referenten (Signe Bak)',
     'Referenten læser dagens beslutninger, aktioner og aftaler op.',
     false, NULL, false, 5),
    (6, 2, 'Planlægning af arbejdsmøder og opfølgning', 'Signe Bak',
     'Aftale om hvilke arbejdsmøder Sekretariatet indkalder til inden næste møde, og hvilken opfølgning Sekretariatet giver på beslutningerne.',
     false, NULL, true, 10)
) AS v(parent_pos, pos, title, presenter, body, decision, responsible, planning, mins)
JOIN agenda_items parent ON parent.position = v.parent_pos AND parent.parent_id IS NULL
WHERE m.title = 'Faggruppemøde III – Natur' AND parent.agenda_id = a.id;

-- Jord III (published): the standard template in full.
INSERT INTO agenda_items (agenda_id, position, title, presenter, planned_minutes)
SELECT a.id, v.pos, v.title, v.presenter, v.mins
FROM agendas a JOIN meetings m ON m.id = a.meeting_id,
(VALUES
    (1, 'Ændringsønsker og Roadmap', 'Niels Dalgaard', 80),
    (2, 'Nye ideer',                  'Niels Dalgaard', 15),
    (3, 'Årshjul',                    'Anne Sommer', 30),
    (4, 'Status fra Parterne',        'Parternes repræsentanter', 20),
    (5, 'Status fra Sekretariatet',   'Sekretariatet', 20),
    (6, 'Afslutning',                 'Niels Dalgaard', 15)
) AS v(pos, title, presenter, mins)
WHERE m.title = 'Faggruppemøde III – Jord';

WITH y AS (SELECT extract(year FROM now() AT TIME ZONE 'Europe/Copenhagen')::int AS y)
INSERT INTO agenda_items (agenda_id, parent_id, position, title, presenter, body, is_decision, responsible_id, is_planning, planned_minutes)
SELECT a.id, parent.id, v.pos, v.title, v.presenter,
       replace(replace(replace(v.body, '{Y-1}', (y.y - 1)::text), '{Y+1}', (y.y + 1)::text), '{Y}', y.y::text),
       v.decision, (SELECT id FROM people WHERE email = v.responsible), v.planning, v.mins
FROM y, agendas a JOIN meetings m ON m.id = a.meeting_id,
(VALUES
    (1, 1, 'Roadmap initiativer', 'Anne Sommer',
     'Digital jordflytning er i udvikling. Sekretariatet foreslår at rykke åbne data fra Miljøvurderingsregisteret frem til {Y+1}.',
     false, NULL, false, 15),
    (1, 2, 'Ændringsønsker til godkendelse', 'Niels Dalgaard',
     'Beslutningspunkt. ÆØ-{Y}-013 (samlet status på kortlægning til borgere): faggruppen indstilles til at godkende ændringen og disponere midlerne fra budgetoverførslen.',
     true, 'niels.dalgaard@mst.example', false, 30),
    (1, 3, 'Ændringsønsker til drøftelse', 'Kristian Holm',
     'ÆØ-{Y}-012 (nyt felt til analysedata i DKjord): regionerne præsenterer behovet. Leverandørens estimat mangler.',
     false, NULL, false, 20),
    (1, 4, 'Opsamling på arbejdsmøder og aktioner', 'Anne Sommer',
     'Gennemgang af aktionslisten.',
     false, NULL, false, 15),
    (2, 1, 'Ideer til nye aktiviteter og ændringer', 'Niels Dalgaard',
     'Åben runde.',
     false, NULL, false, 15),
    (3, 1, 'Årshjuls-emne: metadata og registreringsvejledninger', 'Anne Sommer',
     'Årlig gennemgang af metadatabeskrivelserne for kortlagte arealer og vejledningen til indberetning af jordflytning.',
     false, NULL, false, 30),
    (4, 1, 'Status og meddelelser fra repræsentanterne', 'Parternes repræsentanter',
     'Kort status fra hver part.',
     false, NULL, false, 20),
    (5, 1, 'Status og meddelelser fra Sekretariatet', 'Sekretariatet',
     'Drift af DKjord og Miljøvurderingsregisteret samt budgetstatus efter overførslen fra Vand.',
     false, NULL, false, 10),
    (5, 2, 'Status og meddelelser fra de andre faggrupper', 'Sekretariatet',
     'Nyt fra Natur og Vand.',
     false, NULL, false, 10),
    (6, 1, 'Gennemgang af beslutninger', 'Referenten (Anne Sommer)',
     'Referenten gennemgår dagens beslutninger og aktioner.',
     false, NULL, false, 5),
    (6, 2, 'Planlægning af arbejdsmøder og opfølgning', 'Anne Sommer',
     'Aftale om arbejdsmøde om analysedata og Sekretariatets opfølgning.',
     false, NULL, true, 10)
) AS v(parent_pos, pos, title, presenter, body, decision, responsible, planning, mins)
JOIN agenda_items parent ON parent.position = v.parent_pos AND parent.parent_id IS NULL
WHERE m.title = 'Faggruppemøde III – Jord' AND parent.agenda_id = a.id;

-- Natur II (held) and Natur IV (draft): the main headings, with the items the registers refer to.
INSERT INTO agenda_items (agenda_id, position, title, presenter)
SELECT a.id, v.pos, v.title, v.presenter
FROM agendas a JOIN meetings m ON m.id = a.meeting_id,
(VALUES
    (1, 'Ændringsønsker og Roadmap', 'Karen Vestergaard'),
    (2, 'Nye ideer',                  'Karen Vestergaard'),
    (3, 'Årshjul',                    'Signe Bak'),
    (4, 'Status fra Parterne',        'Parternes repræsentanter'),
    (5, 'Status fra Sekretariatet',   'Sekretariatet'),
    (6, 'Afslutning',                 'Karen Vestergaard')
) AS v(pos, title, presenter)
WHERE m.title IN ('Faggruppemøde II – Natur', 'Faggruppemøde IV – Natur');

WITH y AS (SELECT extract(year FROM now() AT TIME ZONE 'Europe/Copenhagen')::int AS y)
INSERT INTO agenda_items (agenda_id, parent_id, position, title, presenter, body, is_decision, responsible_id, is_planning)
SELECT a.id, parent.id, v.pos, v.title, v.presenter,
       replace(replace(v.body, '{Y+1}', (y.y + 1)::text), '{Y}', y.y::text),
       v.decision, (SELECT id FROM people WHERE email = v.responsible), v.planning
FROM y, agendas a JOIN meetings m ON m.id = a.meeting_id,
(VALUES
    ('Faggruppemøde II – Natur', 1, 2, 'Ændringsønsker til godkendelse', 'Karen Vestergaard',
     'Beslutningspunkt. ÆØ-{Y}-006 (SMS-notifikation ved nye fund) og ÆØ-{Y}-005 (søgning på lokalitets-id).',
     true, 'forperson.natur@mst.example', false),
    ('Faggruppemøde II – Natur', 3, 1, 'Årshjuls-emne: sådan arbejder Aarhus Kommune med naturdata', 'Rasmus Friis',
     'Aarhus Kommune viser, hvordan besigtigelser planlægges, registreres i felten og kvalitetssikres.',
     false, NULL, false),
    ('Faggruppemøde II – Natur', 6, 1, 'Gennemgang af beslutninger', 'Referenten (Signe Bak)', '', false, NULL, false),
    ('Faggruppemøde IV – Natur', 3, 1, 'Årshjuls-emne: roadmap for {Y+1} og årene frem samt mødeplan', 'Signe Bak',
     'Udkast. Roadmap for næste år og 3-4 år frem samt datoer for næste års fire møder.',
     false, NULL, false),
    ('Faggruppemøde IV – Natur', 6, 2, 'Planlægning af arbejdsmøder og opfølgning', 'Signe Bak', '', false, NULL, true)
) AS v(meeting, parent_pos, pos, title, presenter, body, decision, responsible, planning)
JOIN agenda_items parent ON parent.position = v.parent_pos AND parent.parent_id IS NULL
WHERE m.title = v.meeting AND parent.agenda_id = a.id;

-- A3: requests for agenda items for Natur III, one in time and one late (both await the secretariat).
INSERT INTO agenda_item_requests (meeting_id, requested_by, title, description, wanted_decision, submitted_at, late, status)
SELECT m.id, p.id, v.title, v.description, v.wanted, v.submitted, v.late, 'pending'
FROM meetings m CROSS JOIN LATERAL (VALUES
    ('anders.toft@rm.example', 'Registrering af småbiotoper',
     'Regionerne oplever, at små naturarealer under grænsen for beskyttelse registreres forskelligt. Vi foreslår en drøftelse af fælles praksis.',
     'Faggruppen beslutter, om Sekretariatet skal beskrive et ændringsønske.',
     m.starts_at - interval '21 days', false),
    ('susanne.mikkelsen@odense.example', 'Adgang til historiske besigtigelser i Danmarks Arealinformation',
     'Odense Kommune ønsker at kunne se ældre besigtigelser som eget kortlag. Punktet er sendt efter fristen.',
     '',
     now() - interval '1 day', true)
) AS v(email, title, description, wanted, submitted, late)
JOIN people p ON p.email = v.email
WHERE m.title = 'Faggruppemøde III – Natur';

-- ---------------------------------------------------------------------------------------------------------
-- R1-R4: minutes
-- ---------------------------------------------------------------------------------------------------------
WITH y AS (SELECT extract(year FROM now() AT TIME ZONE 'Europe/Copenhagen')::int AS y)
INSERT INTO minutes (meeting_id, status, body, party_summary, sent_at, worked_in_at, approved_at, approved_by, updated_at)
SELECT m.id, 'approved',
       replace(v.body, '{Y}', y.y::text), v.party_summary,
       m.starts_at + interval '3 days', m.starts_at + interval '12 days', m.starts_at + interval '13 days',
       (SELECT ms.person_id FROM memberships ms WHERE ms.group_id = m.group_id AND ms.role = 'chair' AND ms.status = 'active'),
       m.starts_at + interval '13 days'
FROM y, meetings m
JOIN (VALUES
    ('Faggruppemøde I – Natur',
     'Beslutninger
- Kommissoriet er gennemgået. Faggruppen ønsker et afsnit om hybride møder og beder Sekretariatet forberede et udkast til version 2 til Bestyrelsen.
- ÆØ-{Y}-004 (masseredigering af besigtigelser) er godkendt og disponeret af årets budget.
- Ændringerne i dataansvarsaftalens bilag for naturdata er godkendt og sendes til Bestyrelsen.

Aktioner
- Sekretariatet sender udkastet til nyt kommissorium til Stabsgruppen.
- KL samler kommunernes erfaringer med den nye registreringsvejledning.

Aftaler
- Næste møde holdes hos Aarhus Kommune, som viser sine arbejdsgange.',
     'Staten: ny bekendtgørelse om naturovervågning er i høring. Regionerne: intet nyt. Kommunerne: flere kommuner efterlyser bedre mobil registrering.'),
    ('Faggruppemøde I – Jord',
     'Beslutninger
- Kommissoriet er gennemgået uden ønsker om ændringer.
- ÆØ-{Y}-010 (digital anmeldelse af jordflytning med ny kortvisning) sættes i udvikling.

Aktioner
- Aalborg Kommune tester den nye kortvisning i testmiljøet.',
     ''),
    ('Faggruppemøde II – Jord',
     'Beslutninger
- ÆØ-{Y}-011 (åbne data fra Miljøvurderingsregisteret) er godkendt.

Aktioner
- Miljøstyrelsen afklarer det juridiske grundlag for at udstille data.

Aftaler
- Region Hovedstaden viste sin arbejdsgang for V2-kortlægning.',
     '')
) AS v(title, body, party_summary) ON v.title = m.title;

-- Natur II: sent on the previous working day, now in the comment window (R3).
INSERT INTO minutes (meeting_id, status, body, party_summary, sent_at, updated_at)
SELECT m.id, 'sent',
       replace('Beslutninger
- ÆØ-{Y}-006 (SMS-notifikation ved nye fund) er afvist: værdien står ikke mål med driftsudgiften.
- ÆØ-{Y}-005 (søgning på lokalitets-id) fortsætter i udvikling med levering inden årets udgang.

Aktioner
- Rasmus Friis beskriver værdi og målgruppe for ÆØ-{Y}-002 inden møde III.
- Sekretariatet indkalder til arbejdsmøde om tilstandsvurdering.

Aftaler
- Aarhus Kommune viste, hvordan besigtigelser planlægges og kvalitetssikres. Præsentationen ligger i mødets mappe.',
               '{Y}', extract(year FROM now() AT TIME ZONE 'Europe/Copenhagen')::int::text),
       'Staten: overvågningsprogrammet for næste år er ved at blive fastlagt. Regionerne: råstofplanerne revideres. Kommunerne: stor interesse for mobil registrering.',
       s.sent_at, s.sent_at
FROM meetings m
CROSS JOIN LATERAL (
    SELECT ((d.today - CASE extract(isodow FROM d.today)::int WHEN 1 THEN 3 WHEN 7 THEN 2 ELSE 1 END)
            + time '10:00') AT TIME ZONE 'Europe/Copenhagen' AS sent_at
    FROM (SELECT (now() AT TIME ZONE 'Europe/Copenhagen')::date AS today) d
) s
WHERE m.title = 'Faggruppemøde II – Natur';

INSERT INTO minutes_comments (minutes_id, person_id, body, received_at, late)
SELECT mi.id, p.id,
       'Under punktet om Aarhus Kommunes arbejdsgange bør det fremgå, at kvalitetssikringen sker inden for 14 dage efter besigtigelsen, ikke 30.',
       least(now(), mi.sent_at + interval '5 hours'), false
FROM minutes mi JOIN meetings m ON m.id = mi.meeting_id, people p
WHERE m.title = 'Faggruppemøde II – Natur' AND p.email = 'medlem.natur@aarhus.example';

-- Vand: minutes approved for meetings held more than 12 days ago, a draft for a more recent one.
INSERT INTO minutes (meeting_id, status, body, sent_at, worked_in_at, approved_at, approved_by, updated_at)
SELECT m.id,
       CASE WHEN m.starts_at < now() - interval '12 days' THEN 'approved' ELSE 'draft' END,
       'Beslutninger
- Status på VanDa og årets ændringsønsker er gennemgået.

Aktioner
- Se aktionslisten.',
       CASE WHEN m.starts_at < now() - interval '12 days' THEN m.starts_at + interval '3 days' END,
       CASE WHEN m.starts_at < now() - interval '12 days' THEN m.starts_at + interval '10 days' END,
       CASE WHEN m.starts_at < now() - interval '12 days' THEN m.starts_at + interval '11 days' END,
       CASE WHEN m.starts_at < now() - interval '12 days'
            THEN (SELECT id FROM people WHERE email = 'helle.brandt@mst.example') END,
       least(now(), m.starts_at + interval '11 days')
FROM meetings m JOIN groups g ON g.id = m.group_id
WHERE g.slug = 'vand' AND m.kind = 'ordinary' AND m.status = 'held';

-- R1: every minutes gets one item per item of its meeting's agenda, numbered as the agenda shows them.
WITH numbered AS (
    SELECT ai.id, a.meeting_id, ai.title, ai.is_decision, ai.parent_id,
           row_number() OVER (PARTITION BY ai.agenda_id, ai.parent_id ORDER BY ai.position, ai.id) AS n
    FROM agenda_items ai JOIN agendas a ON a.id = ai.agenda_id
), ordered AS (
    SELECT c.id, c.meeting_id, c.title, c.is_decision,
           CASE WHEN c.parent_id IS NULL THEN c.n::text ELSE p.n || '.' || c.n END AS number,
           coalesce(p.n, c.n) AS top, CASE WHEN c.parent_id IS NULL THEN 0 ELSE c.n END AS sub
    FROM numbered c LEFT JOIN numbered p ON p.id = c.parent_id
)
INSERT INTO minutes_items (minutes_id, agenda_item_id, position, number, title, is_decision_item)
SELECT mi.id, o.id, (row_number() OVER (PARTITION BY mi.id ORDER BY o.top, o.sub))::int, o.number, o.title, o.is_decision
FROM minutes mi JOIN ordered o ON o.meeting_id = mi.meeting_id;

-- The minutes' old free text goes to an item of its own where the agenda had no items.
INSERT INTO minutes_items (minutes_id, position, number, title, body)
SELECT mi.id, 0, '1', 'Referat', mi.body
FROM minutes mi WHERE NOT EXISTS (SELECT 1 FROM minutes_items i WHERE i.minutes_id = mi.id) AND mi.body <> '';

-- Natur II (in the comment window): the text and the structured entries per item (R1).
UPDATE minutes_items i SET body = v.body
FROM minutes mi JOIN meetings m ON m.id = mi.meeting_id,
(VALUES
    ('Ændringsønsker til godkendelse', 'Faggruppen drøftede de to ændringsønsker. SMS-notifikation blev vurderet for dyr i drift.'),
    ('Status fra Parterne', 'Aarhus Kommune viste, hvordan besigtigelser planlægges og kvalitetssikres. Præsentationen ligger i mødets mappe.')
) AS v(title, body)
WHERE i.minutes_id = mi.id AND m.title = 'Faggruppemøde II – Natur' AND i.title LIKE v.title || '%';

WITH y AS (SELECT extract(year FROM now() AT TIME ZONE 'Europe/Copenhagen')::int AS y)
INSERT INTO minutes_entries (minutes_item_id, kind, text, outcome, owner_id, due_on)
SELECT i.id, v.kind, replace(v.text, '{Y}', y.y::text), v.outcome,
       (SELECT id FROM people WHERE email = v.owner),
       CASE WHEN v.due_off IS NOT NULL THEN (now() AT TIME ZONE 'Europe/Copenhagen')::date + v.due_off END
FROM y, minutes_items i JOIN minutes mi ON mi.id = i.minutes_id JOIN meetings m ON m.id = mi.meeting_id,
(VALUES
    ('Ændringsønsker til godkendelse', 'decision',
     'ÆØ-{Y}-006 SMS-notifikation ved nye fund er afvist, da værdien ikke står mål med driftsudgiften.', 'rejected', NULL, NULL::int),
    ('Ændringsønsker til godkendelse', 'decision',
     'ÆØ-{Y}-005 Søgning på lokalitets-id fortsætter i udvikling med levering inden årets udgang.', 'approved', NULL, NULL::int),
    ('Ændringsønsker til godkendelse', 'action',
     'Beskriv værdi og målgruppe for ÆØ-{Y}-002 (eksport af artsfund)', NULL, 'medlem.natur@aarhus.example', 5),
    ('Ændringsønsker til godkendelse', 'action',
     'Indkald til arbejdsmøde om registrering af småbiotoper', NULL, 'sekretariat@dmp.example', 12),
    ('Status fra Parterne', 'agreement',
     'Næste møde holdes hos Region Midtjylland, som viser sin arbejdsgang for råstofkortlægning.', NULL, NULL, NULL::int)
) AS v(item, kind, text, outcome, owner, due_off)
WHERE m.title = 'Faggruppemøde II – Natur'
  AND i.id = (SELECT min(i2.id) FROM minutes_items i2 WHERE i2.minutes_id = mi.id AND i2.title LIKE v.item || '%');

-- Approved minutes keep their approved version readable (a correction makes a new one).
INSERT INTO minutes_versions (minutes_id, version, approved_at, approved_by, content)
SELECT mi.id, mi.version, mi.approved_at, mi.approved_by,
       jsonb_build_object(
           'party_summary', mi.party_summary,
           'items', coalesce((SELECT jsonb_agg(jsonb_build_object('id', i.id, 'agenda_item_id', i.agenda_item_id,
                                'number', i.number, 'title', i.title, 'is_decision_item', i.is_decision_item, 'body', i.body)
                                ORDER BY i.position, i.id)
                              FROM minutes_items i WHERE i.minutes_id = mi.id), '[]'::jsonb),
           'entries', '[]'::jsonb)
FROM minutes mi WHERE mi.status = 'approved';

-- The member's comment belongs to the parties' status item.
UPDATE minutes_comments c SET minutes_item_id = (
    SELECT min(i.id) FROM minutes_items i WHERE i.minutes_id = c.minutes_id AND i.title LIKE 'Status fra Parterne%')
WHERE c.minutes_item_id IS NULL;

-- ---------------------------------------------------------------------------------------------------------
-- T4, T5: attendance (only approved members; the nominated member is never registered, M5)
-- ---------------------------------------------------------------------------------------------------------
INSERT INTO attendance (meeting_id, membership_id, status, recorded_by, recorded_at)
SELECT m.id, ms.id, 'attended',
       (SELECT id FROM people WHERE email = 'sekretariat@dmp.example'),
       least(now(), m.ends_at + interval '1 day')
FROM meetings m
JOIN groups g ON g.id = m.group_id
JOIN memberships ms ON ms.group_id = m.group_id AND ms.status = 'active' AND ms.role <> 'substitute'
WHERE g.slug IN ('natur', 'jord', 'vand') AND m.kind = 'ordinary' AND m.status = 'held';

-- Apologies: on time (Natur I), late (Natur II), one absent without notice, and substitutes stepping in.
UPDATE attendance att
SET status = 'apology', apology_at = m.starts_at - interval '10 days', apology_late = false,
    apology_note = 'Deltager i regionalt møde om råstofplanen. Suppleanten er orienteret.'
FROM meetings m, memberships ms, people p
WHERE att.meeting_id = m.id AND att.membership_id = ms.id AND ms.person_id = p.id
  AND m.title = 'Faggruppemøde I – Natur' AND p.email = 'peter.lund@regioner.example';

UPDATE attendance att
SET status = 'apology', apology_at = m.starts_at - interval '2 days', apology_late = true,
    apology_note = 'Sygdom i familien.'
FROM meetings m, memberships ms, people p
WHERE att.meeting_id = m.id AND att.membership_id = ms.id AND ms.person_id = p.id
  AND m.title = 'Faggruppemøde II – Natur' AND p.email = 'camilla.rask@regionh.example';

UPDATE attendance att
SET status = 'absent'
FROM meetings m, memberships ms, people p
WHERE att.meeting_id = m.id AND att.membership_id = ms.id AND ms.person_id = p.id
  AND m.title = 'Faggruppemøde II – Natur' AND p.email = 'louise.dam@mim.example';

UPDATE attendance att
SET status = 'apology', apology_at = m.starts_at - interval '9 days', apology_late = false,
    apology_note = 'Ferie.'
FROM meetings m, memberships ms, people p
WHERE att.meeting_id = m.id AND att.membership_id = ms.id AND ms.person_id = p.id
  AND m.title = 'Faggruppemøde I – Jord' AND p.email = 'lene.bruun@aalborg.example';

UPDATE attendance att
SET status = 'apology', apology_at = m.starts_at - interval '8 days', apology_late = false,
    apology_note = 'Kursus.'
FROM meetings m, memberships ms, people p
WHERE att.meeting_id = m.id AND att.membership_id = ms.id AND ms.person_id = p.id
  AND m.title = 'Faggruppemøde II – Vand' AND p.email = 'kasper.nygaard@rm.example';

-- The party's substitute attends instead and is linked on the apology.
WITH subs AS (
    SELECT m.id AS meeting_id, ab.id AS absent_membership, su.id AS substitute_membership
    FROM (VALUES
        ('Faggruppemøde I – Natur',  'peter.lund@regioner.example',   'suppleant.natur@rm.example'),
        ('Faggruppemøde II – Natur', 'camilla.rask@regionh.example',  'suppleant.natur@rm.example'),
        ('Faggruppemøde I – Jord',   'lene.bruun@aalborg.example',    'soeren.koch@aarhus.example')
    ) AS v(title, absent_email, sub_email)
    JOIN meetings m ON m.title = v.title
    JOIN people pa ON pa.email = v.absent_email
    JOIN people ps ON ps.email = v.sub_email
    JOIN memberships ab ON ab.group_id = m.group_id AND ab.person_id = pa.id AND ab.status = 'active'
    JOIN memberships su ON su.group_id = m.group_id AND su.person_id = ps.id AND su.status = 'active' AND su.role = 'substitute'
), upd AS (
    UPDATE attendance att SET substitute_membership_id = s.substitute_membership
    FROM subs s WHERE att.meeting_id = s.meeting_id AND att.membership_id = s.absent_membership
    RETURNING att.meeting_id
)
INSERT INTO attendance (meeting_id, membership_id, status, recorded_by, recorded_at)
SELECT s.meeting_id, s.substitute_membership, 'attended',
       (SELECT id FROM people WHERE email = 'sekretariat@dmp.example'),
       least(now(), m.ends_at + interval '1 day')
FROM subs s JOIN meetings m ON m.id = s.meeting_id;

-- The Natur working meeting: only those who took part.
INSERT INTO attendance (meeting_id, membership_id, status, recorded_by, recorded_at)
SELECT m.id, ms.id, 'attended', (SELECT id FROM people WHERE email = 'sekretariat@dmp.example'), m.ends_at + interval '2 hours'
FROM meetings m
JOIN memberships ms ON ms.group_id = m.group_id AND ms.status = 'active'
JOIN people p ON p.id = ms.person_id
WHERE m.title = 'Arbejdsmøde – tilstandsvurdering i Naturdatabasen'
  AND p.email IN ('sekretariat@dmp.example', 'medlem.natur@aarhus.example', 'jonas.kirkegaard@mst.example',
                  'anders.toft@rm.example', 'susanne.mikkelsen@odense.example');

-- ---------------------------------------------------------------------------------------------------------
-- Y1: the annual cycle. Natur has every topic, Jord lacks user input (so the Y1 warning shows).
-- ---------------------------------------------------------------------------------------------------------
INSERT INTO annual_topics (group_id, year, code, title, meeting_id, done_on)
SELECT g.id, extract(year FROM now() AT TIME ZONE 'Europe/Copenhagen')::int, v.code, v.title, m.id,
       CASE WHEN m.status = 'held' THEN (m.starts_at AT TIME ZONE 'Europe/Copenhagen')::date END
FROM (VALUES
    ('natur', 'charter_review',   'Gennemgang af kommissoriet',                                       'Faggruppemøde I – Natur'),
    ('natur', 'data_agreement',   'Årlig opdatering af dataansvarsaftalens bilag for naturdata',     'Faggruppemøde I – Natur'),
    ('natur', 'party_processes',  'Aarhus Kommune viser sine arbejdsgange for besigtigelser',        'Faggruppemøde II – Natur'),
    ('natur', 'user_input',       'Resultater af brugerundersøgelsen blandt sagsbehandlere',          'Faggruppemøde III – Natur'),
    ('natur', 'metadata_review',  'Gennemgang af metadata og registreringsvejledninger',              'Faggruppemøde III – Natur'),
    ('natur', 'budget_decision',  'Beslutning om brug af resten af årets budget',                     'Faggruppemøde III – Natur'),
    ('natur', 'roadmap_planning', 'Roadmap for næste år og 3-4 år frem samt næste års mødeplan',     'Faggruppemøde IV – Natur'),
    ('natur', 'custom',           'Tema: registreringspraksis for invasive arter',                    'Faggruppemøde IV – Natur'),
    ('jord',  'charter_review',   'Gennemgang af kommissoriet',                                       'Faggruppemøde I – Jord'),
    ('jord',  'data_agreement',   'Årlig opdatering af dataansvarsaftalens bilag for jorddata',      'Faggruppemøde I – Jord'),
    ('jord',  'party_processes',  'Region Hovedstaden viser sin arbejdsgang for V2-kortlægning',     'Faggruppemøde II – Jord'),
    ('jord',  'metadata_review',  'Gennemgang af metadata og registreringsvejledninger',              'Faggruppemøde III – Jord'),
    ('jord',  'roadmap_planning', 'Roadmap for næste år og 3-4 år frem samt næste års mødeplan',     'Faggruppemøde IV – Jord'),
    ('vand',  'charter_review',   'Gennemgang af kommissoriet og dataansvarsaftalen',                 'Faggruppemøde I – Vand'),
    ('vand',  'party_processes',  'Aalborg Kommune viser sin vandløbsovervågning',                    'Faggruppemøde II – Vand'),
    ('vand',  'user_input',       'Brugernes tilbagemeldinger på indberetning i VanDa',               'Faggruppemøde III – Vand'),
    ('vand',  'roadmap_planning', 'Roadmap for næste år og 3-4 år frem samt næste års mødeplan',     'Faggruppemøde IV – Vand')
) AS v(slug, code, title, meeting)
JOIN groups g ON g.slug = v.slug
JOIN meetings m ON m.title = v.meeting;

-- ---------------------------------------------------------------------------------------------------------
-- C3: roadmap initiatives (this year, next year and 3-4 years ahead)
-- ---------------------------------------------------------------------------------------------------------
WITH y AS (SELECT extract(year FROM now() AT TIME ZONE 'Europe/Copenhagen')::int AS y)
INSERT INTO roadmap_initiatives (group_id, title, description, start_year, end_year, status, position)
SELECT g.id, v.title, v.description, y.y + v.from_off, y.y + v.to_off, v.status, v.pos
FROM y, (VALUES
    ('natur', 1, 'Ny registreringsvejledning for beskyttede naturtyper',
     'Fælles vejledning og feltskemaer, så stat og kommuner registrerer ens.', 0, 1, 'in_progress'),
    ('natur', 2, 'Mobil feltregistrering i Naturdatabasen',
     'Registrering direkte i felten på tablet og telefon, også uden netforbindelse.', 1, 1, 'planned'),
    ('natur', 3, 'Modernisering af Danmarks Arealinformation',
     'Ny kortklient med bedre søgning og mulighed for at se historiske data.', 1, 3, 'planned'),
    ('natur', 4, 'Deling af artsfund med forskning og borgere',
     'Åbne, standardiserede artsdata til forskning og borgerrettede tjenester.', 2, 4, 'planned'),
    ('jord',  1, 'Digital jordflytning fra anmeldelse til kvittering',
     'Hele forløbet for anmeldelse af jordflytning bliver digitalt og ens i alle kommuner.', 0, 1, 'in_progress'),
    ('jord',  2, 'Åbne data om miljøvurderinger',
     'Data fra Miljøvurderingsregisteret stilles til rådighed som åbne data.', 1, 1, 'planned'),
    ('jord',  3, 'Ny model for kortlægning af jordforurening',
     'Understøttelse af en forenklet kortlægningsmodel, hvis lovgivningen ændres.', 2, 4, 'planned'),
    ('vand',  1, 'Automatisk kvalitetssikring af målinger',
     'Regler der fanger fejl i indberettede målinger, før de bruges i vandområdeplanerne.', 0, 1, 'in_progress'),
    ('vand',  2, 'Ny datamodel for vandløbsdata',
     'Samlet model for vandløb, spærringer og restaureringsprojekter.', 1, 3, 'planned'),
    ('vand',  3, 'Grundvandsdata til klimatilpasning',
     'Bedre adgang til data om terrænnært grundvand til kommunernes klimatilpasning.', 2, 4, 'paused')
) AS v(slug, pos, title, description, from_off, to_off, status)
JOIN groups g ON g.slug = v.slug;

-- ---------------------------------------------------------------------------------------------------------
-- C1: change requests, every status represented
-- ---------------------------------------------------------------------------------------------------------
WITH y AS (SELECT extract(year FROM now() AT TIME ZONE 'Europe/Copenhagen')::int AS y)
INSERT INTO change_requests (group_id, solution_id, initiative_id, reference, title, business_need, value, beneficiaries,
                             priority, status, vendor_estimate, cost, learning, not_ready_note, submitted_by)
SELECT g.id,
       (SELECT id FROM solutions WHERE name = v.solution),
       (SELECT id FROM roadmap_initiatives ri WHERE ri.group_id = g.id AND ri.title = v.initiative),
       replace(replace(v.ref, '{Y-1}', (y.y - 1)::text), '{Y}', y.y::text),
       v.title, v.need, v.value, v.beneficiaries, v.priority, v.status, v.estimate, v.cost, v.learning,
       replace(v.not_ready, '{Y}', y.y::text),
       (SELECT id FROM people WHERE email = v.submitter)
FROM y, (VALUES
    ('natur', 'Naturdatabasen', 'Ny registreringsvejledning for beskyttede naturtyper', 'ÆØ-{Y}-001',
     'Felt til tilstandsvurdering på besigtigelser',
     'Kommunerne skal vurdere naturtilstanden ved hver besigtigelse, men kan i dag kun skrive den i fritekst.',
     'Ensartede tilstandsdata kan bruges direkte i naturovervågningen og sparer efterbehandling.',
     'Kommunale sagsbehandlere, Miljøstyrelsen og brugere af naturdata',
     'high', 'ready_for_decision', 'Ca. 120 timer', 185000.00, '', '', 'medlem.natur@aarhus.example'),
    ('natur', 'Naturdatabasen', 'Deling af artsfund med forskning og borgere', 'ÆØ-{Y}-002',
     'Eksport af artsfund i åbent format',
     'Forskere og rådgivere beder om artsfund i et standardformat.',
     'Færre manuelle udtræk i Sekretariatet og bedre genbrug af data.',
     'Forskning, rådgivere og Sekretariatet',
     'medium', 'described', 'Ikke estimeret', NULL, '',
     'Ikke klar: værdibeskrivelsen fra kommunerne mangler, jf. aftalen på møde II.', 'jonas.kirkegaard@mst.example'),
    ('natur', 'Danmarks Arealinformation', NULL, 'ÆØ-{Y}-003',
     'Kortlag med invasive arter',
     'Kommunerne mangler overblik over kendte forekomster af invasive arter.',
     'Hurtigere og bedre koordineret bekæmpelse.',
     'Kommuner og lodsejere',
     'low', 'idea', '', NULL, '', '', 'susanne.mikkelsen@odense.example'),
    ('natur', 'Naturdatabasen', 'Ny registreringsvejledning for beskyttede naturtyper', 'ÆØ-{Y}-004',
     'Masseredigering af besigtigelser',
     'Rettelser i mange besigtigelser på én gang skal i dag laves én for én.',
     'Sparer skønnet 300 timer om året på tværs af kommunerne.',
     'Kommunale sagsbehandlere',
     'medium', 'approved', 'Ca. 60 timer', 95000.00, '', '', 'medlem.natur@aarhus.example'),
    ('natur', 'Naturdatabasen', NULL, 'ÆØ-{Y}-005',
     'Søgning på lokalitets-id',
     'Brugerne kan ikke finde en lokalitet ud fra det id, der står i sagen.',
     'Hurtigere sagsbehandling og færre supporthenvendelser.',
     'Alle brugere af Naturdatabasen',
     'high', 'in_development', 'Ca. 150 timer', 240000.00, '', '', 'anders.toft@rm.example'),
    ('natur', 'Naturdatabasen', NULL, 'ÆØ-{Y}-006',
     'SMS-notifikation ved nye fund',
     'Ønske om besked, når der registreres nye fund i egen kommune.',
     'Usikker: de fleste brugere får allerede besked via det ugentlige nyhedsbrev.',
     'Kommunale naturmedarbejdere',
     'low', 'rejected', 'Ca. 40 timer plus løbende SMS-udgift', 60000.00, '', '', 'thomas.krogh@kl.example'),
    ('natur', 'Naturdatabasen', NULL, 'ÆØ-{Y}-007',
     'Integration til kommunale sagssystemer',
     'Kommunerne ønsker, at besigtigelser automatisk kobles til sagen i eget sagssystem.',
     'Omstridt: gevinsten afhænger af, hvor mange kommuner der tager integrationen i brug.',
     'Kommuner',
     'medium', 'ready_for_decision', 'Ca. 400 timer', 620000.00, '', '', 'thomas.krogh@kl.example'),
    ('natur', 'Naturdatabasen', 'Ny registreringsvejledning for beskyttede naturtyper', 'ÆØ-{Y-1}-017',
     'Validering af polygoner ved indberetning',
     'Forkerte polygoner gav fejl i arealopgørelserne.',
     'Færre fejl og mindre efterretning.',
     'Alle indberettere og Miljøstyrelsen',
     'high', 'delivered', 'Ca. 90 timer', 140000.00, '', '', 'jonas.kirkegaard@mst.example'),
    ('natur', 'Naturdatabasen', NULL, 'ÆØ-{Y-1}-009',
     'Forenklet indberetningsflow for besigtigelser',
     'Indberetningen havde for mange trin.',
     'Hurtigere indberetning og færre afbrudte registreringer.',
     'Kommunale og statslige indberettere',
     'medium', 'evaluated', 'Ca. 200 timer', 310000.00,
     'Brugerundersøgelsen viser 25 procent kortere tid pr. besigtigelse. Introduktionen til nye brugere skal forbedres.',
     '', 'medlem.natur@aarhus.example'),
    ('jord', 'DKjord', 'Digital jordflytning fra anmeldelse til kvittering', 'ÆØ-{Y}-010',
     'Digital anmeldelse af jordflytning med ny kortvisning',
     'Anmeldere tegner i dag flytningen på papir eller i pdf.',
     'Færre fejl i anmeldelser og hurtigere behandling i kommunerne.',
     'Kommuner, entreprenører og modtageanlæg',
     'high', 'in_development', 'Ca. 260 timer', 420000.00, '', '', 'ole.hvid@odense.example'),
    ('jord', 'Miljøvurderingsregisteret', 'Åbne data om miljøvurderinger', 'ÆØ-{Y}-011',
     'Åbne data fra Miljøvurderingsregisteret',
     'Rådgivere og borgere efterspørger adgang til afgørelser om miljøvurdering.',
     'Større gennemsigtighed og færre aktindsigter.',
     'Borgere, rådgivere og myndigheder',
     'medium', 'approved', 'Ca. 110 timer', 180000.00, '', '', 'ida.lauridsen@mst.example'),
    ('jord', 'DKjord', NULL, 'ÆØ-{Y}-012',
     'Nyt felt til analysedata i DKjord',
     'Regionerne vil kunne gemme analyseresultater sammen med kortlægningen.',
     'Bedre grundlag for prioritering af oprydning.',
     'Regionerne',
     'medium', 'described', 'Afventer leverandøren', NULL, '',
     'Leverandørens estimat mangler.', 'kristian.holm@regionh.example'),
    ('jord', 'DKjord', 'Digital jordflytning fra anmeldelse til kvittering', 'ÆØ-{Y}-013',
     'Samlet status på kortlægning til borgere',
     'Borgere forstår ikke forskellen på de forskellige kortlægningsstatusser.',
     'Færre henvendelser til kommuner og regioner og bedre borgerservice.',
     'Borgere, ejendomsmæglere, kommuner og regioner',
     'high', 'ready_for_decision', 'Ca. 90 timer', 140000.00, '', '', 'maria.thygesen@rm.example'),
    ('vand', 'VanDa', 'Automatisk kvalitetssikring af målinger', 'ÆØ-{Y}-020',
     'Import af sensordata i VanDa',
     'Flere målestationer leverer data fra sensorer, som i dag indtastes manuelt.',
     'Sparer manuelt arbejde og giver hyppigere data.',
     'Miljøstyrelsen og kommuner',
     'high', 'approved', 'Ca. 170 timer', 260000.00, '', '', 'mads.iversen@mst.example'),
    ('vand', 'VanDa', 'Automatisk kvalitetssikring af målinger', 'ÆØ-{Y}-021',
     'Bedre fejlmeddelelser ved indberetning',
     'Indberettere får uforståelige fejlbeskeder.',
     'Færre supporthenvendelser.',
     'Alle indberettere',
     'medium', 'delivered', 'Ca. 70 timer', 110000.00, '', '', 'hanne.kristoffersen@aalborg.example'),
    ('vand', 'VanDa', 'Ny datamodel for vandløbsdata', 'ÆØ-{Y}-022',
     'Visning af vandløbsklassifikation',
     'Ønske om at se vandløbets klassifikation sammen med målingerne.',
     'Bedre overblik i sagsbehandlingen.',
     'Kommunale vandløbsmedarbejdere',
     'low', 'idea', '', NULL, '', '', 'jesper.vinther@aarhus.example')
) AS v(slug, solution, initiative, ref, title, need, value, beneficiaries, priority, status, estimate, cost, learning, not_ready, submitter)
JOIN groups g ON g.slug = v.slug;

-- C1: each demo request took the forward steps of the workflow up to its status, recorded by the secretariat.
INSERT INTO change_request_status_changes (change_request_id, from_status, to_status, note, changed_by, changed_at)
SELECT c.id, s.from_status, s.to_status, '',
       CASE WHEN s.from_status IS NULL THEN c.submitted_by ELSE (SELECT id FROM people WHERE email = 'sekretariat@dmp.example') END,
       now() - (8 - s.n) * interval '20 days'
FROM change_requests c
JOIN (VALUES ('idea', 1), ('described', 2), ('ready_for_decision', 3), ('approved', 4), ('rejected', 4),
             ('in_development', 5), ('delivered', 6), ('evaluated', 7)) AS r(status, rank) ON r.status = c.status
JOIN (VALUES (1, NULL, 'idea'), (2, 'idea', 'described'), (3, 'described', 'ready_for_decision'),
             (4, 'ready_for_decision', 'approved'), (4, 'ready_for_decision', 'rejected'),
             (5, 'approved', 'in_development'), (6, 'in_development', 'delivered'), (7, 'delivered', 'evaluated'))
     AS s(n, from_status, to_status)
  ON s.n <= r.rank AND (s.to_status <> 'rejected' OR c.status = 'rejected')
                   AND (s.to_status <> 'approved' OR c.status <> 'rejected');

-- C2: the secretariat escalates a change request with disputed value to the board.
WITH y AS (SELECT extract(year FROM now() AT TIME ZONE 'Europe/Copenhagen')::int AS y)
INSERT INTO change_request_escalations (change_request_id, reason, escalated_by, escalated_at, board_outcome)
SELECT cr.id,
       'Værdien er ikke tilstrækkeligt dokumenteret, og parterne er uenige om, hvor mange kommuner der vil bruge integrationen. Udgiften svarer til to tredjedele af faggruppens årsbudget.',
       (SELECT id FROM people WHERE email = 'sekretariat@dmp.example'),
       greatest(date_trunc('year', now()), now() - interval '12 days'),
       ''
FROM y, change_requests cr
WHERE cr.reference = 'ÆØ-' || y.y || '-007';

-- R5: decisions from the held meetings.
WITH y AS (SELECT extract(year FROM now() AT TIME ZONE 'Europe/Copenhagen')::int AS y)
INSERT INTO decisions (meeting_id, agenda_item_id, change_request_id, text, responsible_id, decided_on)
SELECT m.id,
       (SELECT ai.id FROM agenda_items ai JOIN agendas a ON a.id = ai.agenda_id
        WHERE a.meeting_id = m.id AND ai.title = v.item LIMIT 1),
       (SELECT id FROM change_requests WHERE reference = replace(v.ref, '{Y}', y.y::text)),
       replace(v.text, '{Y}', y.y::text),
       (SELECT id FROM people WHERE email = v.responsible),
       (m.starts_at AT TIME ZONE 'Europe/Copenhagen')::date
FROM y, (VALUES
    ('Faggruppemøde I – Natur', NULL, NULL,
     'Kommissoriet er gennemgået. Sekretariatet forbereder et udkast til version 2 med et afsnit om hybride møder til Bestyrelsen.',
     'sekretariat@dmp.example'),
    ('Faggruppemøde I – Natur', NULL, 'ÆØ-{Y}-004',
     'ÆØ-{Y}-004 Masseredigering af besigtigelser er godkendt og disponeret af årets budget.',
     'forperson.natur@mst.example'),
    ('Faggruppemøde I – Natur', NULL, NULL,
     'Ændringerne i dataansvarsaftalens bilag for naturdata er godkendt og sendes til Bestyrelsen.',
     'sekretariat@dmp.example'),
    ('Faggruppemøde I – Jord', NULL, 'ÆØ-{Y}-010',
     'ÆØ-{Y}-010 Digital anmeldelse af jordflytning sættes i udvikling.',
     'anne.sommer@dmp.example'),
    ('Faggruppemøde II – Jord', NULL, 'ÆØ-{Y}-011',
     'ÆØ-{Y}-011 Åbne data fra Miljøvurderingsregisteret er godkendt.',
     'niels.dalgaard@mst.example')
) AS v(meeting, item, ref, text, responsible)
JOIN meetings m ON m.title = v.meeting;

-- C4: the action list (open, one overdue, one done, one cancelled).
WITH t AS (SELECT (now() AT TIME ZONE 'Europe/Copenhagen')::date AS today)
INSERT INTO actions (group_id, meeting_id, title, owner_id, due_on, status, done_at, created_at)
SELECT g.id, m.id, replace(v.title, '{Y}', extract(year FROM t.today)::int::text),
       (SELECT id FROM people WHERE email = v.owner),
       CASE v.due_base WHEN 'today' THEN t.today + v.due_off
                       ELSE (m.starts_at AT TIME ZONE 'Europe/Copenhagen')::date + v.due_off END,
       v.status,
       CASE WHEN v.status = 'done' THEN m.starts_at + interval '20 days' END,
       least(now(), m.ends_at + interval '1 day')
FROM t, (VALUES
    ('natur', 'Faggruppemøde I – Natur', 'Send udkast til nyt kommissorium til Stabsgruppen',
     'sekretariat@dmp.example', 'meeting', 30, 'done'),
    ('natur', 'Faggruppemøde I – Natur', 'Saml kommunernes erfaringer med den nye registreringsvejledning',
     'thomas.krogh@kl.example', 'today', -10, 'open'),
    ('natur', 'Arbejdsmøde – tilstandsvurdering i Naturdatabasen', 'Send udkast til registreringsvejledning i høring i baglandet',
     'jonas.kirkegaard@mst.example', 'today', 20, 'open'),
    ('jord', 'Faggruppemøde I – Jord', 'Test den nye kortvisning til jordflytning i testmiljøet',
     'lene.bruun@aalborg.example', 'meeting', 40, 'done'),
    ('jord', 'Faggruppemøde II – Jord', 'Afklar det juridiske grundlag for åbne data om miljøvurderinger',
     'ida.lauridsen@mst.example', 'today', 14, 'open'),
    ('jord', 'Faggruppemøde I – Jord', 'Undersøg fælles skabelon for jordflytningsattester',
     'ole.hvid@odense.example', 'meeting', 60, 'cancelled'),
    ('vand', 'Faggruppemøde I – Vand', 'Kortlæg regionernes behov for sensordata i VanDa',
     'tina.poulsen@regionh.example', 'today', 30, 'open')
) AS v(slug, meeting, title, owner, due_base, due_off, status)
JOIN groups g ON g.slug = v.slug
JOIN meetings m ON m.title = v.meeting;

-- A8: operational status of the solutions.
WITH t AS (SELECT (now() AT TIME ZONE 'Europe/Copenhagen')::date AS today)
INSERT INTO operational_status (solution_id, kind, reported_on, summary, count)
SELECT s.id, v.kind, t.today - v.days_ago, v.summary, v.count
FROM t, (VALUES
    ('Naturdatabasen', 'errors',   7,  'Åbne fejl, heraf én alvorlig i kortvisningen', 3),
    ('Naturdatabasen', 'support',  7,  'Supporthenvendelser i seneste måned, flest om login og polygoner', 41),
    ('Naturdatabasen', 'release',  21, 'Version 4.12 med validering af polygoner og hurtigere søgning', NULL),
    ('Naturdatabasen', 'incident', 35, 'Nedetid i to timer ved planlagt databaseopdatering, som trak ud', 1),
    ('Danmarks Arealinformation', 'support', 7, 'Supporthenvendelser i seneste måned', 12),
    ('Danmarks Arealinformation', 'release', 28, 'Nye kortlag for Natura 2000-planer', NULL),
    ('DKjord', 'errors',  5,  'Åbne fejl i attestudskrivningen', 2),
    ('DKjord', 'support', 5,  'Supporthenvendelser i seneste måned', 18),
    ('DKjord', 'release', 40, 'Version 3.7 med forbedret kortvisning', NULL),
    ('Miljøvurderingsregisteret', 'support', 10, 'Supporthenvendelser i seneste måned', 5),
    ('VanDa', 'support',  6,  'Supporthenvendelser i seneste måned', 27),
    ('VanDa', 'release',  30, 'Bedre fejlmeddelelser ved indberetning', NULL),
    ('VanDa', 'incident', 14, 'Forsinket import af målinger fra eksternt system i et døgn', 1)
) AS v(solution, kind, days_ago, summary, count)
JOIN solutions s ON s.name = v.solution;

-- ---------------------------------------------------------------------------------------------------------
-- B1-B3: budgets, dispositions and a transfer from Vand to Jord
-- ---------------------------------------------------------------------------------------------------------
WITH y AS (SELECT extract(year FROM now() AT TIME ZONE 'Europe/Copenhagen')::int AS y)
INSERT INTO budgets (group_id, year, amount, set_by, set_on)
SELECT g.id, y.y, v.amount, 'Bestyrelsen', make_date(y.y - 1, 12, 9)
FROM y, (VALUES ('natur', 900000.00), ('jord', 700000.00), ('vand', 600000.00)) AS v(slug, amount)
JOIN groups g ON g.slug = v.slug;

WITH t AS (SELECT (now() AT TIME ZONE 'Europe/Copenhagen')::date AS today,
                  extract(year FROM now() AT TIME ZONE 'Europe/Copenhagen')::int AS y)
INSERT INTO budget_dispositions (budget_id, change_request_id, initiative_id, description, amount, spent, disposed_on)
SELECT b.id,
       (SELECT id FROM change_requests WHERE reference = replace(v.ref, '{Y}', t.y::text)),
       (SELECT id FROM roadmap_initiatives ri WHERE ri.group_id = g.id AND ri.title = v.initiative),
       v.description, v.amount, v.spent,
       greatest(date_trunc('year', t.today)::date, t.today - v.days_ago)
FROM t, (VALUES
    ('natur', 'ÆØ-{Y}-004', NULL, 'Masseredigering af besigtigelser', 95000.00, 0.00, 110),
    ('natur', 'ÆØ-{Y}-005', NULL, 'Søgning på lokalitets-id', 240000.00, 130000.00, 200),
    ('natur', NULL, 'Ny registreringsvejledning for beskyttede naturtyper', 'Konsulentbistand til ny registreringsvejledning', 150000.00, 85000.00, 220),
    ('jord',  'ÆØ-{Y}-010', NULL, 'Digital anmeldelse af jordflytning', 420000.00, 210000.00, 140),
    ('jord',  'ÆØ-{Y}-011', NULL, 'Åbne data fra Miljøvurderingsregisteret', 180000.00, 0.00, 45),
    ('vand',  'ÆØ-{Y}-020', NULL, 'Import af sensordata i VanDa', 260000.00, 90000.00, 180),
    ('vand',  'ÆØ-{Y}-021', NULL, 'Bedre fejlmeddelelser ved indberetning', 110000.00, 110000.00, 250)
) AS v(slug, ref, initiative, description, amount, spent, days_ago)
JOIN groups g ON g.slug = v.slug
JOIN budgets b ON b.group_id = g.id
WHERE b.year = t.y;

-- B2: Vand has 600,000 budget and 370,000 disposed; 150,000 moves to Jord (700,000 + 150,000 >= 600,000 disposed).
WITH y AS (SELECT extract(year FROM now() AT TIME ZONE 'Europe/Copenhagen')::int AS y)
INSERT INTO budget_transfers (year, from_budget_id, to_budget_id, amount, reason, made_by, made_at)
SELECT y.y, bf.id, bt.id, 150000.00,
       'Vand har ikke behov for hele årets budget. Jord får midlerne til ÆØ-' || y.y || '-013 (samlet status på kortlægning til borgere), som har stor værdi for borgerne.',
       (SELECT id FROM people WHERE email = 'sekretariat@dmp.example'),
       greatest(date_trunc('year', now()), now() - interval '20 days')
FROM y
JOIN budgets bf ON bf.year = y.y AND bf.group_id = (SELECT id FROM groups WHERE slug = 'vand')
JOIN budgets bt ON bt.year = y.y AND bt.group_id = (SELECT id FROM groups WHERE slug = 'jord');

-- ---------------------------------------------------------------------------------------------------------
-- D1: extra closed days of this installation
-- ---------------------------------------------------------------------------------------------------------
WITH y AS (SELECT extract(year FROM now() AT TIME ZONE 'Europe/Copenhagen')::int AS y)
INSERT INTO closed_days (day, reason)
SELECT make_date(y.y, 5, 1), '1. maj' FROM y
UNION ALL
SELECT make_date(y.y + 1, 5, 1), '1. maj' FROM y;

-- A1: the chair's comments are a thread of their own (agenda_chair_comments), by the group's chair.
INSERT INTO agenda_chair_comments (agenda_id, author_id, body, created_at)
SELECT a.id,
       (SELECT ms.person_id FROM memberships ms JOIN meetings m ON m.group_id = ms.group_id
         WHERE m.id = a.meeting_id AND ms.role = 'chair' AND ms.status = 'active' LIMIT 1),
       a.chair_comment, coalesce(a.sent_to_chair_at, a.updated_at) + interval '2 hours'
FROM agendas a WHERE btrim(a.chair_comment) <> '';
UPDATE agendas SET chair_comment = '' WHERE chair_comment <> '';
-- ---------------------------------------------------------------------------------------------------------
-- A7: on each group's agendas that are not yet held, the secretariat has selected the requests ready for
-- decision (for decision) and those described or under way (for discussion). Agendas published before the
-- selection existed show the registers live; those published from now on keep a snapshot.
-- ---------------------------------------------------------------------------------------------------------
INSERT INTO agenda_change_requests (meeting_id, change_request_id, purpose, selected_by)
SELECT m.id, c.id,
       CASE WHEN c.status = 'ready_for_decision' THEN 'decision' ELSE 'discussion' END,
       (SELECT id FROM people WHERE email = 'sekretariat@dmp.example')
FROM meetings m
JOIN agendas a ON a.meeting_id = m.id
JOIN change_requests c ON c.group_id = m.group_id
WHERE m.kind = 'ordinary' AND m.starts_at > now()
  AND c.status IN ('described', 'ready_for_decision', 'in_development');

-- T1: the groups have worked together since 2024 (their charters were approved then), so every quarter counts.
UPDATE groups SET created_at = timestamptz '2024-01-02 09:00+01';
