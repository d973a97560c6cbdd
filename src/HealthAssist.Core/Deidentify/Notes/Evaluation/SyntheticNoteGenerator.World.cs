using System.Globalization;

namespace HealthAssist.Deidentify.Notes.Evaluation;

public static partial class SyntheticNoteGenerator
{
    private sealed record PostalAddress(string Street, string City, string State, string Zip);

    /// <summary>One patient's world: identity, relatives, clinicians, places, and writers for every kind of sentence.</summary>
    private sealed class World
    {
        private static readonly string[] Relations = ["daughter", "son", "wife", "husband", "sister", "brother", "niece", "nephew", "friend", "neighbor", "granddaughter", "grandson", "partner"];
        private static readonly string[] Specialties = ["cardiology", "pulmonology", "nephrology", "ID", "surgery", "GI", "neurology", "palliative care", "geriatrics"];
        private readonly List<(string Relation, Person Person)> _relatives = [];
        private readonly List<Person> _clinicians = [];
        private readonly List<string> _institutions = [];
        private readonly string _mrn;
        private readonly string _ssn;
        private readonly string _phone;
        private readonly string _email;
        private readonly string _insurance;

        public World(Random r, int seed, int index)
        {
            R = r;
            PatientId = Invariant($"synthetic-{seed}-{index}");
            var female = r.NextDouble() < 0.5;
            Patient = NewPerson(female, wordNames: 0.12);
            Age = r.NextDouble() < 0.3 ? r.Next(90, 106) : r.Next(22, 90);
            Visit = new DateOnly(2019, 1, 1).AddDays(r.Next(0, 7 * 365));
            Dob = Visit.AddYears(-Age).AddDays(-r.Next(1, 360));
            _mrn = Digits(r.Next(7, 10));
            _ssn = Invariant($"{r.Next(100, 900):000}-{r.Next(10, 99):00}-{r.Next(1000, 9999):0000}");
            _phone = Invariant($"{r.Next(201, 989)}{r.Next(200, 999)}{r.Next(0, 10000):0000}");
            _email = Invariant($"{Patient.Given.ToLowerInvariant()}.{Patient.Family.ToLowerInvariant().Replace("'", "", StringComparison.Ordinal)}{r.Next(1, 99)}@{Pick(r, EmailDomains)}");
            _insurance = Pick(r, ["XJH", "MCD", "BCB", "UHC", "AET"]) + Digits(9);
            HomeAddress = NewAddress();
            ClinicAddress = NewAddress();
            for (var i = r.Next(1, 4); i > 0; i--)
            {
                var relation = Pick(r, Relations);
                var relFemale = relation is "daughter" or "wife" or "sister" or "niece" or "granddaughter" || (relation is "friend" or "neighbor" or "partner" && r.NextDouble() < 0.5);
                _relatives.Add((relation, NewPerson(relFemale, wordNames: 0.45, family: r.NextDouble() < 0.6 ? Patient.Family : null)));
            }

            for (var i = 0; i < 4; i++)
            {
                _clinicians.Add(NewPerson(r.NextDouble() < 0.5, wordNames: 0.1, familyWordNames: 0.12));
            }

            _institutions.Add(NewInstitution());
            _institutions.Add(NewInstitution());
            RelativesInRecord = r.NextDouble() < 0.6;
        }

        public Random R { get; }

        public string PatientId { get; }

        public Person Patient { get; }

        public int Age { get; }

        public DateOnly Dob { get; }

        public DateOnly Visit { get; }

        public PostalAddress HomeAddress { get; }

        public PostalAddress ClinicAddress { get; }

        private bool RelativesInRecord { get; }

        private string He => Patient.Female ? "she" : "he";

        private string His => Patient.Female ? "her" : "his";

        public Person Clinician(int i) => _clinicians[i % _clinicians.Count];

        public (string Relation, Person Person) Relative(int i) => _relatives[i % _relatives.Count];

        public string MrnValue => _mrn;

        public NoteContext Context() => new()
        {
            GivenNames = [Patient.Given],
            FamilyNames = [Patient.Family],
            RelativeNames = RelativesInRecord ? [.. _relatives.Take(1).Select(x => x.Person.Given + " " + x.Person.Family)] : [],
            Identifiers = [_mrn, _ssn, _insurance],
            AddressLines = [HomeAddress.Street],
            Cities = [HomeAddress.City],
            PostalCodes = [HomeAddress.Zip],
            Phones = [_phone],
            Emails = [_email],
            BirthDate = Dob,
            Institutions = [_institutions[0]],
        };

        // ------------------------------------------------------------ people and places

        private Person NewPerson(bool female, double wordNames, string? family = null, double familyWordNames = 0.06)
        {
            var roll = R.NextDouble();
            var given = roll < wordNames ? Pick(R, WordGiven) : roll < wordNames + 0.45 ? Pick(R, RareGiven) : Pick(R, CommonGiven);
            var froll = R.NextDouble();
            family ??= froll < familyWordNames ? Pick(R, WordFamily) : froll < familyWordNames + 0.5 ? Pick(R, RareFamily) : Pick(R, CommonFamily);
            return new Person(given, family, female);
        }

        private PostalAddress NewAddress()
        {
            var street = Invariant($"{R.Next(1, 9999)} ") + (R.NextDouble() < 0.2 ? Pick(R, ["N ", "S ", "E ", "W "]) : string.Empty)
                + Pick(R, StreetNames) + " " + Pick(R, StreetSuffixes) + (R.NextDouble() < 0.2 ? Invariant($", Apt {R.Next(1, 40)}{Pick(R, ["", "A", "B"])}") : string.Empty);
            var city = R.NextDouble() < 0.5 ? Pick(R, RareCities) : Pick(R, CommonCities);
            var zip = R.NextDouble() < 0.2 ? Invariant($"{R.Next(10000, 99999)}-{R.Next(1000, 9999)}") : Invariant($"{R.Next(10000, 99999)}");
            return new PostalAddress(street, city, Pick(R, States), zip);
        }

        private string NewInstitution()
        {
            var roll = R.NextDouble();
            if (roll < 0.25)
            {
                return Pick(R, ["St. ", "St ", "Saint "]) + Pick(R, Saints) + (R.NextDouble() < 0.8 ? " " + Pick(R, ["Hospital", "Medical Center", "Hospice", "Regional Hospital"]) : string.Empty);
            }

            var stem = roll < 0.55 ? Pick(R, InstitutionStems) : roll < 0.8 ? Pick(R, RareCities) : Pick(R, CommonCities);
            return stem + " " + Pick(R, InstitutionHeads);
        }

        private string Digits(int n)
        {
            var chars = new char[n];
            for (var i = 0; i < n; i++)
            {
                chars[i] = (char)('0' + R.Next(i == 0 ? 1 : 0, 10));
            }

            return new string(chars);
        }

        // ------------------------------------------------------------ PHI writers

        public void Mrn(NoteBuilder b)
        {
            switch (R.Next(10))
            {
                case 0: b.T("MRN: ").P(PhiType.Identifier, _mrn); break;
                case 1: b.T("MRN#").P(PhiType.Identifier, _mrn); break;
                case 2: b.P(PhiType.Identifier, "MRN" + _mrn); break;
                case 3: b.T("MR# ").P(PhiType.Identifier, _mrn); break;
                case 4: b.T("Med Rec No. ").P(PhiType.Identifier, _mrn); break;
                case 5: b.T("medical record number ").P(PhiType.Identifier, _mrn); break;
                case 6: b.T("mrn ").P(PhiType.Identifier, _mrn); break;
                case 7: b.T("(MRN ").P(PhiType.Identifier, _mrn).T(")"); break;
                case 8: b.T("Hospital No: ").P(PhiType.Identifier, "H" + _mrn); break;
                default: b.T("Medical Record #: ").P(PhiType.Identifier, _mrn); break;
            }
        }

        public void Accession(NoteBuilder b)
        {
            switch (R.Next(3))
            {
                case 0: b.T("Accession #: ").P(PhiType.Identifier, "CT" + Digits(8)); break;
                case 1: b.T("ACC ").P(PhiType.Identifier, Invariant($"{Visit.Year}-{Digits(6)}")); break;
                default: b.T("Accession number ").P(PhiType.Identifier, Digits(9)); break;
            }
        }

        public string DobText() => DateText(Dob, numericOnly: R.NextDouble() < 0.7);

        public string DateText(DateOnly d, bool numericOnly = false)
        {
            var inv = CultureInfo.InvariantCulture;
            var choice = numericOnly ? R.Next(4) : R.Next(14);
            return choice switch
            {
                0 => d.ToString("MM/dd/yyyy", inv),
                1 => d.ToString("M/d/yyyy", inv),
                2 => d.ToString("yyyy-MM-dd", inv),
                3 => d.Day > 12 ? d.ToString("dd/MM/yyyy", inv) : d.ToString("M/d/yy", inv),
                4 => d.ToString("d MMM yyyy", inv),
                5 => d.ToString("dd-MMM-yyyy", inv).ToUpperInvariant(),
                6 => d.ToString("MMMM d, yyyy", inv),
                7 => d.ToString("MMM d", inv),
                8 => d.ToString("d MMMM", inv),
                9 => d.Day + OrdinalSuffix(d.Day) + " of " + d.ToString("MMMM", inv),
                10 => d.ToString("MMMM ", inv) + d.Day + OrdinalSuffix(d.Day),
                11 => d.ToString("dddd, MMMM d", inv),
                12 => d.ToString("MMM. d, yyyy", inv).Replace("May.", "May", StringComparison.Ordinal),
                _ => d.ToString("d-MMM-yy", inv),
            };
        }

        private static string OrdinalSuffix(int day) => (day % 100) is 11 or 12 or 13 ? "th" : (day % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };

        public string Time() => R.NextDouble() < 0.5 ? Invariant($"{R.Next(0, 24):00}:{R.Next(0, 60):00}") : Invariant($"{R.Next(0, 24):00}{R.Next(0, 4) * 15:00}");

        public string PhoneText()
        {
            var p = _phone;
            var digits = R.NextDouble() < 0.5 ? p : Invariant($"{R.Next(201, 989)}{R.Next(200, 999)}{R.Next(0, 10000):0000}");
            return R.Next(9) switch
            {
                0 => $"({digits[..3]}) {digits[3..6]}-{digits[6..]}",
                1 => $"{digits[..3]}-{digits[3..6]}-{digits[6..]}",
                2 => $"{digits[..3]}.{digits[3..6]}.{digits[6..]}",
                3 => $"+1 {digits[..3]} {digits[3..6]} {digits[6..]}",
                4 => $"1-{digits[..3]}-{digits[3..6]}-{digits[6..]}",
                5 => Invariant($"+44 20 {R.Next(7000, 8000)} {R.Next(1000, 9999)}"),
                6 => Invariant($"+49 30 {R.Next(1000000, 9999999)}"),
                7 => $"{digits[..3]}-{digits[3..6]}-{digits[6..]} x{R.Next(100, 9999)}",
                _ => Invariant($"+33 1 {R.Next(10, 99)} {R.Next(10, 99)} {R.Next(10, 99)} {R.Next(10, 99)}"),
            };
        }

        public void Institution(NoteBuilder b, int i) => b.P(PhiType.Institution, _institutions[i % _institutions.Count]);

        public static void Address(NoteBuilder b, PostalAddress a)
        {
            b.P(PhiType.Address, a.Street).T(", ").P(PhiType.Location, a.City).T(", ").P(PhiType.Location, a.State).T(" ").P(PhiType.Location, a.Zip);
        }

        private void AgePhrase(NoteBuilder b)
        {
            var sex = Patient.Female ? "F" : "M";
            var n = Age.ToString(CultureInfo.InvariantCulture);
            void Number()
            {
                if (Age > 89)
                {
                    b.P(PhiType.Age, n);
                }
                else
                {
                    b.T(n);
                }
            }

            switch (R.Next(8))
            {
                case 0: Number(); b.T(" y/o " + (Patient.Female ? "woman" : "man")); break;
                case 1: Number(); b.T("-year-old " + (Patient.Female ? "female" : "male")); break;
                case 2: Number(); b.T(sex); break;
                case 3: Number(); b.T(" yo " + sex); break;
                case 4: b.T("aged "); Number(); b.T(" years"); break;
                case 5: Number(); b.T(" year old " + (Patient.Female ? "lady" : "gentleman")); break;
                case 6: Number(); b.T("yo " + sex); break;
                default:
                    if (Age > 89 && Age < 100)
                    {
                        b.P(PhiType.Age, "ninety" + (Age == 90 ? string.Empty : "-" + Ones[Age - 90])).T("-year-old");
                    }
                    else
                    {
                        Number();
                        b.T(" yr old");
                    }

                    break;
            }
        }

        private static readonly string[] Ones = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

        public void Opening(NoteBuilder b)
        {
            switch (R.Next(5))
            {
                case 0:
                    b.T(Patient.Female ? "Mrs. " : "Mr. ").P(PhiType.Name, Patient.Family).T(" is a ");
                    AgePhrase(b);
                    b.T(" with " + History() + " who presents with " + Complaint() + ". ");
                    break;
                case 1:
                    b.P(PhiType.Name, Patient.Given).T(" is a ");
                    AgePhrase(b);
                    b.T(" who came in with " + Complaint() + " x" + R.Next(2, 7) + " days. ");
                    break;
                case 2:
                    AgePhrase(b);
                    b.T(" w/ h/o " + History() + ", c/o " + Complaint() + ". ");
                    break;
                case 3:
                    b.T("Pt is a ");
                    AgePhrase(b);
                    b.T(" brought in by " + His + " " + _relatives[0].Relation + " ").P(PhiType.Name, _relatives[0].Person.Given).T(" with " + Complaint() + ". ");
                    break;
                default:
                    b.FullName(Patient).T(", ");
                    AgePhrase(b);
                    b.T(", presents with " + Complaint() + ". ");
                    break;
            }
        }

        public void Sentences(NoteBuilder b, int min, int max)
        {
            var n = R.Next(min, max + 1);
            for (var i = 0; i < n; i++)
            {
                Sentence(b);
                b.T(" ");
            }
        }

        public void Sentence(NoteBuilder b)
        {
            var roll = R.NextDouble();
            if (roll < 0.42)
            {
                b.T(Distractor());
                return;
            }

            var (relation, rel) = _relatives[R.Next(_relatives.Count)];
            var doc = _clinicians[R.Next(_clinicians.Count)];
            switch (R.Next(44))
            {
                case 0: b.T(Cap(His) + " " + relation + " ").P(PhiType.Name, rel.Given).T(" is at the bedside."); break;
                case 1: b.T("Accompanied by " + His + " " + relation + ", ").P(PhiType.Name, rel.Given).T("."); break;
                case 2: b.T(Cap(relation) + " ").P(PhiType.Name, rel.Given).T(" (HCP) can be reached at ").P(PhiType.Phone, PhoneText()).T("."); break;
                case 3: b.T("Spoke with " + His + " " + relation + " ").FullName(rel).T(" by phone, who agrees with the plan."); break;
                case 4: b.T("Emergency contact: ").FullName(rel).T(" (" + relation + ") ").P(PhiType.Phone, PhoneText()).T("."); break;
                case 5: b.T(Cap(relation) + " ").P(PhiType.Name, rel.Given).T(" will call back later today."); break;
                case 6: b.T("Lives with " + His + " " + relation + " ").P(PhiType.Name, rel.Given).T(" at ").P(PhiType.Address, HomeAddress.Street).T("."); break;
                case 7: b.T("d/w " + relation + " ").P(PhiType.Name, rel.Given).T(", questions answered."); break;
                case 8: b.T("Discussed with Dr. ").P(PhiType.Name, doc.Family).T(" (" + Pick(R, Specialties) + ")."); break;
                case 9: b.T("Seen by ").FullName(doc).T(", NP."); break;
                case 10: b.T("Case d/w Dr ").P(PhiType.Name, doc.Family).T(", who will see " + (Patient.Female ? "her" : "him") + " in clinic."); break;
                case 11: b.T("Per Dr. ").P(PhiType.Name, doc.Family).T(", hold " + Pick(R, ["warfarin", "metformin", "lisinopril", "Lasix"]) + " tonight."); break;
                case 12: b.T("Plan reviewed with attending Dr. ").FullName(doc).T("."); break;
                case 13: b.T(Patient.Female ? "Ms. " : "Mr. ").P(PhiType.Name, Patient.Family).T(" reports " + Pick(R, ["less pain", "poor sleep", "improved breathing", "nausea overnight"]) + "."); break;
                case 14: b.P(PhiType.Name, Patient.Given).T(" states " + He + " feels better today."); break;
                case 15: b.T("Pt ").FullName(Patient).T(" ambulated in the hallway with a walker."); break;
                case 16: b.T("Last seen in clinic on ").P(PhiType.Date, DateText(Visit.AddDays(-R.Next(20, 200)))).T("."); break;
                case 17: b.T("Symptoms started on ").P(PhiType.Date, Visit.AddDays(-R.Next(1, 6)).DayOfWeek.ToString()).T("."); break;
                case 18: b.T("CT from ").P(PhiType.Date, DateText(Visit.AddDays(-R.Next(30, 400)))).T(" showed " + Pick(R, ["a stable 6 mm nodule", "no PE", "emphysema"]) + "."); break;
                case 19: b.T("Prior admission in ").P(PhiType.Date, Visit.AddDays(-R.Next(60, 700)).ToString(R.NextDouble() < 0.5 ? "MMMM yyyy" : "MMM yyyy", CultureInfo.InvariantCulture)).T(" for pneumonia."); break;
                case 20: b.T("Since ").P(PhiType.Date, Visit.AddDays(-R.Next(3, 25)).ToString("M/d", CultureInfo.InvariantCulture)).T(" " + He + " has had worsening " + Pick(R, ["cough", "dyspnea", "edema"]) + "."); break;
                case 21: b.T("SSN ").P(PhiType.Identifier, _ssn).T(" on file."); break;
                case 22: b.T("Insurance: Medicare no. ").P(PhiType.Identifier, "1EG4" + Digits(1) + "TE" + Digits(1) + "MK" + Digits(2)).T("."); break;
                case 23: b.T("Acct# ").P(PhiType.Identifier, "000" + Digits(7)).T(", encounter CSN ").P(PhiType.Identifier, Digits(10)).T("."); break;
                case 24: b.T("Member ID: ").P(PhiType.Identifier, _insurance).T("."); break;
                case 25: b.T("Please fax results to ").P(PhiType.Phone, PhoneText()).T("."); break;
                case 26: b.T("Cell: ").P(PhiType.Phone, PhoneText()).T("; home ").P(PhiType.Phone, PhoneText()).T("."); break;
                case 27: b.T("Pt can be emailed at ").P(PhiType.Email, _email).T("."); break;
                case 28: b.T("Results released to portal ").P(PhiType.Url, Invariant($"https://mychart.{Pick(R, InstitutionStems).Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()}.org/visit/{Digits(6)}")).T("."); break;
                case 29: b.T("Home monitor uploads from ").P(PhiType.Url, Invariant($"10.{R.Next(0, 255)}.{R.Next(0, 255)}.{R.Next(1, 255)}")).T(" failed overnight."); break;
                case 30: b.T("Lives alone at ").P(PhiType.Address, HomeAddress.Street).T(", ").P(PhiType.Location, HomeAddress.City).T(", ").P(PhiType.Location, HomeAddress.State).T(" ").P(PhiType.Location, HomeAddress.Zip).T("."); break;
                case 31: b.T("Lives in ").P(PhiType.Location, HomeAddress.City).T(" with " + His + " " + relation + "."); break;
                case 32: b.T("Moved from ").P(PhiType.Location, Pick(R, CommonCities.Concat(RareCities).ToArray())).T(", ").P(PhiType.Location, Pick(R, StateNames)).T(" last year."); break;
                case 33: b.T("Recently travelled to ").P(PhiType.Location, Pick(R, RareCities.Concat(CommonCities).ToArray())).T(" to visit family."); break;
                case 34: b.T("Transferred from ").P(PhiType.Institution, _institutions[1]).T(" for higher level of care."); break;
                case 35: b.T("Previously treated at ").P(PhiType.Institution, _institutions[0]).T(" for " + Pick(R, ["CHF", "COPD exacerbation", "hip fracture"]) + "."); break;
                case 36: b.T("Resides at ").P(PhiType.Institution, Pick(R, InstitutionStems) + Pick(R, [" Nursing Home", " Manor", " Assisted Living"])).T("."); break;
                case 37: b.T(Cap(relation) + " ").P(PhiType.Name, rel.Given).T(" lives in ").P(PhiType.Location, Pick(R, RareCities)).T(" and visits weekly."); break;
                case 38: b.T("Family meeting with ").P(PhiType.Name, rel.Given).T(" and Dr. ").P(PhiType.Name, doc.Family).T(" on ").P(PhiType.Date, DateText(Visit.AddDays(R.Next(1, 4)))).T("."); break;
                case 39: b.T("pt's " + relation + " ").P(PhiType.Name, rel.Given.ToLowerInvariant()).T(" visiting this afternoon."); break;
                case 40: b.T("Message left for ").P(PhiType.Name, rel.Given).T(" ").P(PhiType.Name, rel.Family).T(" at ").P(PhiType.Phone, PhoneText()).T("."); break;
                case 41: b.T("Prednisone 40 mg daily from ").P(PhiType.Date, DateText(Visit, numericOnly: true)).T(" to ").P(PhiType.Date, DateText(Visit.AddDays(4), numericOnly: true)).T(", then stop."); break;
                case 42: b.T("Seen at ").P(PhiType.Institution, _institutions[0]).T(" on ").P(PhiType.Date, DateText(Visit.AddDays(-R.Next(5, 90)))).T(" by Dr. ").P(PhiType.Name, doc.Family).T("."); break;
                default: b.T("Signed by ").P(PhiType.Name, doc.Family).T(", ").P(PhiType.Name, doc.Given).T(" MD."); break;
            }
        }

        public void Medication(NoteBuilder b)
        {
            switch (R.Next(6))
            {
                case 0: b.T("Prednisone 40 mg PO daily x5 days, last dose ").P(PhiType.Date, DateText(Visit.AddDays(5))); break;
                case 1: b.T("Augmentin 875 mg BID x 7 days (started ").P(PhiType.Date, DateText(Visit, numericOnly: true)).T(")"); break;
                case 2: b.T("Warfarin 5 mg Mon/Wed/Fri, 2.5 mg other days; INR check on ").P(PhiType.Date, DateText(Visit.AddDays(3))); break;
                case 3: b.T("Metoprolol succinate 25 mg daily"); break;
                case 4: b.T("Furosemide 40 mg PO BID until ").P(PhiType.Date, Visit.AddDays(7).ToString("M/d", CultureInfo.InvariantCulture)).T(", then daily"); break;
                default: b.T("Take 1/2 tab of lisinopril 10 mg daily; increase from 1/2 to 1 tab if BP > 140/90"); break;
            }
        }

        public void FollowUp(NoteBuilder b)
        {
            var doc = Clinician(3);
            switch (R.Next(4))
            {
                case 0:
                    b.T("with Dr. ").P(PhiType.Name, doc.Family).T(" at ");
                    Institution(b, 0);
                    b.T(" on ").P(PhiType.Date, DateText(Visit.AddDays(14))).T(", phone ").P(PhiType.Phone, PhoneText()).T(".");
                    break;
                case 1:
                    b.T("PCP ").FullName(doc).T(" in 1-2 weeks. Clinic fax ").P(PhiType.Phone, PhoneText()).T(".");
                    break;
                case 2:
                    b.T("Cardiology clinic in 2 weeks; Holter monitor to be mailed to ");
                    Address(b, HomeAddress);
                    b.T(".");
                    break;
                default:
                    b.T("Hospice referral to ");
                    b.P(PhiType.Institution, Pick(R, InstitutionStems) + " Hospice");
                    b.T(", contact ").P(PhiType.Phone, PhoneText()).T(". Hope to discharge tomorrow.");
                    break;
            }
        }

        public void Signature(NoteBuilder b)
        {
            var doc = Clinician(0);
            switch (R.Next(5))
            {
                case 0: b.T("Electronically signed by: ").FullName(doc).T(", MD ").P(PhiType.Date, DateText(Visit)).T(" ").T(Time()).Line(); break;
                case 1: b.T("Dictated by Dr. ").P(PhiType.Name, doc.Family).T(" / transcribed ").P(PhiType.Date, DateText(Visit.AddDays(1))).Line(); break;
                case 2: b.T("-- ").FullName(doc).T(", PA-C, pager ").P(PhiType.Phone, Invariant($"{R.Next(1000, 9999)}")).Line(); break;
                case 3: b.T("Attending attestation: I saw and examined the patient with Dr. ").P(PhiType.Name, Clinician(1).Family).T(". ").FullName(doc).T(", MD").Line(); break;
                default: b.P(PhiType.Name, doc.Family).T(", ").P(PhiType.Name, doc.Given).T(" MD - ").P(PhiType.Institution, _institutions[0]).Line(); break;
            }
        }

        // ------------------------------------------------------------ clinical text without PHI

        public string Complaint() => Pick(R, [
            "shortness of breath", "productive cough", "chest pain", "fever and rigors", "bilateral leg swelling", "confusion",
            "fall at home", "palpitations", "melena", "dysuria and flank pain", "worsening dyspnea on exertion", "syncope",
        ]);

        private string History() => Pick(R, [
            "COPD", "HFrEF (EF 30%)", "CKD stage 3", "type 2 DM", "HTN and HLD", "AF on apixaban", "Parkinson disease",
            "prior CVA", "Hodgkin lymphoma in remission", "Crohn's disease", "Graves disease", "Down syndrome", "dementia",
        ]);

        public string Vitals() => Invariant($"HR {R.Next(55, 130)}, BP {R.Next(90, 170)}/{R.Next(50, 100)}, RR {R.Next(12, 30)}, sats {R.Next(84, 100)}% on {Pick(R, ["RA", "2L NC", "4L NC", "NRB"])}, T {R.Next(36, 40)}.{R.Next(0, 9)}");

        public string Labs() => Invariant($"Na {R.Next(128, 146)}, K {R.Next(3, 6)}.{R.Next(0, 9)}, Cr {R.Next(0, 3)}.{R.Next(1, 9)}, WBC {R.Next(4, 22)}.{R.Next(0, 9)}, Hb {R.Next(7, 16)}.{R.Next(0, 9)}, trop {R.Next(0, 2)}.{R.Next(1, 99):00}, BNP {R.Next(20, 3000)}, INR {R.Next(1, 4)}.{R.Next(0, 9)}, lactate {R.Next(0, 6)}.{R.Next(0, 9)} (LOINC 2160-0)");

        public string Exam() => Pick(R, [
            "Crackles at the right base, JVP raised, pitting edema to the knees", "Alert and oriented x3, GCS 15/15",
            "2/6 systolic murmur at the RUSB", "Murphy's sign negative, abdomen soft", "Babinski downgoing bilaterally, 5/5 strength",
            "Widespread expiratory wheeze", "ST elevation in V2-V4 on ECG", "No focal deficits; Romberg negative",
        ]);

        public string Clinical() => Pick(R, [
            "Continue IV ceftriaxone 1 g q24h and azithromycin 500 mg daily.", "Diurese with furosemide 40 mg IV BID, strict I/O, daily weights.",
            "Wells score 2, D-dimer pending.", "Will continue current plan and reassess in AM.", "Hope to discharge tomorrow if stable.",
            "May need CT chest if no improvement.", "Foley catheter removed; voiding well.", "Mark the site before the procedure.",
            "Glasgow Coma Scale 15, no focal deficit.", "Lactated Ringer's 1 L bolus given.", "DNR/DNI confirmed with patient.",
        ]);

        public string Findings() => Pick(R, [
            "Right lower lobe consolidation. Small right pleural effusion.", "No acute cardiopulmonary process.",
            "Cardiomegaly with pulmonary vascular congestion.", "Stable 6 mm nodule in the left upper lobe; follow-up CT in 12 months.",
            "Hyperinflated lungs consistent with COPD. No pneumothorax.",
        ]);

        public string NursingItem() => Pick(R, [
            "VS: " + Vitals(), "pain 4/10, PRN oxycodone 5 mg given at " + Time(), "ambulating with walker, steady gait",
            "voiding qs, Foley d/c'd", "skin intact, turned q2h", "tolerating diet, BM x1", "O2 weaned to 2L NC, sats 93%",
            "frank hematuria noted, MD aware", "no frank blood in stool", "fall risk: bed alarm on", "IV site L forearm, patent",
            "dawn phenomenon suspected - BG 212 at 0600", "brown sputum, sent for culture", "white count trending down",
            "walker at bedside", "will reassess pain at 1400", "may shower tomorrow", "St John's wort held per pharmacy",
            "heparin gtt per protocol, aPTT at 1800", "Hope to mobilize to chair this PM",
        ]);

        private string Distractor() => Pick(R, [
            "Hx of Parkinson disease, on carbidopa-levodopa 25/100 TID.", "Bell's palsy in 2015, resolved.",
            "Takes St John's wort and fish oil.", "Born at term, Apgar 9/9.", "Hope to discharge tomorrow.",
            "Will continue IV antibiotics.", "Frank hematuria resolved.", "No frank blood per rectum.",
            "Mark the site prior to the procedure.", "Dawn phenomenon likely; adjust basal insulin.",
            "May need repeat echo in 6 months.", "Warfarin 5 mg on Mon/Wed/Fri.", "Dialysis every Monday, Wednesday and Friday.",
            "Sputum brown, no hemoptysis.", "White count 14.2, up from 11.", "ST depression in the lateral leads.",
            "BP 120/80, HR 110, sats 92% on RA.", "Follow up in 2 weeks.", "Wilson's disease ruled out.",
            "Swan-Ganz catheter removed.", "Holter monitor showed paroxysmal AF.", "Murphy's sign negative.",
            "Addison's disease on hydrocortisone 20 mg daily.", "Gram stain with gram-positive cocci in clusters.",
            "Cheyne-Stokes breathing overnight.", "Walker at bedside; PT to see.", "Grace period for the prior authorization applies.",
            "Patient is a 67 y/o on chronic prednisone.", "Moved from Ohio two years ago.", "Originally from Mexico, speaks Spanish.",
            "Will d/c Foley in AM.", "Troponin 0.04 -> 0.03.", "Glucose 212 mg/dL, on insulin glargine 20 units qHS.",
            "Plan: CXR PA and lateral, BMP, CBC in AM.", "Trendelenburg position for line placement.",
            "GCS 15, PERRLA, moving all four limbs.", "Ambulated 100 m with assistance.", "Last colonoscopy 2019, normal.",
            "Lasix 40 mg IV given at 14:00.", "Temp 99 F, HR 96.", "Aged care facility placement discussed in general terms.",
            "Down syndrome with moderate intellectual disability.", "Lives at home with family; independent in ADLs.",
            "Seen in the cardiology clinic last month.", "Referred to the heart failure clinic.", "Outside hospital records requested.",
        ]);

        private static string Cap(string s) => char.ToUpperInvariant(s[0]) + s[1..];
    }
}
