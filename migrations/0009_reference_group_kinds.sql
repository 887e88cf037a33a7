-- Reference data that belongs to the product, not to the demo (O2, S1, M2-M6, S2): the DMP and OS2 group
-- kinds with their rule sets, charter templates and responsibilities. A bare installation (DEMO_DATA=false)
-- has them, so its secretariat can create groups from the first start; administrators may edit them later.
-- Existing installations already have them from the demo data: nothing is inserted twice.
INSERT INTO group_kinds (code, name, family, max_members, max_per_party, max_secretariat,
                         chair_management_level, chair_from_party, requires_staff_approval, expects_substitutes,
                         charter_template, responsibilities)
VALUES
('faggruppe', 'Faggruppe', 'dmp', 11, 3, 2, true, true, true, true,
'Kommissorium for faggruppen [FAGGRUPPE]

1. Formål
Faggruppen er partnerskabets faglige forum for [LØSNINGER]. Arbejdet i gruppen er en del af medlemmernes kerneopgave og vejer lige så tungt som opgaverne i egen organisation. Faggruppen skal
- styrke den digitale forvaltning på miljøområdet og sammenhængen med parternes egne systemer
- sikre en god og retvisende datahåndtering til myndighedsopgaverne på tværs af stat, regioner og kommuner
- omsætte Danmarks Miljøportals strategi til konkrete planer og prioriteringer
- bringe parternes behov og viden ind i Danmarks Miljøportal og forankre Bestyrelsens beslutninger i egen organisation
- gøre Danmarks Miljøportal synlig som fundamentet for opgaveløsningen

2. Organisering
Faggruppen består af repræsentanter for parterne og har ansvaret for en eller flere løsninger i drift. Løsningerne drives og finansieres af Danmarks Miljøportal. Faggruppen har ikke projektansvar, men kan overtage ansvaret for en løsning, når den er sat i produktion. Faggruppen refererer til Bestyrelsen gennem Stabsgruppen og betjenes af Sekretariatet.

3. Opgaver
Før møderne: medlemmerne forbereder sig, foreslår dagsordenspunkter og beskriver, værdisætter og prioriterer myndighedernes behov som ændringsønsker med opbakning fra baglandet.
På møderne: faggruppen prioriterer og sætter den faglige retning, kvalificerer ændringer, holder Sekretariatet orienteret om ny lovgivning og praksis og står for ændringer i dataansvarsaftalens bilag, metadata og registreringsvejledninger.
Efter møderne: medlemmerne formidler nye tiltag i eget bagland og gør Bestyrelsen opmærksom på udfordringer og manglende midler.
Sekretariatet giver alle faggrupper ens rammer, hjælper med behovsbeskrivelser og værdi, oversætter behov til teknisk sprog sammen med leverandøren og følger op på leverancer, så læring og feedback kommer tilbage til gruppen.

4. Medlemmer
Faggruppen har højst 11 medlemmer: op til tre fra hver part (staten, regionerne, kommunerne) og to fra Sekretariatet. En part kan sende færre repræsentanter, men aldrig flere. Mindst én repræsentant fra hver part bør være på ledelsesniveau, og forpersonen skal altid være det. Bestyrelsen udpeger forpersonen blandt parternes repræsentanter. Nye medlemmer indstilles af parten og godkendes af Stabsgruppen på dens næste ordinære møde, før de deltager i møderne. Hver part bør udpege en suppleant.

5. Budget
Faggruppen har et årligt budget, som Bestyrelsen fastsætter. Ubrugte midler overføres ikke til det følgende år. Inden mødet i august/september beslutter faggruppen, hvad resten af budgettet skal bruges til. Midler, der ikke er disponeret, kan Sekretariatet flytte til en anden faggruppe inden for samme år. Alle disponeringer kobles til roadmap og ændringsønsker.

6. Arbejdsform
Beslutninger træffes på et oplyst grundlag om værdi: hvad er meningen, hvad gavner det, og hvem gavner det. Faggruppen holder mindst ét ordinært møde i kvartalet og deltager én gang om året i fællesmødet for alle faggrupper. Arbejdsmøder mellem de ordinære møder holdes som regel online. Møder over tre timer holdes som udgangspunkt fysisk. Afbud gives så vidt muligt en uge før, og suppleanten orienteres. Dokumenter, ændringsønsker og mødemateriale deles i samarbejdsrummet. Hver part betaler selv for sin deltagelse.

7. Dagsorden og årshjul
Sekretariatet sender et udkast til dagsorden til forpersonen, som godkender den. Dagsordenen lægges i samarbejdsrummet og sendes ud senest 5 arbejdsdage før mødet. Medlemmer sender ønsker om punkter skriftligt senest 10 arbejdsdage før. Referatet sendes ud senest 5 arbejdsdage efter mødet, kommentarer gives inden for 5 arbejdsdage og indarbejdes inden for yderligere 5 arbejdsdage.
Fast dagsorden: 1 Ændringsønsker og roadmap, 2 Nye ideer, 3 Årshjul, 4 Status fra parterne, 5 Status fra Sekretariatet, 6 Afslutning.
Årshjul (møde I-IV): gennemgang af kommissorium, dataansvarsaftale, metadata og registreringsvejledninger - en part viser sine arbejdsprocesser - brugerundersøgelser og andet brugerinput - roadmap for næste år og 3-4 år frem samt næste års mødeplan.

8. Roller
Forperson: leder møderne, holder gruppen på kurs mod målene og roadmap, følger op på aftaler og holder politik ude af gruppen (vejledende 10-15 timer om måneden).
Medlem: tager del i hele gruppens område, repræsenterer sin part med blik for fællesoffentlige løsninger og bidrager til behovsbeskrivelser, metadata og vejledninger (vejledende 8-12 timer om måneden).
Suppleant: deltager, når et medlem har afbud, følger med via dagsordener og referater og inviteres til det årlige fællesmøde.
Sekretariatet: forbereder og afholder møderne, skriver referat og holder ændringsønsker, roadmap, aktionsliste og mødefrekvensark opdateret.',
''),

