using System.Text.RegularExpressions;
using HealthAssist.Ingest.Fhir;

namespace HealthAssist.Interpret.Treatment;

/// <summary>
/// How the knowledge base's groups find things in the record, as the feature specification does: codes first
/// (SNOMED CT substance codes, ATC prefixes), then keywords in the text and code displays, case-insensitively.
/// </summary>
internal static partial class RecordMatching
{
    private const string Snomed = "http://snomed.info/sct";
    private const string Atc = "http://www.whocc.no/atc";

    public static bool Matches(this SubstanceGroup group, AllergyFact allergy) =>
        allergy.Codes.Any(c => c.System == Snomed && c.Code is not null && group.Snomed.Contains(c.Code))
        || Texts(allergy.Display, allergy.Codes).Any(text => group.Keywords.Any(k => text.Contains(k, StringComparison.OrdinalIgnoreCase)));

    public static bool Matches(this TherapeuticClass therapeuticClass, MedicationFact medication)
    {
        if (medication.Codes.Any(c => c.System == Atc && c.Code is not null && therapeuticClass.Atc.Any(p => c.Code.StartsWith(p, StringComparison.OrdinalIgnoreCase))))
        {
            return true;
        }

        var texts = Texts(medication.Display, medication.Codes).ToList();
        return texts.Any(text => therapeuticClass.Keywords.Any(k => text.Contains(k, StringComparison.OrdinalIgnoreCase)))
            && !texts.Any(text => therapeuticClass.ExcludeKeywords.Any(word => ContainsWord(text, word)));
    }

    /// <summary>A reference as the case view wrote it (<c>Type/id</c>), if it is one a FHIR resource can carry.</summary>
    public static bool IsResourceReference(string source) => ResourceReference().IsMatch(source);

    private static IEnumerable<string> Texts(string display, IEnumerable<CodedConcept> codes) =>
        codes.Select(c => c.Display).OfType<string>().Prepend(display);

    private static bool ContainsWord(string text, string word) =>
        Regex.IsMatch(text, $@"\b{Regex.Escape(word)}\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    [GeneratedRegex("^[A-Z][A-Za-z]+/[A-Za-z0-9.-]{1,64}$")]
    private static partial Regex ResourceReference();
}
