using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HealthAssist.Encode.Registry;
using HealthAssist.Interpret.Treatment;

namespace HealthAssist.UnitTests.Interpret.Treatment;

public sealed class TreatmentKnowledgeBaseTests
{
    private static readonly string CommittedPath = Path.Combine(RepositoryPaths.Root, "models", "treatment", "knowledge-base.v1.json");

    private static TreatmentKnowledgeBase Kb => TreatmentCaseBuilder.KnowledgeBase;

    private static IEnumerable<DraftOrder> AllOrders => Kb.Rules.SelectMany(r => r.Orders.Concat(r.Alternatives));

    /// <summary>The committed file with one change, written where a test can load it (and named in the error).</summary>
    private static string Variant(Action<JsonNode> change)
    {
        var json = JsonNode.Parse(File.ReadAllText(CommittedPath))!;
        change(json);
        var path = Path.Combine(Path.GetTempPath(), $"treatment-kb-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    private static JsonNode Order(JsonNode kb, string id) =>
        kb["rules"]!.AsArray().SelectMany(r => r!["orders"]!.AsArray().Concat(r["alternatives"]?.AsArray() ?? [])).Single(o => (string?)o!["id"] == id)!;

    private static InvalidInputException LoadFails(string path)
    {
        try
        {
            return Assert.Throws<InvalidInputException>(() => TreatmentKnowledgeBase.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_TheCommittedFile_FromTheModelsFolderTheServiceUses()
    {
        var kb = TreatmentKnowledgeBase.Load(Path.Combine(ModelDirectory.Locate(null), "treatment", "knowledge-base.v1.json"));

        Assert.Equal("1.0.0", kb.Version);
        Assert.Matches("^[0-9a-f]{64}$", kb.Sha256);
        Assert.Contains("not clinically validated", kb.Disclaimer, StringComparison.Ordinal);
    }

    [Fact]
    public void KnowledgeBase_HasOneRuleForEachDiagnosisTheFusionModelSuggests()
    {
        Assert.Equal(TreatmentCaseBuilder.Diagnoses.Order(), Kb.Rules.Select(r => r.Diagnosis).Order());
        Assert.All(TreatmentCaseBuilder.Diagnoses, d => Assert.NotNull(Kb.RuleFor(d)));
    }

    [Fact]
    public void EveryRule_CitesAGuidelineWithYearSectionAndAnAbsoluteLink()
    {
        Assert.All(Kb.Rules, rule =>
        {
            Assert.NotEmpty(rule.Citations);
            Assert.All(rule.Citations, c =>
            {
                Assert.False(string.IsNullOrWhiteSpace(c.Guideline));
                Assert.False(string.IsNullOrWhiteSpace(c.Section));
                Assert.False(string.IsNullOrWhiteSpace(c.Recommendation));
                Assert.InRange(c.Year, 2019, 2025);
                Assert.True(Uri.TryCreate(c.Url, UriKind.Absolute, out var url) && url.Scheme == "https", $"{rule.Id}: {c.Url}");
            });
        });
    }

    [Fact]
    public void EveryReferencedAllergyGroupMedicationClassAndAlternative_Exists()
    {
        var groups = Kb.AllergyGroups.Select(g => g.Name).ToHashSet();
        var classes = Kb.MedicationClasses.Select(c => c.Name).ToHashSet();
        Assert.All(Kb.Rules, rule => Assert.All(rule.Orders.Concat(rule.Alternatives), order =>
        {
            Assert.All(order.Classes, c => Assert.Contains(c, classes));
            Assert.All(order.Contraindications, c =>
            {
                Assert.All(c.AllergyGroups, g => Assert.Contains(g, groups));
                Assert.True(c.Alternative is null || rule.Alternatives.Any(a => a.Id == c.Alternative), $"{order.Id}: {c.Alternative}");
                Assert.All(c.Replaces, r => Assert.Contains(rule.Orders, o => o.Id == r));
            });
        }));
        Assert.All(AllOrders.Where(o => o.Kind == OrderKind.Medication), o => Assert.NotEmpty(o.Classes)); // every drug can be checked for duplicates
    }

    [Fact]
    public void EveryCode_HasTheShapeOfItsSystem()
    {
        Assert.All(AllOrders, order =>
        {
            if (order.Medication is { } medication)
            {
                Assert.True(medication.Rxnorm is null || Regex.IsMatch(medication.Rxnorm, "^[0-9]{1,8}$"), order.Id);
                Assert.True(medication.Atc is null || Regex.IsMatch(medication.Atc, "^[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}$"), order.Id);
            }

            if (order.Service is { } service)
            {
                Assert.True(service.Loinc is null || Regex.IsMatch(service.Loinc, "^[0-9]{1,7}-[0-9]$"), order.Id);
                Assert.True(service.Snomed is null || Regex.IsMatch(service.Snomed, "^[0-9]{6,18}$"), order.Id);
            }
        });
        Assert.All(Kb.AllergyGroups.SelectMany(g => g.Snomed), code => Assert.Matches("^[0-9]{6,18}$", code));
        Assert.All(Kb.MedicationClasses.SelectMany(c => c.Atc), code => Assert.Matches("^[A-Z][0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?$", code));
    }

    [Fact]
    public void RenallyAdjustedDrugs_HaveBandsThatLowerTheDoseOrSayWhy()
    {
        var renal = AllOrders.Where(o => o.Renal.Count > 0).Select(o => o.Id).Order().ToList();

        Assert.Equal(["cap-ampicillin-sulbactam", "cap-levofloxacin", "copd-amoxicillin-clav"], renal);
        Assert.All(AllOrders.SelectMany(o => o.Renal), band => Assert.True(band.Dosage.Count > 0 || band.Note is not null));
    }

    [Fact]
    public void Load_AFileThatIsNotJson_NamesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"treatment-kb-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{ \"version\": \"1.0.0\", \"rules\": [ ");

        var error = LoadFails(path);

        Assert.StartsWith(path + ": not a valid treatment knowledge base", error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.Location);
    }

    [Fact]
    public void Load_AMissingFile_NamesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-kb-{Guid.NewGuid():N}.json");

        var error = Assert.Throws<InvalidInputException>(() => TreatmentKnowledgeBase.Load(path));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unknown allergy group", "allergy group 'sulfonamide' is not defined")]
    [InlineData("unknown medication class", "medication class 'nitrate' is not defined")]
    [InlineData("no citation", "every rule cites at least one guideline")]
    [InlineData("unknown alternative", "alternative 'cap-moxifloxacin' is not one of the rule's alternatives")]
    [InlineData("alternative cycle", "alternatives form a cycle")]
    [InlineData("misspelt field", "alergyGroups")]
    [InlineData("missing field", "diagnosis")]
    [InlineData("long id", "ids are 1-24 lower-case letters")]
    public void Load_AnInconsistentFile_SaysWhatIsWrongAndWhere(string change, string expected)
    {
        var path = Variant(kb =>
        {
            switch (change)
            {
                case "unknown allergy group":
                    Order(kb, "cap-azithromycin")["contraindications"]![0]!["allergyGroups"] = new JsonArray("sulfonamide");
                    break;
                case "unknown medication class":
                    Order(kb, "hf-furosemide-iv")["classes"] = new JsonArray("nitrate");
                    break;
                case "no citation":
                    kb["rules"]![0]!["citations"] = new JsonArray();
                    break;
                case "unknown alternative":
                    Order(kb, "cap-ampicillin-sulbactam")["contraindications"]![0]!["alternative"] = "cap-moxifloxacin";
                    break;
                case "alternative cycle":
                    Order(kb, "cap-doxycycline")["contraindications"]![0]!["alternative"] = "cap-levofloxacin";
                    Order(kb, "cap-levofloxacin")["contraindications"]![0]!["alternative"] = "cap-doxycycline";
                    break;
                case "misspelt field":
                    var contraindication = Order(kb, "cap-azithromycin")["contraindications"]![0]!.AsObject();
                    contraindication["alergyGroups"] = contraindication["allergyGroups"]!.DeepClone();
                    break;
                case "missing field":
                    kb["rules"]![1]!.AsObject().Remove("diagnosis");
                    break;
                case "long id":
                    Order(kb, "as-echocardiogram")["id"] = "as-transthoracic-echocardiogram";
                    break;
            }
        });

        var error = LoadFails(path);

        Assert.StartsWith(path + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
