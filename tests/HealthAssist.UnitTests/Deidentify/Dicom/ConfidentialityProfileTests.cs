using System.Text.Json;
using HealthAssist.Deidentify.Dicom;
using HealthAssist.Dicom;
using Xunit.Abstractions;

namespace HealthAssist.UnitTests.Deidentify.Dicom;

public sealed class ConfidentialityProfileTests(ITestOutputHelper output)
{
    private static readonly string DataFile = Path.Combine(Security.RolePermissionsTests.RepositoryRoot(), "compliance", "standards", "ps3.15-table-e1-1.json");

    private static readonly string[] Columns =
    [
        "retainSafePrivate", "retainUids", "retainDeviceIdentity", "retainInstitutionIdentity", "retainPatientCharacteristics",
        "retainLongitudinalFullDates", "retainLongitudinalModifiedDates", "cleanDescriptors", "cleanStructuredContent", "cleanGraphics",
    ];

    [Fact]
    public void GeneratedTable_IsTheRecordedRevisionOfTheDataFile_RowForRow()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(DataFile));
        var root = document.RootElement;
        var records = root.GetProperty("attributes").EnumerateArray().ToList();

        Assert.Equal("2024c", root.GetProperty("revision").GetString());
        Assert.Equal(ConfidentialityProfile.Revision, root.GetProperty("revision").GetString());
        Assert.Equal(records.Count, ConfidentialityProfile.Attributes.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            var row = ConfidentialityProfile.Attributes[i];
            Assert.Equal(record.GetProperty("tag").GetString(), row.TagText, StringComparer.OrdinalIgnoreCase);
            Assert.Equal(record.GetProperty("name").GetString(), row.Name);
            Assert.Equal(record.GetProperty("basic").GetString(), ConfidentialityProfile.Code(row.Basic));
            var options = record.TryGetProperty("options", out var o) ? o.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()) : [];
            for (var c = 0; c < Columns.Length; c++)
            {
                var expected = options.GetValueOrDefault(Columns[c]);
                var actual = row.Options.TryGetValue((ProfileOption)c, out var action) ? ConfidentialityProfile.Code(action) : null;
                Assert.True(expected == actual, $"{row.TagText} {row.Name} {Columns[c]}: data file {expected ?? "-"}, generated {actual ?? "-"}");
            }
        }
    }

    [Fact]
    public void GeneratedFile_IsUpToDateWithTheDataFile()
    {
        var result = DicomTools.Run("/usr/bin/python3", Path.Combine(Security.RolePermissionsTests.RepositoryRoot(), "scripts", "generate-deid-dicom-profile.py"), "--check");

        Assert.True(result.ExitCode == 0, result.Error);
    }

    [Theory]
    [InlineData(0x0010, 0x0020, "Z/D")] // Patient ID: Z/D since 2022-era editions (was Z)
    [InlineData(0x0010, 0x0010, "Z")]
    [InlineData(0x0008, 0x0018, "U")]
    [InlineData(0x0008, 0x1140, "X/Z/U*")]
    [InlineData(0x6002, 0x3000, "X")] // (60xx,3000) Overlay Data in any overlay group
    [InlineData(0x501E, 0x0005, "X")] // (50xx,xxxx) Curve Data: the whole group
    public void TryFind_GivesTheRowOfTheTagOrItsRepeatingGroup(ushort group, ushort element, string basic)
    {
        Assert.True(ConfidentialityProfile.TryFind(new DicomTag(group, element), out var row));
        Assert.Equal(basic, ConfidentialityProfile.Code(row.Basic));
    }

    [Fact]
    public void Resolve_PrefersCleanToKeepWhenTwoOptionsInForceDisagree()
    {
        var row = new ProfileEntry(0x00991000, 0xFFFFFFFF, "Test", "Test", ProfileAction.Remove, new Dictionary<ProfileOption, ProfileAction>
        {
            [ProfileOption.RetainDeviceIdentity] = ProfileAction.Keep,
            [ProfileOption.CleanDescriptors] = ProfileAction.Clean,
        });

        Assert.Equal(ProfileAction.Clean, ConfidentialityProfile.Resolve(row, new HashSet<ProfileOption> { ProfileOption.RetainDeviceIdentity, ProfileOption.CleanDescriptors }));
        Assert.Equal(ProfileAction.Keep, ConfidentialityProfile.Resolve(row, new HashSet<ProfileOption> { ProfileOption.RetainDeviceIdentity }));
        Assert.Equal(ProfileAction.Remove, ConfidentialityProfile.Resolve(row, new HashSet<ProfileOption>()));
    }

    /// <summary>
    /// The coverage acceptance: an instance holding every attribute of the table (one element per row, patterns and
    /// private attributes included) goes through the engine under every combination of the options we offer, and every
    /// row is reported with the action the table and options give it: 100 % of rows map to an implemented action.
    /// </summary>
    [Fact]
    public void EveryRowOfTheTable_MapsToAnImplementedAction_UnderEveryOptionCombination()
    {
        var input = EveryAttributeInstance();
        var rows = ConfidentialityProfile.Attributes;
        var combinations = 0;
        for (var mask = 0; mask < 32; mask++)
        {
            var options = new DicomDeidentificationOptions
            {
                CleanDescriptors = (mask & 1) != 0,
                RetainLongitudinalTemporalInformationWithModifiedDates = (mask & 2) != 0,
                RetainPatientCharacteristics = (mask & 4) != 0,
                RetainDeviceIdentity = (mask & 8) != 0,
                SafePrivateCreators = (mask & 16) != 0 ? ["SAFE CREATOR"] : [],
            };
            var deidentifier = new DicomDeidentifier(TestSecrets.A, options);

            var result = deidentifier.Deidentify(input);

            Assert.False(result.Quarantined);
            var covered = rows.Count(row =>
                result.Report.AttributeCounts.TryGetValue(row.Label, out var codes)
                && codes.ContainsKey(ConfidentialityProfile.Code(ConfidentialityProfile.Resolve(row, deidentifier.ProfileOptions))));
            Assert.True(covered == rows.Count, $"options {mask}: {rows.Count - covered} rows not applied: "
                + string.Join(", ", rows.Where(r => !result.Report.AttributeCounts.ContainsKey(r.Label)).Select(r => r.TagText).Take(10)));
            combinations++;
        }

        output.WriteLine($"PS3.15 {ConfidentialityProfile.Revision} Table E.1-1: {rows.Count} rows, 100 % applied under {combinations} option combinations.");
    }

    /// <summary>One element for each row: the PS3.6 VR where we know it, else one from the name; a valid value of that VR.</summary>
    internal static DicomFile EveryAttributeInstance()
    {
        var builder = new DatasetBuilder()
            .Text(0x0008, 0x0016, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7")
            .Text(0x0008, 0x0060, DicomVR.CS, "OT");
        var dataset = builder.Build();
        foreach (var row in ConfidentialityProfile.Attributes)
        {
            var tag = row.IsPrivateAttributesRow ? new DicomTag(0x0009, 0x1010) : new DicomTag(row.Tag);
            if (row.IsPrivateAttributesRow)
            {
                dataset.Set(DicomValueElement.FromText(new DicomTag(0x0009, 0x0010), DicomVR.LO, "SAFE CREATOR"));
            }

            var vr = row.IsPrivateAttributesRow ? DicomVR.LO
                : DicomDictionary.TryGet(tag, out var entry) && entry.DefaultVR != DicomVR.UN ? entry.DefaultVR
                : row.Name.EndsWith("Sequence", StringComparison.Ordinal) ? DicomVR.SQ
                : row.Name.EndsWith("UID", StringComparison.Ordinal) ? DicomVR.UI
                : row.Name.EndsWith("DateTime", StringComparison.Ordinal) ? DicomVR.DT
                : row.Name.EndsWith("Date", StringComparison.Ordinal) ? DicomVR.DA
                : DicomVR.LO;
            if (row.Tag == 0x50000000)
            {
                tag = new DicomTag(0x5000, 0x3000);
                vr = DicomVR.OB;
            }

            dataset.Set(vr == DicomVR.SQ
                ? new DicomSequence(tag, [new DatasetBuilder(dataset).Text(0x0008, 0x0100, DicomVR.SH, "T-12345").Build()])
                : SampleValue(tag, vr));
        }

        return builder.BuildFile();
    }

    private static DicomValueElement SampleValue(DicomTag tag, DicomVR vr) => vr.Code switch
    {
        "DA" => DicomValueElement.FromText(tag, vr, "20200102"),
        "DT" => DicomValueElement.FromText(tag, vr, "20200102030405"),
        "TM" => DicomValueElement.FromText(tag, vr, "030405"),
        "UI" => DicomValueElement.FromText(tag, vr, "1.2.3.4.5"),
        "AS" => DicomValueElement.FromText(tag, vr, "045Y"),
        "DS" or "IS" => DicomValueElement.FromText(tag, vr, "12"),
        "CS" => DicomValueElement.FromText(tag, vr, "VALUE"),
        "AE" => DicomValueElement.FromText(tag, vr, "STATION1"),
        "UR" => DicomValueElement.FromText(tag, vr, "http://example.org/x"),
        _ when vr.Kind == VRKind.Text => DicomValueElement.FromText(tag, vr, "Some Value"),
        _ => new DicomValueElement(tag, vr, new byte[Math.Max(2, vr.UnitSize)]),
    };
}
