using System.Collections.Frozen;

namespace HealthAssist.Deidentify.Notes;

/// <summary>
/// The detector's built-in dictionaries, written from general knowledge of US names, places and clinical language: a few
/// hundred common given and family names that are not ordinary words, names that are also words (matched only in name
/// contexts), US states, city names, and a vocabulary of ordinary English and clinical words that are never taken for names.
/// The evaluation generator keeps its own, separate lists.
/// </summary>
public static class NoteLexicon
{
    private static readonly FrozenSet<string> Given = Set("""
        james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony donald
        steven stephen paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary
        nicholas eric jonathan larry justin scott brandon benjamin samuel gregory alexander patrick raymond dennis jerry
        tyler aaron jose adam nathan henry douglas zachary peter kyle noah ethan jeremy walter keith roger terry austin
        sean gerald carl harold dylan arthur lawrence jordan jesse bryan billy bruce gabriel joe logan alan juan albert
        willie elijah randy wayne vincent roy eugene russell bobby mason philip phillip louis harry howard fred johnny
        jimmy antonio carlos luis manuel jorge francisco miguel ricardo eduardo pedro javier alejandro rafael fernando
        sergio hector oscar marcus victor travis derek shawn todd curtis leonard glenn jeff chad clarence ernest craig
        stanley shane tony chris ralph mike danny leroy marvin troy eddie alfred norman bernard leon herbert francis
        calvin lloyd melvin vernon floyd clifford gordon lester milton wesley derrick kurt nelson neil edwin cecil jerome
        clyde warren duane darrell lonnie kirk brent tom tim dan ken nick greg jim jon ron rick steve dave doug andy matt
        tommy dustin corey cody darren elliott ian luke owen caleb isaac connor evan liam lucas oliver xavier omar ahmed
        mohammed muhammad hassan ibrahim kareem rashad tyrone darnell jamal terrence reginald maurice andre lamar
        cedric dwayne rodney wendell otis luther homer virgil wilbur elmer chester harvey mario ramon enrique julio
        raul ernesto alberto armando roberto guillermo gustavo andres diego mateo santiago emilio nathaniel theodore
        frederick benedict gilbert stuart graham malcolm duncan angus colin nigel trevor derek gavin declan patrick
        sebastian dominic vincent julian adrian damian marco stefan anton dmitri sergei ivan nikolai viktor hiroshi
        takeshi kenji wei jun ming raj rajesh sanjay vijay anil sunil ravi arjun rohan amit vikram deepak
        mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra ashley
        kimberly emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca sharon laura cynthia
        kathleen amy angela shirley anna brenda pamela emma nicole helen samantha katherine christine debra rachel
        carolyn janet catherine maria diane ruth julie olivia joyce victoria kelly lauren christina joan evelyn
        judith megan andrea cheryl hannah jacqueline martha gloria teresa ann anne sara madison frances kathryn janice
        jean abigail alice judy sophia denise marilyn danielle beverly isabella theresa diana natalie brittany charlotte
        marie kayla alexis lori tammy irene peggy wanda bonnie annie elaine lucille rosa vera louise edna ethel florence
        mildred gladys esther josephine thelma lillian norma eleanor doris marjorie loretta lucy ella emily sophie chloe
        zoe ava mia aubrey madeline natasha tanya tonya tracy stacy kristen kristin erin erica veronica monica wendy
        yolanda gwendolyn rhonda regina carmen juanita guadalupe lucia elena sofia valentina camila leah rebekah naomi
        miriam shannon colleen maureen eileen kathy cathy patty susie debbie becky cindy vicky jenny jill gail beth
        tina gina lynn dana stacey heidi jodi kara tara terri vanessa melanie bethany courtney whitney lindsay tiffany
        brianna gabriella alyssa jasmine kaitlyn brooke jenna morgan paige haley allison jocelyn priya anita sunita
        lakshmi aisha fatima mariam yasmin leila keiko yuki mei ling xiu olga svetlana tatiana irina ingrid greta
        helga bridget siobhan aoife niamh fiona moira maeve colette yvonne simone nadine claudette bernadette
        antoinette harriet henrietta geraldine rosemary rosalind rosalie beatrice winifred muriel myrtle
        """);

