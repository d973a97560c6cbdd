using System.Globalization;

namespace HealthAssist.Deidentify.Notes.Evaluation;

/// <summary>
/// Writes synthetic clinical notes with exact PHI annotations, deterministic per seed: emergency-department notes,
/// discharge summaries, nursing bullet lists, telephone notes in lower case, transfer and radiology notes in capitals,
/// clinic letters and SOAP progress notes. PHI appears in the forms clinicians use (names that are also words, several
/// ways of writing an MRN, dates inside dosage schedules, ages over 89 as "93M"); clinical look-alikes that are not PHI
/// ("Parkinson disease", "Bell's palsy", "St John's wort", "Hope to discharge tomorrow", "BP 120/80") appear beside them.
/// </summary>
public static partial class SyntheticNoteGenerator
{
    private static readonly string[] Styles = ["ed", "discharge", "nursing", "phone", "transfer", "letter", "soap", "radiology", "consult"];

    /// <summary>The notes of one seed: <paramref name="count"/> notes, identical on every run.</summary>
    public static IReadOnlyList<LabelledNote> Generate(int seed, int count)
    {
        var notes = new LabelledNote[count];
        for (var i = 0; i < count; i++)
        {
            notes[i] = Note(seed, i);
        }

        return notes;
    }

    /// <summary>Note number <paramref name="index"/> of <paramref name="seed"/>.</summary>
    public static LabelledNote Note(int seed, int index)
    {
        var r = new Random(unchecked((seed * 7919) ^ (index * 104729) ^ 0x5EED));
        var world = new World(r, seed, index);
        var style = Styles[r.Next(Styles.Length)];
        var b = new NoteBuilder();
        var noteCase = style switch
        {
            "phone" => r.NextDouble() < 0.8 ? NoteCase.Lower : NoteCase.Mixed,
            "transfer" or "radiology" => r.NextDouble() < 0.6 ? NoteCase.Upper : NoteCase.Mixed,
            "nursing" => r.NextDouble() < 0.35 ? NoteCase.Lower : NoteCase.Mixed,
            _ => r.NextDouble() < 0.08 ? NoteCase.Upper : r.NextDouble() < 0.08 ? NoteCase.Lower : NoteCase.Mixed,
        };

        switch (style)
        {
            case "ed": Ed(b, world); break;
            case "discharge": Discharge(b, world); break;
            case "nursing": Nursing(b, world); break;
            case "phone": Phone(b, world); break;
            case "transfer": Transfer(b, world); break;
            case "letter": Letter(b, world); break;
            case "soap": Soap(b, world); break;
            case "consult": Consult(b, world); break;
            default: Radiology(b, world); break;
        }

        var (text, spans) = b.Build(noteCase);
        var context = r.NextDouble() < 0.7 ? world.Context() : null;
        return new LabelledNote(world.PatientId, style + "/" + noteCase.ToString().ToLowerInvariant(), text, spans, context);
    }

    // ---------------------------------------------------------------- note styles

    private static void Ed(NoteBuilder b, World w)
    {
        b.T("EMERGENCY DEPARTMENT NOTE").Line();
        b.T("Patient: ").P(PhiType.Name, w.Patient.Family).T(", ").P(PhiType.Name, w.Patient.Given).T("   ");
        w.Mrn(b);
        b.T("   DOB: ").P(PhiType.Date, w.DobText()).Line();
        b.T("Date of service: ").P(PhiType.Date, w.DateText(w.Visit)).T(" ").T(w.Time()).Line();
        b.Line();
        b.T("HPI: ");
        w.Opening(b);
        w.Sentences(b, 3, 6);
        b.Line().Line();
        b.T("Exam: ").T(w.Exam()).Line();
        b.T("Vitals: ").T(w.Vitals()).Line();
        b.T("Labs: ").T(w.Labs()).Line();
        b.Line();
        b.T("Assessment/Plan: ").T(w.Clinical()).T(" ");
        w.Sentences(b, 1, 3);
        b.Line();
        w.Signature(b);
    }

    private static void Discharge(NoteBuilder b, World w)
    {
        b.T("DISCHARGE SUMMARY").Line();
        b.T("Name: ");
        b.FullName(w.Patient).T("  ");
        w.Mrn(b);
        b.Line();
        b.T("Admission Date: ").P(PhiType.Date, w.DateText(w.Visit)).T("    Discharge Date: ").P(PhiType.Date, w.DateText(w.Visit.AddDays(w.R.Next(2, 9)))).Line();
        b.T("Attending: Dr. ").P(PhiType.Name, w.Clinician(0).Family).Line();
        b.Line();
        b.T("Hospital course: ");
        w.Opening(b);
        w.Sentences(b, 3, 6);
        b.Line().Line();
        b.T("Discharge medications:").Line();
        for (var i = w.R.Next(2, 5); i > 0; i--)
        {
            b.T("- ");
            w.Medication(b);
            b.Line();
        }

        b.Line();
        b.T("Follow-up: ");
        w.FollowUp(b);
        b.Line();
        w.Signature(b);
    }

