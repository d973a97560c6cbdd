using System.Globalization;

namespace HealthAssist.Deidentify.Notes.Evaluation;

public static partial class SyntheticNoteGenerator
{
    /// <summary>
    /// Consult and social-work notes: phrasings written after the detector was tuned on the other styles (roles in
    /// parentheses, "w/", European and dotted dates, identifiers without the usual labels, institutions named without a
    /// head word), kept to measure how the rules generalise.
    /// </summary>
    private static void Consult(NoteBuilder b, World w)
    {
        var r = w.R;
        var inv = CultureInfo.InvariantCulture;
        b.T(Pick(r, ["Consult note", "SOCIAL WORK NOTE", "Case management", "Palliative care consult"])).T(" - ").P(PhiType.Date, w.Visit.ToString(Pick(r, ["M.d.yyyy", "dd.MM.yyyy", "MMM-dd-yyyy", "M/d/yy"]), inv)).Line();
        b.T("Requested by: ").P(PhiType.Name, w.Clinician(0).Given[0] + ".").T(" ").P(PhiType.Name, w.Clinician(0).Family).T(Pick(r, [" (hospitalist)", ", MD", ""])).Line();
        var person = w.Relative(0);
        var other = w.Relative(1);
        var n = r.Next(5, 9);
        for (var i = 0; i < n; i++)
        {
            switch (r.Next(24))
            {
                case 0: b.T("Patient seen and examined with ").P(PhiType.Name, w.Clinician(1).Family).T(" (ICU fellow)."); break;
                case 1: b.T("Collateral obtained from pt's " + person.Relation + ", ").FullName(person.Person).T(", by telephone."); break;
                case 2: b.T("Her POA is her " + other.Relation + " ").P(PhiType.Name, other.Person.Given).T(" (tel. ").P(PhiType.Phone, Invariant($"555-{r.Next(1000, 9999)}")).T(")."); break;
                case 3: b.T("Mr and Mrs ").P(PhiType.Name, w.Patient.Family).T(" were present for the discussion."); break;
                case 4: b.T("Lives with a roommate (").P(PhiType.Name, other.Person.Given).T(") in a 2nd floor walk-up."); break;
                case 5: b.T("Discharged previously to ").P(PhiType.Institution, Pick(r, InstitutionStems) + " Rehab").T("."); break;
                case 6: b.T("Followed by ").P(PhiType.Name, w.Clinician(2).Family).T(" in nephrology clinic q3 months."); break;
                case 7: b.T("Pt's " + person.Relation + " (").P(PhiType.Name, person.Person.Given).T(", ").P(PhiType.Phone, w.PhoneText()).T(") will pick " + (w.Patient.Female ? "her" : "him") + " up."); break;
                case 8: b.T("Admitted ").P(PhiType.Date, w.Visit.ToString("M.d.yyyy", inv)).T("; expected d/c ").P(PhiType.Date, w.Visit.AddDays(4).ToString("M.d.yyyy", inv)).T("."); break;
                case 9: b.T("DOB ").P(PhiType.Date, w.Dob.ToString("dd.MM.yyyy", inv)).T(" per ID bracelet."); break;
                case 10: b.T("Last INR check ").P(PhiType.Date, w.Visit.AddDays(-r.Next(3, 20)).ToString("MMM-dd-yyyy", inv)).T(", 2.4."); break;
                case 11:
                    b.T("Per chart, ").P(PhiType.Name, w.Patient.Given).T(" is ");
                    if (w.Age > 89)
                    {
                        b.P(PhiType.Age, w.Age.ToString(inv));
                    }
                    else
                    {
                        b.T(w.Age.ToString(inv));
                    }

                    b.T(" years old.");
                    break;
                case 12: b.T("MR no. ").P(PhiType.Identifier, w.MrnValue).T("; unit number ").P(PhiType.Identifier, w.MrnValue).T("."); break;
                case 13: b.T("Patient ID: ").P(PhiType.Identifier, "A" + w.MrnValue).T("."); break;
                case 14: b.T("Insurance policy #: ").P(PhiType.Identifier, w.MrnValue + "01").T("."); break;
                case 15: b.T("Contact via portal at ").P(PhiType.Url, Pick(r, ["mychart", "portal", "myhealth"]) + "." + Pick(r, InstitutionStems).Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant() + ".org").T("."); break;
                case 16: b.T("Fax: ").P(PhiType.Phone, Invariant($"({r.Next(201, 989)}) {r.Next(200, 999)} {r.Next(1000, 9999)}")).T("."); break;
                case 17: b.T("Address on file: ").P(PhiType.Address, w.HomeAddress.Street).T(", ").P(PhiType.Location, w.HomeAddress.City).T(" ").P(PhiType.Location, w.HomeAddress.State).T(" ").P(PhiType.Location, w.HomeAddress.Zip).T("."); break;
                case 18: b.T("ACCOMPANIED BY: ").P(PhiType.Name, person.Person.Given.ToUpperInvariant()).T(" ").P(PhiType.Name, person.Person.Family.ToUpperInvariant()).T(" (" + person.Relation.ToUpperInvariant() + ")."); break;
                case 19: b.T("spoke w/ ").P(PhiType.Name, other.Person.Given.ToLowerInvariant()).T(" re: goals of care, agrees w/ comfort focus."); break;
                case 20: b.T("Hospice liaison ").FullName(w.Clinician(3)).T(" aware."); break;
                case 21: b.T("Was an inpatient at the ").P(PhiType.Institution, Pick(r, RareCities) + " VA").T(" in ").P(PhiType.Date, w.Visit.AddDays(-r.Next(60, 500)).ToString("MMMM yyyy", inv)).T("."); break;
                case 22: b.T("Pt is ").P(PhiType.Age, (w.Age > 89 ? w.Age : 90 + r.Next(0, 9)).ToString(inv)).T("yo, widowed, retired machinist."); break;
                default: b.T(w.Clinical()); break;
            }

            b.T(" ");
            if (r.NextDouble() < 0.4)
            {
                b.T(w.Clinical()).T(" ");
            }
        }

        b.Line();
        b.T("Thanks, ").P(PhiType.Name, w.Clinician(1).Given).Line();
    }
}