    private static readonly FrozenSet<string> Family = Set("""
        smith johnson williams jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson anderson
        taylor moore jackson martin thompson harris sanchez clark ramirez lewis robinson allen wright scott torres
        nguyen flores adams nelson rivera campbell mitchell carter roberts gomez phillips evans turner diaz parker cruz
        edwards collins reyes stewart morris morales murphy rogers gutierrez ortiz morgan cooper peterson bailey kelly
        howard ramos kim cox richardson watson chavez bennett mendoza ruiz hughes alvarez castillo sanders patel myers
        ross foster jimenez powell jenkins perry russell sullivan coleman butler henderson barnes gonzales fisher vasquez
        simmons romero patterson hamilton graham reynolds griffin wallace moreno cole hayes bryant herrera gibson ellis
        tran medina aguilar stevens murray ford castro marshall owens harrison fernandez mcdonald kennedy
        vargas chen freeman webb tucker guzman crawford olson simpson porter gordon mendez silva shaw snyder mason dixon
        munoz hicks holmes palmer wagner robertson boyd salazar warren meyer schmidt garza daniels ferguson nichols
        stephens soto weaver gardner payne dunn kelley spencer hawkins arnold pierce vazquez hansen peters santos
        bradley elliott cunningham duncan armstrong hudson carroll riley andrews alvarado delgado perkins hoffman
        johnston matthews pena richards contreras willis lawrence sandoval guerrero chapman rios estrada ortega
        watkins greene nunez wheeler valdez harper burke larson santiago maldonado morrison franklin carlson dominguez
        lawson jacobs obrien o'brien lynch singh vega montgomery jensen harvey williamson gilbert sims espinoza howell
        reid hanson mccoy garrett burton fuller wang weber welch rojas lucas marquez padilla walsh bowman schultz
        fowler mejia davidson acosta brewer juarez newman pearson douglas schwartz fuentes jennings hodges wolfe
        kramer jaramillo tate webster dawson mcbride mckenzie mckinney mcdaniel mclaughlin mccarthy mcgee mcintyre
        o'connor o'neill o'donnell o'sullivan gallagher donovan fitzgerald brennan doyle quinn kavanagh callahan
        schneider fischer becker zimmerman hoffmann kowalski nowak wisniewski novak horvath kovacs nagy petrov ivanov
        popov volkov sokolov kuznetsov yamamoto tanaka suzuki watanabe ito sato kobayashi takahashi nakamura zhang
        liu huang zhao zhou yang zhu lin kaur sharma gupta kumar shah mehta desai reddy rao iyer
        chowdhury rahman hussain khan ahmed malik qureshi mohammed abdullah haddad nasser saleh mansour khoury
        cohen levy friedman goldberg katz rosenberg weiss klein shapiro kaplan bernstein horowitz
        jefferson madison monroe hayes garfield cleveland harding coolidge hoover truman eisenhower nixon
        carlisle thornton whitaker blackwell hartley kingsley ashford pemberton whitfield langley hargrove
        beaumont delacroix moreau dubois lefebvre leroy girard bonnet lambert fontaine rousseau
        rossi russo ferrari esposito bianchi romano colombo ricci marino greco bruno gallo conti deluca costa
        schroeder krueger koch bauer richter wolf schaefer neumann schwarz braun hofmann hartmann
        lindberg johansson karlsson nilsson eriksson larsson olsen pedersen christensen andersen sorensen
        """);

    // Names that are also ordinary words: only taken as names in a name context (title, relation, capitalised pair).
    private static readonly FrozenSet<string> WordNames = Set("""
        will hope grace bill june rose dawn mark frank faith joy may april august summer autumn ray art guy rich
        sandy bob pat sue don max gene jan sam ted jack drew chase chip dean earl gale gay hunter iris ivy jade
        jasmine lily olive pearl ruby sage violet amber crystal holly heather ginger candy cherry daisy dusty misty
        penny robin sky storm star sunny wade heath cliff glen rod miles sterling christian destiny hazel
        brown green white black young king long hall wood hill stone rivers banks bush cook baker bishop walker page
        price rice wells fox love hart head nurse cross field fields west north south east little small short gross
        best moody sharp strong swift bond church bell ward burns mills lane street reed woods day park berry grant
        knight carpenter hunt potter tanner barber butcher
        booth ball bird lamb crane hawk finch wren pope gay rich hale hardy noble golden silver gold
        battle lord marsh moon snow frost winter spring addison virginia georgia washington carolina
        """);