('stabsgruppe', 'Stabsgruppe', 'governance', NULL, NULL, NULL, false, false, false, false,
'Kommissorium for Stabsgruppen

1. Formål
Stabsgruppen forbereder Bestyrelsens beslutninger og er bindeled mellem faggrupperne og Bestyrelsen.

2. Sammensætning
Én repræsentant på ledelsesniveau fra hver part samt Sekretariatets direktør.

3. Opgaver
- godkende nye faggruppemedlemmer på vegne af Bestyrelsen
- behandle sager, som faggrupperne eller Sekretariatet løfter op
- forberede budget og kommissorier til Bestyrelsen

4. Møder
Stabsgruppen holder ordinære møder mindst hvert kvartal.',
''),

('bestyrelse', 'Bestyrelse', 'governance', NULL, NULL, NULL, false, false, false, false,
'Forretningsorden for Bestyrelsen

1. Formål
Bestyrelsen er partnerskabets øverste ledelse og fastlægger strategi, budget og rammer.

2. Opgaver
- fastsætte faggruppernes årlige budgetter
- godkende kommissorier og ændringer i dem
- udpege faggruppernes forpersoner
- tage stilling til sager, som Sekretariatet eskalerer

3. Møder
Bestyrelsen mødes mindst fire gange om året og én gang om året med faggruppernes forpersoner.',
''),