    private static void Nursing(NoteBuilder b, World w)
    {
        b.T("Nursing shift note - ").P(PhiType.Date, w.DateText(w.Visit)).Line();
        var bullets = w.R.Next(5, 10);
        for (var i = 0; i < bullets; i++)
        {
            b.T(w.R.NextDouble() < 0.5 ? "- " : "* ");
            if (w.R.NextDouble() < 0.45)
            {
                w.Sentence(b);
            }
            else
            {
                b.T(w.NursingItem());
            }

            b.Line();
        }

        b.T("- ").T(w.Time()).T(" ");
        w.Sentence(b);
        b.Line();
        b.FullName(w.Clinician(1)).T(", RN").Line();
    }

    private static void Phone(NoteBuilder b, World w)
    {
        b.T("telephone encounter ").P(PhiType.Date, w.DateText(w.Visit)).Line();
        b.T("pt ").P(PhiType.Name, w.Patient.Family).T(", ").P(PhiType.Name, w.Patient.Given).T(" called re: ").T(w.Complaint()).T(". ");
        w.Sentences(b, 2, 4);
        b.T(" ").T(w.Clinical()).T(" ");
        if (w.R.NextDouble() < 0.6)
        {
            b.T("call back ").P(PhiType.Phone, w.PhoneText()).T(". ");
        }

        w.Sentences(b, 1, 2);
        b.Line();
        b.T("-- ").P(PhiType.Name, w.Clinician(2).Given.ToLowerInvariant()).T(" ").P(PhiType.Name, w.Clinician(2).Family.ToLowerInvariant()).T(" rn").Line();
    }

    private static void Transfer(NoteBuilder b, World w)
    {
        b.T("INTERFACILITY TRANSFER").Line();
        b.T("Pt: ").P(PhiType.Name, w.Patient.Family).T("^").P(PhiType.Name, w.Patient.Given).T("  ");
        w.Mrn(b);
        b.Line();
        b.T("From: ");
        w.Institution(b, 0);
        b.T(" To: ");
        w.Institution(b, 1);
        b.Line();
        w.Opening(b);
        w.Sentences(b, 2, 5);
        b.Line();
        b.T("Vitals on transfer: ").T(w.Vitals()).Line();
        b.T("Accepting physician: Dr ").P(PhiType.Name, w.Clinician(0).Given).T(" ").P(PhiType.Name, w.Clinician(0).Family).Line();
        b.T("Report called to ").P(PhiType.Name, w.Clinician(1).Given).T(" at ").P(PhiType.Phone, w.PhoneText()).Line();
    }

    private static void Letter(NoteBuilder b, World w)
    {
        w.Institution(b, 0);
        b.Line();
        World.Address(b, w.ClinicAddress);
        b.Line();
        b.P(PhiType.Date, w.DateText(w.Visit.AddDays(w.R.Next(1, 5)))).Line().Line();
        b.T("Dear Dr. ").P(PhiType.Name, w.Clinician(3).Family).T(",").Line().Line();
        b.T("Re: ");
        b.FullName(w.Patient).T(", DOB ").P(PhiType.Date, w.DobText());
        b.T(", ");
        w.Mrn(b);
        b.Line().Line();
        b.T("Thank you for referring ").T(w.Patient.Female ? "Mrs. " : "Mr. ").P(PhiType.Name, w.Patient.Family).T(", whom I saw in clinic on ").P(PhiType.Date, w.DateText(w.Visit)).T(". ");
        w.Opening(b);
        w.Sentences(b, 3, 5);
        b.Line().Line();
        b.T("Yours sincerely,").Line().Line();
        b.T("Dr ").P(PhiType.Name, w.Clinician(0).Given).T(" ").P(PhiType.Name, w.Clinician(0).Family).T(", MD").Line();
        b.T("cc: ").P(PhiType.Name, w.Patient.Given).T(" ").P(PhiType.Name, w.Patient.Family).T(", ");
        World.Address(b, w.HomeAddress);
        b.Line();
    }

    private static void Soap(NoteBuilder b, World w)
    {
        b.T("Progress note ").P(PhiType.Date, w.DateText(w.Visit.AddDays(1))).Line();
        b.T("S: ");
        w.Sentences(b, 2, 4);
        b.Line();
        b.T("O: ").T(w.Vitals()).T(". ").T(w.Exam()).T(". ").T(w.Labs()).Line();
        b.T("A: ").T(w.Clinical()).Line();
        b.T("P: ");
        w.Sentences(b, 1, 3);
        b.T(" ").T(w.Clinical()).Line();
        w.Signature(b);
    }

    private static void Radiology(NoteBuilder b, World w)
    {
        b.T("RADIOLOGY REPORT").Line();
        b.T("PATIENT NAME: ").P(PhiType.Name, w.Patient.Family).T(", ").P(PhiType.Name, w.Patient.Given).Line();
        w.Mrn(b);
        b.T("   ");
        w.Accession(b);
        b.Line();
        b.T("EXAM DATE: ").P(PhiType.Date, w.DateText(w.Visit)).Line();
        b.T("EXAM: ").T(w.R.NextDouble() < 0.5 ? "CXR PA and lateral" : "CT chest with contrast").Line();
        b.T("HISTORY: ").T(w.Complaint()).T(". ");
        w.Sentences(b, 0, 2);
        b.Line();
        b.T("FINDINGS: ").T(w.Findings()).Line();
        b.T("IMPRESSION: ").T(w.Findings()).Line();
        b.T("Read by: Dr. ").P(PhiType.Name, w.Clinician(0).Family).T(" on ").P(PhiType.Date, w.DateText(w.Visit)).Line();
    }

    internal static string Pick(Random r, string[] items) => items[r.Next(items.Length)];

    internal static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