    private static readonly FrozenSet<string> Cities = Set("""
        chicago houston phoenix philadelphia dallas jacksonville indianapolis columbus charlotte seattle
        denver boston nashville baltimore louisville milwaukee albuquerque tucson fresno sacramento mesa atlanta omaha
        raleigh miami oakland minneapolis tulsa tampa arlington wichita cleveland bakersfield anaheim honolulu
        riverside lexington stockton pittsburgh anchorage cincinnati henderson greensboro plano newark toledo
        orlando chandler laredo durham lubbock scottsdale reno glendale
        norfolk chesapeake irving hialeah garland fremont boise richmond spokane tacoma fontana modesto oxnard
        fayetteville yonkers worcester knoxville providence huntsville tallahassee rockford syracuse savannah
        dayton akron springfield peoria lansing kalamazoo topeka evansville allentown erie scranton trenton
        hartford bridgeport stamford burlington portland salem olympia bellingham missoula billings bozeman
        cheyenne casper duluth fargo bismarck amarillo abilene waco beaumont galveston
        shreveport lafayette birmingham tuscaloosa biloxi gulfport memphis chattanooga
        charleston columbia greenville asheville wilmington roanoke lynchburg alexandria annapolis dover
        pensacola gainesville sarasota naples clearwater lakeland macon augusta albany binghamton ithaca rochester
        utica poughkeepsie camden paterson hoboken cambridge lowell springfield worcester providence concord manchester
        nashua bangor burlington montpelier
        """);

    private static readonly FrozenSet<string> StateNames = Set("""
        alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho illinois
        indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri
        montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia washington
        wisconsin wyoming
        """);