('os2-styregruppe', 'OS2-styregruppe', 'os2', NULL, NULL, NULL, false, false, false, false,
'Kommissorium for styregruppen for [PRODUKT]

1. Formål
Styregruppen har det overordnede ledelsesansvar for [PRODUKT] og for fremdriften. Gruppen skaber enighed om en fælles retning og gode rammer for arbejdet.

2. Sammensætning
Styregruppen består af beslutningstagere fra medlemsorganisationerne. Det er frivilligt at være med. OS2s sekretariat kan bruges til sparring, men deltager som udgangspunkt ikke i gruppen.

3. Ansvar
[ANSVAR]

4. Økonomi
Styregruppen godkender budgettet og sørger for, at der er økonomi og ressourcer til at gennemføre arbejdet.

5. Samarbejde
Styregruppen sikrer, at koordinationsgruppen har de rette arbejdsvilkår, og at vigtige interessenter bliver hørt. Gruppen følger OS2s governancemodel og Code of Conduct.

6. Følg eller forklar
Hvis et krav i governancemodellen ikke bliver opfyldt, skriver gruppen ned hvorfor.

7. Møder
Mødeform og mødefrekvens aftales på gruppens første møde, hvor kommissoriet udfyldes i fællesskab.',
'Sikre at projektet bliver gennemført, skaber værdi og hænger sammen med organisationernes strategi
Beslutte rammerne for tid, kvalitet og ressourcer og justere dem undervejs
Være ambassadører for projektet, tage ejerskab og stå for den strategiske kommunikation
Skaffe opbakning i de kredse, som koordinationsgruppen ikke selv når
Sikre koblingen til driften ved at inddrage relevante ledere, medarbejdere og brugere
Kvalificere og godkende beskrivelsen af projektet
Bidrage med viden, der styrker leverancerne og overgangen til drift
Godkende budgettet og sikre finansiering til gennemførelsen'),

('os2-koordinationsgruppe', 'OS2-koordinationsgruppe', 'os2', NULL, NULL, NULL, false, false, false, false,
'Kommissorium for koordinationsgruppen for [PRODUKT]

1. Formål
Koordinationsgruppen ejer [PRODUKT] i det daglige og sørger for, at løsningen er stabil, bliver vedligeholdt og udvikles i den retning, medlemmerne har brug for.

2. Sammensætning
Frivillige repræsentanter fra de deltagende offentlige myndigheder. Gruppen ledes af en frivillig tovholder eller en frikøbt produktkoordinator, der lønnes via tilslutningsaftalen. Leverandører kan deltage, også frivilligt, medmindre andet er aftalt skriftligt.

3. Ansvar
[ANSVAR]

4. Roller og forventninger
Gruppen fordeler rollerne og afstemmer, om løsningen kun skal vedligeholdes eller også videreudvikles. Har løsningen ingen styregruppe, påtager koordinationsgruppen sig også ledelsesansvaret.

5. Følg eller forklar
Hvis et krav i governancemodellen ikke bliver opfyldt, skriver gruppen ned hvorfor.

6. Møder
Mødeform og mødefrekvens aftales på gruppens første møde, hvor kommissoriet udfyldes i fællesskab.',
'Koordinere og prioritere medlemmernes ønsker til udvikling og vedligehold
Holde kontakten til leverandørerne
Varetage rollen som product owner og tage ejerskab over løsningen
Sikre et stabilt produkt, der løbende bliver udviklet og opdateret
Undgå at koden forgrener sig i mange lokale varianter
Sørge for at produktet lever op til governancemodellen og bruge følg-eller-forklar
Skabe engagement blandt medlemmerne
Fortælle sekretariatets community manager om gode historier og nye roadmaps
Kontakte sekretariatet ved spørgsmål'),

('os2-faggruppe', 'OS2-faggruppe', 'os2', NULL, NULL, NULL, false, false, false, false,
'Kommissorium for faggruppen for [PRODUKT]

1. Formål
Faggruppen samler, drøfter og deler viden inden for [PRODUKT]. Gruppen har ingen direkte forpligtelser i forhold til udvikling af et produkt.

2. Sammensætning
Frivillige fagpersoner fra medlemsorganisationerne. Gruppen betjenes af OS2s sekretariat.

3. Ansvar
[ANSVAR]

4. Følg eller forklar
Hvis et krav i governancemodellen ikke bliver opfyldt, skriver gruppen ned hvorfor.

5. Møder
Mødeform og mødefrekvens aftales på gruppens første møde, hvor kommissoriet udfyldes i fællesskab.',
'Indsamle viden og erfaringer inden for fagområdet
Drøfte faglige spørgsmål og god praksis på tværs af medlemmerne
Formidle viden til medlemsorganisationerne og resten af OS2-fællesskabet
Give koordinationsgrupperne faglige input, når de beder om det')
ON CONFLICT (code) DO NOTHING;
