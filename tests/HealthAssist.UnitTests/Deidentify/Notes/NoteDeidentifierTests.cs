using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using HealthAssist.Deidentify.Notes;
using HealthAssist.Deidentify.Notes.Evaluation;
using static HealthAssist.UnitTests.Deidentify.Notes.NoteTestSupport;

namespace HealthAssist.UnitTests.Deidentify.Notes;

public sealed class NoteDeidentifierTests
{
    private const string CanaryNote = """
        ED NOTE - Patient: Zaphodia Canarywing   MRN: 47114711   DOB: 02/11/1931
        Zaphodia is a 94 y/o woman brought in by her daughter Hope Canarywing, cell (555) 201-3344.
        Seen by Dr. Okonkwo-Canary. Pt emails at zaphodia.canary@mailbox.com. Lives at 42 Canary Lane, Springfield, IL 62704.
        Previously treated at St. Canarius Hospital. Hope to discharge tomorrow.
        """;

    [Fact]
    public void Deidentify_CanaryNameMrnAndPhone_NeverSurviveInAnyForm()
    {
        var result = Deidentifier.Deidentify(CanaryNote, PatientA);

        foreach (var canary in new[] { "Zaphodia", "Canarywing", "47114711", "201-3344", "5552013344", "Okonkwo", "zaphodia.canary", "42 Canary Lane", "62704", "Canarius", "1931" })
        {
            Assert.DoesNotContain(canary, result.Text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain("2013344", Regex.Replace(result.Text, @"\D", string.Empty), StringComparison.Ordinal);
        Assert.Contains("90+ y/o woman", result.Text, StringComparison.Ordinal);
        Assert.Contains("Hope to discharge tomorrow.", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Deidentify_KnownIdentifiersFromTheRecord_AreFoundWithoutLabelsOrSeparators()
    {
        var context = new NoteContext { GivenNames = ["Ama"], FamilyNames = ["Quillfeather"], Identifiers = ["HX-4471-0042"], Phones = ["+1 (555) 201-3344"] };
        const string Text = "quillfeather told us 44710042 is her number at the clinic; she also gave 555 201 3344 and 5552013344.";

        var result = Deidentifier.Deidentify(Text, PatientA, context);

        Assert.DoesNotContain("quillfeather", result.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("44710042", result.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("201 3344", result.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("5552013344", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Deidentify_SameNameTwice_GetsTheSameSurrogate()
    {
        var result = Deidentifier.Deidentify("Seen with daughter Thandiwe. Thandiwe agrees with the plan. Dr. Okonkwo called; Okonkwo will review.", PatientA);
        var words = Regex.Matches(result.Text, @"\p{L}+").Select(m => m.Value).ToList();

        var daughter = words[words.IndexOf("daughter") + 1];
        var doctor = words[words.IndexOf("Dr") + 1];
        Assert.NotEqual("Thandiwe", daughter);
        Assert.Equal(2, words.Count(w => w == daughter));
        Assert.Equal(2, words.Count(w => w == doctor));
        Assert.Equal(result.Text, Deidentifier.Deidentify("Seen with daughter Thandiwe. Thandiwe agrees with the plan. Dr. Okonkwo called; Okonkwo will review.", PatientA).Text);
    }

    [Fact]
    public void Deidentify_SameNameForAnotherPatient_GetsADifferentSurrogate()
    {
        string[] names = ["Thandiwe", "Okonkwo", "Margaret", "Abernathy", "Bartholomew"];
        var differing = 0;
        foreach (var name in names)
        {
            var a = Deidentifier.Deidentify($"Discussed with Dr. {name}.", PatientA).Text;
            var b = Deidentifier.Deidentify($"Discussed with Dr. {name}.", PatientB).Text;
            Assert.DoesNotContain(name, a, StringComparison.Ordinal);
            Assert.DoesNotContain(name, b, StringComparison.Ordinal);
            differing += a == b ? 0 : 1;
        }

        // Surrogates come from lists of a few hundred names, so an occasional coincidence is allowed; a systematic one is not.
        Assert.True(differing >= names.Length - 1, $"only {differing} of {names.Length} names got a different surrogate");
    }

    [Fact]
    public void Deidentify_SameInput_IsByteIdentical_AndAnotherSecretGivesAnotherOutput()
    {
        var first = Deidentifier.Deidentify(CanaryNote, PatientA).Text;
        var second = new NoteDeidentifier(Secret).Deidentify(CanaryNote, PatientA).Text;
        var other = new NoteDeidentifier(OtherSecret).Deidentify(CanaryNote, Keys("MRN-A-1001")).Text;

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Theory]
    [InlineData("MM/dd/yyyy")]
    [InlineData("M/d/yyyy")]
    [InlineData("yyyy-MM-dd")]
    [InlineData("d MMM yyyy")]
    [InlineData("dd-MMM-yyyy")]
    [InlineData("MMMM d, yyyy")]
    [InlineData("MMM. d, yyyy")]
    [InlineData("dddd, MMMM d, yyyy")]
    [InlineData("ddd MM/dd/yyyy")]
    [InlineData("M/d/yy")]
    [InlineData("dd.MM.yyyy")]
    [InlineData("MMM-dd-yyyy")]
    public void Deidentify_ShiftsFullDates_ByExactlyTheOffset_KeepingTheFormat(string format)
    {
        var inv = CultureInfo.InvariantCulture;
        // Days and months below 10 show whether the writer pads with zeros; "12/31" alone cannot say (see ExpectedShift).
        foreach (var date in new[] { new DateOnly(2026, 3, 4), new DateOnly(2025, 1, 9), new DateOnly(2024, 3, 1), new DateOnly(1931, 7, 5) })
        {
            var written = date.ToString(format, inv);
            foreach (var keys in new[] { PatientA, PatientB })
            {
                var options = new NoteDeidentifierOptions { DayFirstDates = format.StartsWith("dd.", StringComparison.Ordinal) };
                var result = new NoteDeidentifier(Secret, options).Deidentify($"Admitted on {written} for pneumonia.", keys);

                Assert.Equal($"Admitted on {ExpectedShift(date, format, keys.DateOffsetDays)} for pneumonia.", result.Text);
            }
        }
    }

    /// <summary>
    /// The original date written in the same format after the shift. Where the original had no single-digit part, the
    /// writer's padding is unknown and the de-identifier writes no zero; the test dates avoid that case.
    /// </summary>
    private static string ExpectedShift(DateOnly date, string format, int days) => date.AddDays(days).ToString(format, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("Symptoms since the 3rd of March.", 3, 3, "the {0} of {1}.")]
    [InlineData("Seen on March 3rd.", 3, 3, "on {1} {0}.")]
    [InlineData("Seen on 3 March.", 3, 3, "on {2} {1}.")]
    public void Deidentify_ShiftsDatesWithoutAYear_ByExactlyTheOffset(string text, int month, int day, string _)
    {
        var result = Deidentifier.Deidentify(text, PatientA);
        var shifted = new DateOnly(2000, month, day).AddDays(PatientA.DateOffsetDays);
        var monthName = CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(shifted.Month);
        Assert.Contains(monthName, result.Text, StringComparison.Ordinal);
        Assert.Contains(shifted.Day.ToString(CultureInfo.InvariantCulture), result.Text, StringComparison.Ordinal);
        Assert.Single(result.Spans, s => s.Type == PhiType.Date);
    }

    [Fact]
    public void Deidentify_ShiftsAWeekdayOnItsOwn_ByTheOffsetModuloSeven_ButNotASchedule()
    {
        var result = Deidentifier.Deidentify("Symptoms started on Tuesday. Dialysis every Monday, Wednesday and Friday.", PatientA);

        var expected = (DayOfWeek)((((int)DayOfWeek.Tuesday + PatientA.DateOffsetDays) % 7 + 7) % 7);
        Assert.StartsWith($"Symptoms started on {expected}.", result.Text, StringComparison.Ordinal);
        Assert.EndsWith("Dialysis every Monday, Wednesday and Friday.", result.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mrs. X is a 92 y/o woman.", "is a 90+ y/o woman.")]
    [InlineData("Patient aged 93 years with COPD.", "aged 90+ years")]
    [InlineData("A 93-year-old man with CHF.", "A 90+-year-old man")]
    [InlineData("93yo F with syncope.", "90+yo F")]
    [InlineData("93M presenting with chest pain.", "90+M presenting")]
    [InlineData("Age: 101", "Age: 90+")]
    [InlineData("a ninety-four-year-old widow", "a 90+-year-old widow")]
    public void Deidentify_AgesOver89_Become90Plus(string text, string expected)
    {
        Assert.Contains(expected, Deidentifier.Deidentify(text, PatientA).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("A 67 y/o woman with COPD.")]
    [InlineData("89M with syncope.")]
    [InlineData("Temp 99 F, HR 96, sats 92% on RA.")]
    [InlineData("Ambulated 100 m with assistance.")]
    public void Deidentify_AgesUpTo89AndLookAlikes_AreKept(string text)
    {
        Assert.Equal(text, Deidentifier.Deidentify(text, PatientA).Text);
    }

    [Fact]
    public void Deidentify_ClinicalSentencesWithoutPhi_ComeOutUnchanged()
    {
        string[] sentences =
        [
            "Hx of Parkinson disease, on carbidopa-levodopa 25/100 TID.",
            "Bell's palsy in 2015, resolved.",
            "Takes St John's wort and fish oil.",
            "Born at term, Apgar 9/9.",
            "Hope to discharge tomorrow.",
            "Will continue IV antibiotics.",
            "Frank hematuria resolved; no frank blood per rectum.",
            "Mark the site prior to the procedure.",
            "Dawn phenomenon likely; adjust basal insulin.",
            "May need repeat echo in 6 months.",
            "Warfarin 5 mg on Mon/Wed/Fri, 2.5 mg other days.",
            "Take 1/2 tab of lisinopril 10 mg daily; increase from 1/2 to 1 tab if BP > 140/90.",
            "BP 120/80, HR 110, RR 22, sats 92% on RA, T 38.4.",
            "Na 135, K 4.5, Cr 1.2, WBC 14.2, Hb 10.1, trop 0.04, BNP 640, INR 2.3 (LOINC 2160-0).",
            "Glucose 212 mg/dL, on insulin glargine 20 units qHS.",
            "ST elevation in V2-V4; ST depression in the lateral leads.",
            "2/6 systolic murmur at the RUSB, GCS 15/15, 5/5 strength.",
            "Wilson's disease ruled out. Murphy's sign negative. Wells score 2.",
            "Crohn's disease, Graves disease, Hodgkin lymphoma in remission, Down syndrome.",
            "Swan-Ganz catheter removed. Holter monitor showed paroxysmal AF. Foley catheter in place.",
            "Lactated Ringer's 1 L bolus given. Gram stain with gram-positive cocci.",
            "Cheyne-Stokes breathing overnight; Trendelenburg position for line placement.",
            "Walker at bedside; brown sputum; white count trending down.",
            "Seen in the cardiology clinic last month; referred to the heart failure clinic.",
            "Outside hospital records requested. Moved from Ohio two years ago. Originally from Mexico.",
            "Prednisone 40 mg PO daily x5 days, then taper by 10 mg every 3 days.",
            "Follow up in 2 weeks with repeat CXR PA and lateral.",
            "Dialysis every Monday, Wednesday and Friday.",
        ];

        foreach (var sentence in sentences)
        {
            var result = Deidentifier.Deidentify(sentence, PatientA);
            Assert.True(sentence == result.Text, $"changed: \"{sentence}\" -> \"{result.Text}\"");
        }
    }

    [Theory]
    [InlineData("son Will called and will visit tomorrow", "Will", false)]
    [InlineData("Son Will called; will visit tomorrow.", "Will", false)]
    [InlineData("Accompanied by her daughter, Grace.", "Grace", false)]
    [InlineData("wife June at bedside", "June", false)]
    [InlineData("Will continue current plan.", "Will", true)]
    [InlineData("No frank blood in stool.", "frank", true)]
    public void Deidentify_NamesThatAreWords_AreReplacedOnlyInNameContexts(string text, string word, bool kept)
    {
        var output = Deidentifier.Deidentify(text, PatientA).Text;
        var found = Regex.IsMatch(output, $@"\b{word}\b", RegexOptions.CultureInvariant);
        Assert.Equal(kept, found);
    }

    [Theory]
    [InlineData("MRN: 12345678")]
    [InlineData("MRN#12345678")]
    [InlineData("MRN12345678")]
    [InlineData("MR# 1234567")]
    [InlineData("Med Rec No. 1234567")]
    [InlineData("medical record number 12345678")]
    [InlineData("mrn 12345678")]
    [InlineData("(MRN 12345678)")]
    [InlineData("Hospital No: H1234567")]
    [InlineData("SSN 123-45-6789")]
    [InlineData("Accession #: CT26031234")]
    [InlineData("Member ID: XJH123456789")]
    [InlineData("Medicare no. 1EG4TE5MK72")]
    public void Deidentify_IdentifiersWrittenInAnyOfTheUsualWays_BecomePseudonymousTokens(string text)
    {
        var result = Deidentifier.Deidentify(text, PatientA);

        Assert.Matches(@"\[(MRN|SSN|ACC|ACCT|INS|ID)-[0-9A-F]{6}\]", result.Text);
        Assert.DoesNotMatch(@"\d{4}", Regex.Replace(result.Text, @"\[[A-Z]+-[0-9A-F]{6}\]", string.Empty));
        Assert.Equal(result.Text, Deidentifier.Deidentify(text, PatientA).Text);
    }

    [Theory]
    [InlineData("(555) 201-3344", PhiType.Phone)]
    [InlineData("555.201.3344", PhiType.Phone)]
    [InlineData("+1 555 201 3344", PhiType.Phone)]
    [InlineData("+44 20 7946 0958", PhiType.Phone)]
    [InlineData("555-201-3344 x1234", PhiType.Phone)]
    [InlineData("ama.q@mailbox.com", PhiType.Email)]
    [InlineData("https://mychart.example.org/visit/123456", PhiType.Url)]
    [InlineData("10.23.4.117", PhiType.Url)]
    [InlineData("742 Evergreen Terrace, Apt 4B", PhiType.Address)]
    [InlineData("PO Box 1234", PhiType.Address)]
    [InlineData("Springfield, IL 62704-1234", PhiType.Location)]
    [InlineData("Bramblewood Regional Medical Center", PhiType.Institution)]
    [InlineData("St. Agnes Hospital", PhiType.Institution)]
    [InlineData("Oakridge Hospice", PhiType.Institution)]
    public void Deidentify_TelecomWebAndPlaces_AreReplacedWholeByTypedPlaceholders(string value, PhiType type)
    {
        var result = Deidentifier.Deidentify($"Contact: {value}.", PatientA);

        var span = Assert.Single(result.Spans);
        Assert.Equal(type, span.Type);
        Assert.Equal("Contact: ".Length, span.Start);
        Assert.Equal(value.Length, span.Length);
        Assert.Matches(@"^Contact: \[[A-Z]+(-[0-9A-F]{6})?\]\.$", result.Text);
    }

    [Fact]
    public void Deidentify_OutputOfGeneratedNotes_ContainsNoOriginalValueOfAnyDetectedSpan()
    {
        foreach (var note in SyntheticNoteGenerator.Generate(seed: 77, count: 150))
        {
            var keys = Keys(note.PatientId);
            var result = Deidentifier.Deidentify(note.Text, keys, note.Context);
            foreach (var span in result.Spans.Where(s => s.Type is not (PhiType.Date or PhiType.Age)))
            {
                var original = note.Text.Substring(span.Start, span.Length);
                var pattern = $@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(original)}(?![\p{{L}}\p{{N}}])";
                // A name that is also a word ("Will") may stay as the word ("will pick her up"): compare those with case.
                var options = span.Type == PhiType.Name && NoteLexicon.IsWordName(original) ? RegexOptions.CultureInvariant : RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
                Assert.False(Regex.IsMatch(result.Text, pattern, options),
                    $"{note.Style} note {note.PatientId}: the original {span.Type} value survived");
            }
        }
    }

    [Fact]
    public void Deidentify_RandomAndGarbageInput_NeverThrows()
    {
        var random = new Random(4711);
        var alphabet = "aAzZ09 \n\t.,;:/\\-+#@()[]{}'’\"^%$&*!?<>|~`éßøΩ中文😀\u0000\u200b" + "MRNDrMrsSt";
        for (var i = 0; i < 2000; i++)
        {
            var length = random.Next(0, 400);
            var sb = new StringBuilder(length);
            for (var k = 0; k < length; k++)
            {
                sb.Append(alphabet[random.Next(alphabet.Length)]);
            }

            var text = sb.ToString();
            var result = Deidentifier.Deidentify(text, PatientA);
            Assert.NotNull(result.Text);
            Assert.All(result.Spans, s => Assert.InRange(s.End, s.Start + 1, text.Length));
        }

        string[] edges = ["", " ", "\n\n\n", "Dr.", "Dr. ", "MRN", "MRN:", "St", "'s", "^^^", "02/30/2026", "13/13/2026", "99/99/9999", "0/0/0000",
            new string('9', 5000), string.Concat(Enumerable.Repeat("Dr. Smith ", 2000)), "Feb 29 2025", "31 Apr 2026", "Mon, Feb 30"];
        foreach (var text in edges)
        {
            _ = Deidentifier.Deidentify(text, PatientA, new NoteContext { GivenNames = ["", " ", "a"], Identifiers = [""], Phones = ["x"] });
        }
    }

    [Fact]
    public void Reports_NeverContainTheValues()
    {
        var result = Deidentifier.Deidentify(CanaryNote, PatientA);
        var context = new NoteContext { GivenNames = ["Zaphodia"], Identifiers = ["47114711"] };

        foreach (var printed in new[] { result.ToString(), string.Join(";", result.Spans), context.ToString() })
        {
            Assert.DoesNotContain("Zaphodia", printed, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("4711", printed, StringComparison.Ordinal);
            Assert.DoesNotContain("Canary", printed, StringComparison.OrdinalIgnoreCase);
        }

        Assert.True(result.Counts[PhiType.Name] >= 3);
    }
}