    private static readonly FrozenSet<string> StateAbbreviations = FrozenSet.ToFrozenSet(
        """
        AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR
        PA RI SC SD TN TX UT VT VA WA WV WI WY DC
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

    // Function words: never a name, and a name never continues through them.
    private static readonly FrozenSet<string> Function = Set("""
        a an the and or but nor so yet for of in on at to from by with without within into onto upon about above below
        over under after before during since until till through throughout between among against toward towards via
        per as than then there here this that these those it its he him his she her hers they them their we us our
        you your i me my who whom whose which what when where why how all any both each few more most other some such
        no not only own same too very can will just should now is are was were be been being have has had having do
        does did doing would could may might must shall also again once further off out up down if else while because
        although though whether either neither every another much many several one two three four five six seven
        eight nine ten first second third last next new old good well better best bad worse worst back still even
        ever never always often usually sometimes today tonight tomorrow yesterday morning afternoon evening night
        day days week weeks month months year years hour hours minute minutes time times am pm yes ok okay please
        thanks thank dear sincerely regards re cc s t d w x y o
        """);

    // Ordinary English words that are common in notes (verbs, adjectives, people and places).
    private static readonly FrozenSet<string> Common = Set("""
        said says say states stated reports reported report denies denied endorses endorsed notes noted note complains
        complained presents presented presenting came come comes coming arrived arrive arrives brought bring brings
        seen see saw seeing sees called call calls calling spoke speak speaks discussed discuss agreed agree agrees asked
        ask told tell given give gave gives taken take took takes started start starts stopped stop continue continued
        continues continuing remains remained remain become became feel feels felt found find went go goes going gone
        got get gets getting left leave leaves return returned returns admitted admit discharged discharge
        transferred transfer referred refer requested request received receive lives live lived living moved move
        works work worked visit visited visiting visits stays stay stayed helps help helped needs need needed wants
        want wanted wishes wish declined decline accepted accept improved improving improve worsening worsened
        tolerated tolerating tolerates tolerate resolved resolving ambulating ambulates ambulate walking walked walk
        eating ate eat drinking drink sleeping slept sleep voiding void lying sitting standing awake alert oriented
        confused updated update informed inform understands understand understood verbalized verbalizes confirmed
        confirm reviewed review examined exam examination assessed assess assessment consulted consult ordered order
        orders increased increase decreased decrease changed change held hold restarted restart resume resumed check
        checked follow followed following follows monitor monitored monitoring recommend recommended suggest suggested
        plan planned planning consider considered likely unlikely possible probable due present absent normal
        abnormal stable unstable noted appears appeared looks looked seems seemed is became happy sad upset anxious
        calm pleasant cooperative comfortable uncomfortable tired well unwell sick ill fine okay better worse same
        different new old recent recently prior previous previously currently current initially initial further
        additional other others family families home house friend friends husband wife son daughter mother father
        mom dad brother sister partner spouse children child kids baby grandson granddaughter niece nephew aunt uncle
        cousin grandmother grandfather grandma grandpa sons daughters brothers sisters parents parent siblings
        sibling relatives relative caregiver carer guardian neighbor neighbour roommate boyfriend girlfriend fiance
        fiancee stepson stepdaughter patient patients pt pts doctor doctors physician physicians nurse nurses nursing
        staff team service services primary floor room bed bedside unit ward wards department emergency clinic
        clinics office hospital hospitals hospice pharmacy phone telephone number address email contact information
        insurance job car bus stairs church school store work shelter facility facilities center centre medical
        health healthcare community local outside general regional county university state city private public
        area nearby another referring rural teaching memorial care dear sir madam mr mrs ms miss dr doctor prof
        professor attending resident intern fellow student chaplain interpreter manager social worker therapist
        pharmacist surgeon cardiologist oncologist nephrologist pulmonologist neurologist consultant registrar
        team case cases summary history hpi ros pmh psh meds medications medication allergies allergy social
        exam plan impression assessment diagnosis diagnoses discharge admission admit course hospital follow
        instructions signed electronically dictated transcribed reviewed attested addendum date dob age sex gender
        male female man woman men women gentleman lady boy girl adult elderly infant yo
        morning evening overnight noon midnight daily weekly monthly annually january february march april may june
        july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec monday
        tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
        sats spo2 right left bilateral upper lower anterior posterior lateral medial proximal distal mild moderate
        severe acute chronic active inactive positive negative unremarkable significant minimal marked
        mark marking frank hope hoping hopes hoped will grace walker rose dawn bill june may
        yes no none unknown unable able willing refused refuses agreeable aware independent dependent assist assisted
        full partial total high low level levels increased elevated raised reduced normalised normalized remains
        brown green white black yellow red pink pale blue grey gray clear cloudy dark bloody thick thin
        young long hall wood hill stone banks cook baker bishop page price rice wells fox love head cross field west
        north south east little small short large big huge tiny gross best sharp strong swift bond bell burns
        mills lane street park day grant knight hunt booth ball bird lamb noble golden silver gold battle lord
        march spring winter summer autumn fall falls
        med rec mrn no num nbr dob ssn acct account id number name names record records chart unit hospital hosp
        accession acc csn fin member group policy subscriber insurance medicare medicaid phone tel cell fax pager email
        """);

    // Clinical vocabulary: findings, anatomy, drugs, units, tests, eponymous terms. Never a name, never a street.
    private static readonly FrozenSet<string> Clinical = Set("""
        pain chest abdominal abdomen head neck back shoulder arm arms leg legs knee knees hip hips foot feet hand hands
        wrist ankle ankles elbow eye eyes ear ears nose throat mouth tongue teeth skin heart lung lungs liver kidney
        kidneys bladder bowel bowels stomach brain spine blood urine stool stools sputum fluid fluids fever fevers
        febrile afebrile chills rigors cough coughing wheeze wheezing wheezes dyspnea dyspnoea shortness breath
        breathing sob nausea vomiting diarrhea diarrhoea constipation dizziness syncope headache fatigue weakness
        swelling edema oedema rash itching bleeding bruising numbness tingling palpitations anxiety depression
        confusion delirium agitation insomnia appetite weight loss gain orthopnea orthopnoea pnd hemoptysis
        haemoptysis hematuria haematuria melena hematemesis dysuria frequency urgency incontinence retention
        pneumonia sepsis infection infections uti cellulitis copd asthma chf hf failure afib af fibrillation flutter
        hypertension htn diabetes dm ckd aki cad mi stemi nstemi acs stroke cva tia dvt pe cancer carcinoma tumor
        tumour mass lesion lesions fracture anemia anaemia hypoxia hypoxemia hypotension tachycardia bradycardia
        arrhythmia effusion effusions embolism thrombosis obstruction exacerbation insufficiency stenosis
        regurgitation cardiomyopathy dementia parkinsonism seizure seizures epilepsy migraine neuropathy
        osteoarthritis arthritis gout osteoporosis hypothyroidism hyperthyroidism obesity hyperlipidemia
        hyperlipidaemia dyslipidemia gerd reflux ulcer ulcers hepatitis cirrhosis pancreatitis cholecystitis
        appendicitis diverticulitis colitis gastroenteritis bronchitis bronchiolitis sinusitis pharyngitis otitis
        covid influenza flu rsv virus viral bacterial fungal sepsis septic shock murmur murmurs gallop rub
        crackles rales rhonchi stridor clear regular irregular rate rhythm soft tender nontender distended sounds
        palpable pulses pulse cap refill jvp jvd pitting trace oriented gcs pupils reactive perrla neuro motor
        sensory reflexes strength tone gait cranial nerves intact
        aspirin heparin enoxaparin lovenox warfarin coumadin apixaban eliquis rivaroxaban xarelto dabigatran
        clopidogrel plavix ticagrelor metoprolol carvedilol atenolol bisoprolol lisinopril enalapril ramipril
        losartan valsartan amlodipine nifedipine furosemide lasix bumetanide torsemide hydrochlorothiazide hctz
        spironolactone chlorthalidone atorvastatin simvastatin rosuvastatin pravastatin insulin lantus humalog
        novolog glargine lispro metformin glipizide glyburide sitagliptin empagliflozin jardiance dapagliflozin
        prednisone prednisolone methylprednisolone solumedrol dexamethasone hydrocortisone albuterol salbutamol
        ipratropium duoneb tiotropium spiriva fluticasone budesonide symbicort advair montelukast azithromycin
        zithromax ceftriaxone rocephin vancomycin vanc piperacillin tazobactam zosyn cefepime meropenem
        levofloxacin levaquin ciprofloxacin cipro amoxicillin augmentin doxycycline cephalexin keflex
        clindamycin metronidazole flagyl nitrofurantoin macrobid bactrim trimethoprim sulfamethoxazole
        acetaminophen paracetamol tylenol ibuprofen motrin advil naproxen ketorolac toradol morphine
        hydromorphone dilaudid oxycodone percocet norco hydrocodone tramadol fentanyl ondansetron zofran
        metoclopramide reglan pantoprazole protonix omeprazole famotidine docusate colace senna sennosides
        miralax polyethylene glycol lactulose bisacodyl gabapentin pregabalin sertraline zoloft citalopram
        escitalopram fluoxetine trazodone mirtazapine quetiapine seroquel olanzapine haloperidol haldol
        lorazepam ativan diazepam alprazolam midazolam levothyroxine synthroid digoxin amiodarone diltiazem
        verapamil nitroglycerin nitro isosorbide hydralazine clonidine potassium kcl magnesium sodium calcium
        phosphate chloride bicarbonate saline lr dextrose thiamine folate folic vitamin iron ferrous
        multivitamin melatonin nicotine patch oxygen o2 nebulizer nebuliser nebs inhaler bipap cpap
        mg mcg g gm kg ml l dl mmol meq units unit iu tab tabs tablet tablets cap caps capsule capsules dose doses
        dosing daily bid tid qid qd qhs qam qpm prn po iv im sq sc subq subcut pr sl q4h q6h q8h q12h q24h qod
        hr hrs min mins sec bpm mmhg kpa cm mm inch inches lb lbs pounds kilograms liters litres percent
        ct cta mri mra xray x-ray cxr ekg ecg echo echocardiogram ultrasound us tte tee cath catheterization
        angiogram biopsy surgery intubation extubation ventilation bronchoscopy endoscopy colonoscopy egd
        dialysis hemodialysis transfusion paracentesis thoracentesis lumbar puncture lp scan scans imaging film
        films view views study studies lab labs results result culture cultures panel cbc bmp cmp lfts abg vbg
        wbc hgb hb hct plt na k cl co2 bun cr creat creatinine glucose troponin trop bnp ntprobnp lactate inr pt
        ptt aptt ast alt alp bili bilirubin albumin protein crp esr procalcitonin ddimer d-dimer tsh a1c hba1c
        lipase amylase ua urinalysis ph pco2 po2 hco3 anion gap egfr gfr
        vitals vital signs bp hr rr temp temperature tmax sat saturation ra nc fio2 weight height bmi
        ed er icu ccu micu sicu pacu or ot pt ot slp rt snf ltach ltc rehab pcp gp md do np rn lpn cna pa
        admission discharge transfer disposition condition code status dnr dni full comfort goals
        sepsis sirs qsofa news mews curb-65 wells geneva chads2 cha2ds2-vasc hasbled timi grace heart
        parkinson parkinsons parkinson's alzheimer alzheimers alzheimer's crohn crohns crohn's hodgkin hodgkins
        hodgkin's addison's cushing cushings cushing's graves huntington huntington's tourette tourettes raynaud
        raynauds raynaud's sjogren sjogrens hashimoto hashimotos meniere menieres asperger aspergers kaposi
        guillain barre guillain-barre apgar glasgow foley holter doppler valsalva trendelenburg babinski romberg
        kussmaul cheyne stokes cheyne-stokes korotkoff heimlich epley swan ganz swan-ganz whipple nissen roux
        billroth hartmann's ringer ringers ringer's gram wernicke korsakoff broca bence wort tinel phalen homans
        homan murphy's lachman mcmurray spurling kernig brudzinski mallampati killip nyha gleason breslow
        bells bell's addisonian marfan down's klinefelter noonan turner's wilson's gilbert's barrett barrett's
        baker's lyme kawasaki reiter behcet takayasu wegener dressler prinzmetal brugada mobitz wenckebach
        levine tanner apley allen's ortolani barlow moro finkelstein thompson's hawkins-kennedy neer jobe
        tegaderm ace unna miami luer yankauer pleurx picc port portacath mediport hickman groshong
        stryker hoyer nephro ortho onc neuro pulm cards gi renal heme endo derm uro gyn ob psych peds surg gensurg ir
        vir ent ophtho optho rheum pall palliative hospice sw slp pharm nutrition dietary chaplaincy cm micu sicu nicu picu
        count counts rectum protocol os policy guidelines guideline routine request consent orders pharmacy
        """);

    // The noun after an eponym: "Wilson disease", "Murphy's sign", "Allen test" are clinical terms, not people.
    private static readonly FrozenSet<string> EponymHeads = Set("""
        disease diseases syndrome syndromes sign signs test tests palsy score scores scale scales criteria criterion
        classification catheter tube maneuver manoeuvre phenomenon reflex node nodes fracture lymphoma sarcoma tumor
        tumour ulcer triad procedure operation repair equation formula inventory stain monitor line pouch cyst
        esophagus oesophagus disorder body bodies protein hose stockings position method rule rules index ratio law
        loop cell cells nerve canal duct gland space junction ligament bandage wrap collar boot splint technique
        approach incision needle mask valve shunt pump filter lens angle point area aphasia encephalopathy
        neuralgia neuropathy anomaly deformity contracture varices spots spot respiration respirations breathing
        block blocks bundle wave waves solution lactate rating depression dementia type classification stage grade
        fistula hernia deformity nodule nodules membrane stripe layer ring wort
        """);

    // Modifiers that make "… Hospital" / "… Clinic" generic rather than a named institution.
    private static readonly FrozenSet<string> GenericInstitutionWords = Set("""
        the a an this that our their his her your my its another other same outside local community general regional
        county university state city private public area nearby referring rural teaching previous prior current memorial
        primary urgent specialty speciality outpatient inpatient walk-in walk day family internal medicine
        emergency care health medical surgical surgery center centre clinic hospital hospice nursing home children's
        women's women children men veterans va pediatric paediatric adult senior assisted living rehab rehabilitation skilled long-term
        term acute mental psychiatric behavioral behavioural free charity mobile satellite main new old
        """);

    public static bool IsKnownGivenName(string word) => Given.Contains(Normalise(word));

    public static bool IsKnownFamilyName(string word) => Family.Contains(Normalise(word));

    /// <summary>A name that is also an ordinary word ("Will", "Hope", "Brown"): a name only in a name context.</summary>
    public static bool IsWordName(string word) => WordNames.Contains(Normalise(word));

    public static bool IsKnownCity(string word) => Cities.Contains(Normalise(word));

    public static bool IsStateName(string word) => StateNames.Contains(Normalise(word));

    public static bool IsStateAbbreviation(string word) => StateAbbreviations.Contains(word);

    /// <summary>True for any word the detector knows as a name (given, family or word-name).</summary>
    public static bool IsKnownName(string word)
    {
        var w = Normalise(word);
        return Given.Contains(w) || Family.Contains(w) || WordNames.Contains(w);
    }

    internal static bool IsFunctionWord(string lower) => Function.Contains(lower);

    internal static bool IsClinical(string lower) => Clinical.Contains(lower) || Clinical.Contains(StripPossessive(lower));

    /// <summary>Ordinary vocabulary: function, common or clinical words.</summary>
    internal static bool IsVocabulary(string lower) =>
        Function.Contains(lower) || Common.Contains(lower) || IsClinical(lower) || LooksDerived(lower);

    /// <summary>Vocabulary from the word lists only, without suffix guessing: for capitalised words in mixed-case text.</summary>
    internal static bool IsListedVocabulary(string lower) => Function.Contains(lower) || Common.Contains(lower) || IsClinical(lower);

    internal static bool IsEponymHead(string lower) => EponymHeads.Contains(lower);

    internal static bool IsGenericInstitutionWord(string lower) => GenericInstitutionWords.Contains(lower);

    internal static bool IsGivenLower(string lower) => Given.Contains(lower);

    internal static bool IsFamilyLower(string lower) => Family.Contains(lower);

    internal static bool IsWordNameLower(string lower) => WordNames.Contains(lower);

    internal static bool IsCityLower(string lower) => Cities.Contains(lower);

    internal static bool IsStateNameLower(string lower) => StateNames.Contains(lower);

    internal static IReadOnlyList<string> SurrogateGivenNames { get; } = Surrogates(Given);

    internal static IReadOnlyList<string> SurrogateFamilyNames { get; } = Surrogates(Family);

    /// <summary>Words formed with clinical or grammatical suffixes are not names ("ambulating", "pneumonitis").</summary>
    private static bool LooksDerived(string lower)
    {
        var hyphen = lower.LastIndexOf('-');
        if (hyphen >= 0)
        {
            lower = lower[(hyphen + 1)..];
        }

        if (lower.Length < 6 || Given.Contains(lower) || Family.Contains(lower) || Cities.Contains(lower))
        {
            return false;
        }

        ReadOnlySpan<string> suffixes =
            ["ing", "tion", "sion", "ment", "ness", "ous", "ive", "ful", "less", "able", "ible", "ized", "ised", "ated",
             "itis", "osis", "emia", "aemia", "algia", "ectomy", "otomy", "ostomy", "plasty", "scopy", "graphy", "pathy",
             "ial", "ical", "ology", "ologist", "iatric", "uria", "penia", "cytosis", "mide", "zide", "pine", "zine", "amine", "azole",
             "olol", "pril", "sartan", "statin", "mycin", "cillin", "floxacin", "cycline", "parin", "mab", "nib", "ally", "ously"];
        foreach (var suffix in suffixes)
        {
            if (lower.EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        // Past tenses ("reported", "ambulated") and adverbs ("recently"), but not "Mohammed" or "Kelly".
        return (lower.Length >= 7 && lower.EndsWith("ed", StringComparison.Ordinal) && !lower.EndsWith("eed", StringComparison.Ordinal))
            || (lower.EndsWith("ly", StringComparison.Ordinal) && !lower.EndsWith("lly", StringComparison.Ordinal) && !lower.EndsWith("rly", StringComparison.Ordinal));
    }

    private static string StripPossessive(string lower) =>
        lower.EndsWith("'s", StringComparison.Ordinal) || lower.EndsWith("’s", StringComparison.Ordinal) ? lower[..^2] : lower;

    private static string Normalise(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return word.Trim().Replace('’', '\'').ToLowerInvariant();
    }

    private static FrozenSet<string> Set(string words) =>
        words.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);

    private static string[] Surrogates(FrozenSet<string> names) =>
        [.. names.Where(n => n.Length >= 4 && !n.Contains('\'', StringComparison.Ordinal) && !WordNames.Contains(n))
            .Order(StringComparer.Ordinal)
            .Select(n => char.ToUpperInvariant(n[0]) + n[1..])];
}
