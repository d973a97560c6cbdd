using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using HealthAssist.Deidentify;
using HealthAssist.Deidentify.Dicom;
using HealthAssist.Dicom;
using HealthAssist.Dicom.IO;

namespace HealthAssist.UnitTests.Deidentify.Dicom;

public sealed class DicomDeidentifierTests
{
    private static readonly DicomDeidentifier Deidentifier = new(TestSecrets.A);

    private static PatientKeys CanaryKeys => PatientKeys.Derive(TestSecrets.A, CanaryInstance.Issuer, CanaryInstance.PatientId);

    private static DicomDataset Output(DicomDeidentificationResult result) => Assert.IsType<DicomFile>(result.File).Dataset;

    private static string? Text(DicomDataset dataset, ushort group, ushort element) => dataset.GetString(new DicomTag(group, element));

    [Fact]
    public void Deidentify_CanaryInstance_LeavesNoPlantedValueInTheWrittenBytes()
    {
        var result = Deidentifier.Deidentify(CanaryInstance.File());

        var bytes = DicomWriter.Write(result.File!);

        Assert.Empty(Leaks.Find(bytes, CanaryInstance.Canaries, CanaryInstance.Names));
    }

    [Fact]
    public void Deidentify_CanaryInstance_ReportAndReasonsHoldNoPlantedValueAndNoOriginalUid()
    {
        var result = Deidentifier.Deidentify(CanaryInstance.File());

        var report = JsonSerializer.SerializeToUtf8Bytes(result.Report);

        Assert.Empty(Leaks.Find(report, CanaryInstance.Canaries, CanaryInstance.Names));
        Assert.Contains(CanaryInstance.StudyUid, result.UidMap.Keys); // the map keeps them, for referential integrity only
    }

    [Fact]
    public void Deidentify_ReplacesPatientNameAndIdWithThePatientsPseudonym()
    {
        var output = Output(Deidentifier.Deidentify(CanaryInstance.File()));

        Assert.Equal(CanaryKeys.Pseudonym.Value, Text(output, 0x0010, 0x0010));
        Assert.Equal(CanaryKeys.Pseudonym.Value, Text(output, 0x0010, 0x0020));
    }

    [Fact]
    public void Deidentify_ShiftsEveryDateByThePatientsOffset_KeepingIntervalsTimesAndUtcOffsets()
    {
        var offset = CanaryKeys.DateOffsetDays;
        string Shifted(string date) => DateOnly.ParseExact(date, "yyyyMMdd", CultureInfo.InvariantCulture).AddDays(offset).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

        var output = Output(Deidentifier.Deidentify(CanaryInstance.File()));

        Assert.NotEqual(0, offset);
        Assert.Equal(Shifted("20230105"), Text(output, 0x0008, 0x0020)); // Study Date (Z, C under the option)
        Assert.Equal(Shifted("20230106"), Text(output, 0x0008, 0x0023)); // Content Date (Z/D)
        Assert.Equal(Shifted("20230106"), Text(output, 0x0008, 0x0012)); // Instance Creation Date (X/D)
        Assert.Equal(Shifted("20230105") + "093015.123456+0100", Text(output, 0x0008, 0x002A));
        Assert.Equal("093000", Text(output, 0x0008, 0x0030)); // whole days leave times of day alone
        var request = ((DicomSequence)output[new DicomTag(0x0040, 0x0275)]).Items.Single();
        Assert.Equal(Shifted("20221228"), Text(request, 0x0040, 0x0002)); // nested, Scheduled Procedure Step Start Date
        var study = DateOnly.ParseExact(Text(output, 0x0008, 0x0020)!, "yyyyMMdd", CultureInfo.InvariantCulture);
        var content = DateOnly.ParseExact(Text(output, 0x0008, 0x0023)!, "yyyyMMdd", CultureInfo.InvariantCulture);
        Assert.Equal(1, content.DayNumber - study.DayNumber);
        Assert.Equal("MODIFIED", Text(output, 0x0028, 0x0303));
        Assert.Equal(string.Empty, Text(output, 0x0010, 0x0030)); // Patient's Birth Date: Z, zero length
    }

    [Fact]
    public void Deidentify_WithoutTheModifiedDatesOption_ReplacesDatesWithDummiesAndSaysTheyWereRemoved()
    {
        var deidentifier = new DicomDeidentifier(TestSecrets.A, new DicomDeidentificationOptions { RetainLongitudinalTemporalInformationWithModifiedDates = false });

        var output = Output(deidentifier.Deidentify(CanaryInstance.File()));

        Assert.Equal(string.Empty, Text(output, 0x0008, 0x0020)); // Study Date: Z
        Assert.Equal(DummyValues.Date, Text(output, 0x0008, 0x0023)); // Content Date: Z/D, the dummy keeps Type 1 valid
        Assert.False(output.Contains(new DicomTag(0x0008, 0x0022)) && Text(output, 0x0008, 0x0022)!.Length > 0); // X/Z
        Assert.Equal("REMOVED", Text(output, 0x0028, 0x0303));
    }

    [Fact]
    public void Deidentify_SameSecretAndInput_GivesByteIdenticalOutput_AnotherSecretDoesNot()
    {
        var first = DicomWriter.Write(Deidentifier.Deidentify(CanaryInstance.File()).File!);
        var second = DicomWriter.Write(new DicomDeidentifier(TestSecrets.A).Deidentify(CanaryInstance.File()).File!);
        var other = DicomWriter.Write(new DicomDeidentifier(TestSecrets.B).Deidentify(CanaryInstance.File()).File!);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Deidentify_TwoInstancesOfAStudy_KeepStudyAndSeriesAndResolveReferencesToTheSameNewUids()
    {
        const string First = CanaryInstance.UidPrefix + ".21";
        const string Second = CanaryInstance.UidPrefix + ".22";
        var firstFile = CanaryInstance.File(First);
        var secondFile = CanaryInstance.Builder(Second)
            .Sequence(0x0008, 0x1140, item => item.Text(0x0008, 0x1150, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2").Text(0x0008, 0x1155, DicomVR.UI, First))
            .Sequence(0x0008, 0x2112, item => item.Text(0x0008, 0x1150, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2").Text(0x0008, 0x1155, DicomVR.UI, First))
            .Sequence(0x0008, 0x1115, series => series
                .Text(0x0020, 0x000E, DicomVR.UI, CanaryInstance.SeriesUid)
                .Sequence(0x0008, 0x114A, instance => instance.Text(0x0008, 0x1150, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2").Text(0x0008, 0x1155, DicomVR.UI, First)))
            .BuildFile();

        var a = Deidentifier.Deidentify(firstFile);
        var b = Deidentifier.Deidentify(secondFile);
        var outA = Output(a);
        var outB = Output(b);

        Assert.Equal(Text(outA, 0x0020, 0x000D), Text(outB, 0x0020, 0x000D));
        Assert.Equal(Text(outA, 0x0020, 0x000E), Text(outB, 0x0020, 0x000E));
        Assert.Equal(Text(outA, 0x0020, 0x0052), Text(outB, 0x0020, 0x0052));
        Assert.NotEqual(Text(outA, 0x0008, 0x0018), Text(outB, 0x0008, 0x0018));
        var newFirst = Text(outA, 0x0008, 0x0018);
        foreach (var sequence in new[] { new DicomTag(0x0008, 0x1140), new DicomTag(0x0008, 0x2112) })
        {
            var reference = ((DicomSequence)outB[sequence]).Items.Single();
            Assert.Equal(newFirst, Text(reference, 0x0008, 0x1155));
            Assert.Equal("1.2.840.10008.5.1.4.1.1.2", Text(reference, 0x0008, 0x1150)); // class UIDs name no one
        }

        // References two levels down in a sequence the table does not list resolve too.
        var series = ((DicomSequence)outB[new DicomTag(0x0008, 0x1115)]).Items.Single();
        Assert.Equal(Text(outA, 0x0020, 0x000E), Text(series, 0x0020, 0x000E));
        var instance = ((DicomSequence)series[new DicomTag(0x0008, 0x114A)]).Items.Single();
        Assert.Equal(newFirst, Text(instance, 0x0008, 0x1155));

        // Referenced Study Sequence is X/Z: emptied (Z), not left pointing at the original study.
        var request = ((DicomSequence)outB[new DicomTag(0x0040, 0x0275)]).Items.Single();
        Assert.Empty(((DicomSequence)request[new DicomTag(0x0008, 0x1110)]).Items);
        foreach (var uid in new[] { Text(outA, 0x0020, 0x000D)!, newFirst! })
        {
            Assert.StartsWith("2.25.", uid, StringComparison.Ordinal);
            Assert.True(uid.Length <= 64 && uid.All(c => char.IsAsciiDigit(c) || c == '.'));
        }

        Assert.Equal(newFirst, a.UidMap[First]);
        Assert.Equal(newFirst, b.UidMap[First]);
    }

    [Fact]
    public void Deidentify_WritesTheFileMetaFromTheNewSopInstanceUid()
    {
        var result = Deidentifier.Deidentify(CanaryInstance.File());

        var reread = DicomReader.Read(DicomWriter.Write(result.File!));

        Assert.Equal(Text(reread.Dataset, 0x0008, 0x0018), reread.FileMetaInformation.GetString(new DicomTag(0x0002, 0x0003)));
    }

    [Fact]
    public void Deidentify_RemovesSequencesWhoseActionIsX_AndPrivateGroups_OverlaysAndCurves()
    {
        var output = Output(Deidentifier.Deidentify(CanaryInstance.File()));

        Assert.False(output.Contains(new DicomTag(0x0008, 0x1120))); // Referenced Patient Sequence: X
        Assert.DoesNotContain(output, e => e.Tag.IsPrivate);
        Assert.DoesNotContain(output, e => (e.Tag.Group & 0xFF00) is 0x6000 or 0x5000);
        Assert.False(output.Contains(new DicomTag(0x0010, 0x1000))); // Other Patient IDs
        Assert.False(output.Contains(new DicomTag(0x0008, 0x0081))); // Institution Address
    }

    [Fact]
    public void Deidentify_KeepsASafeListedPrivateBlockOnly()
    {
        var input = CanaryInstance.Builder()
            .Text(0x0011, 0x0010, DicomVR.LO, "SAFE VENDOR 1")
            .Text(0x0011, 0x1002, DicomVR.DS, "1.5")
            .BuildFile();
        var deidentifier = new DicomDeidentifier(TestSecrets.A, new DicomDeidentificationOptions { SafePrivateCreators = ["SAFE VENDOR 1"] });

        var result = deidentifier.Deidentify(input);
        var output = Output(result);

        Assert.Equal("1.5", Text(output, 0x0011, 0x1002));
        Assert.Equal("SAFE VENDOR 1", Text(output, 0x0011, 0x0010));
        Assert.False(output.Contains(new DicomTag(0x0009, 0x1001)));
        Assert.Contains("Retain Safe Private Option", result.Report.Options);
    }

    [Fact]
    public void Deidentify_CleansDescriptorsOfNamesIdsDatesAndPhoneNumbers_KeepingTheirClinicalMeaning()
    {
        var output = Output(Deidentifier.Deidentify(CanaryInstance.File()));

        Assert.Equal("CT chest for [removed] follow-up", Text(output, 0x0008, 0x1030));
        Assert.Equal("Axial 5mm [removed]", Text(output, 0x0008, 0x103E));
        Assert.Equal("Chest routine", Text(output, 0x0018, 0x1030));
        Assert.Equal("Patient [removed], born [removed], call [removed]", Text(output, 0x0010, 0x4000));
    }

    [Fact]
    public void Deidentify_WithoutCleanDescriptors_RemovesThem()
    {
        var deidentifier = new DicomDeidentifier(TestSecrets.A, new DicomDeidentificationOptions { CleanDescriptors = false });

        var output = Output(deidentifier.Deidentify(CanaryInstance.File()));

        Assert.False(output.Contains(new DicomTag(0x0008, 0x1030))); // Study Description: X
        Assert.False(output.Contains(new DicomTag(0x0040, 0x0275))); // Request Attributes Sequence: X
        Assert.Equal(DummyValues.Text, Text(output, 0x0018, 0x1030)); // Protocol Name: X/D, the dummy
    }

    [Fact]
    public void Deidentify_KeepsPatientCharacteristicsByDefault_AndRemovesThemWithoutTheOption()
    {
        var kept = Output(Deidentifier.Deidentify(CanaryInstance.File()));
        var removed = Output(new DicomDeidentifier(TestSecrets.A, new DicomDeidentificationOptions { RetainPatientCharacteristics = false }).Deidentify(CanaryInstance.File()));

        Assert.Equal("F", Text(kept, 0x0010, 0x0040));
        Assert.Equal("071Y", Text(kept, 0x0010, 0x1010));
        Assert.Equal("61.5", Text(kept, 0x0010, 0x1030));
        Assert.Equal(string.Empty, Text(removed, 0x0010, 0x0040)); // Z
        Assert.False(removed.Contains(new DicomTag(0x0010, 0x1010))); // X
    }

    [Fact]
    public void Deidentify_ReplacesDeviceIdentityByDefault_AndKeepsItWithTheOption()
    {
        var replaced = Output(Deidentifier.Deidentify(CanaryInstance.File()));
        var kept = Output(new DicomDeidentifier(TestSecrets.A, new DicomDeidentificationOptions { RetainDeviceIdentity = true }).Deidentify(CanaryInstance.File()));

        Assert.Equal(DummyValues.Text, Text(replaced, 0x0018, 0x1000)); // Device Serial Number: X/Z/D
        Assert.Equal("SN-CANARY-42", Text(kept, 0x0018, 0x1000));
        Assert.Equal("CT-CANARY-01", Text(kept, 0x0008, 0x1010));
    }

    [Fact]
    public void Deidentify_RecordsTheMethodAndTheOptionsUsed()
    {
        var result = Deidentifier.Deidentify(CanaryInstance.File());
        var output = Output(result);

        Assert.Equal("YES", Text(output, 0x0012, 0x0062));
        Assert.Contains("PS3.15 2024c", Text(output, 0x0012, 0x0063), StringComparison.Ordinal);
        var codes = ((DicomSequence)output[new DicomTag(0x0012, 0x0064)]).Items.Select(i => (Text(i, 0x0008, 0x0100), Text(i, 0x0008, 0x0102))).ToList();
        Assert.Equal([("113100", "DCM"), ("113105", "DCM"), ("113107", "DCM"), ("113108", "DCM")], codes);
        Assert.Equal(ConfidentialityProfile.Revision, result.Report.ProfileRevision);
        Assert.True(result.Report.DatesShifted);
        Assert.Equal(4, result.Report.UidsReplaced); // SOP Instance, Study, Series, Frame of Reference
        Assert.Equal(1, result.Report.AttributeCounts["PatientName"]["Z"]);
    }

    [Fact]
    public void Deidentify_ReportCountsActionsPerCodeAndPerKeyword()
    {
        var report = Deidentifier.Deidentify(CanaryInstance.File()).Report;

        Assert.Equal(1, report.AttributeCounts["AccessionNumber"]["Z"]);
        Assert.Equal(1, report.AttributeCounts["InstitutionName"]["X/Z/D"]);
        Assert.Equal(1, report.AttributeCounts["StudyDescription"]["C"]);
        Assert.Equal(2, report.AttributeCounts["(gggg,eeee)"]["X"]);
        Assert.True(report.ActionCounts["U"] >= 4);
        Assert.Equal(report.ActionCounts.Where(a => a.Key != "unlisted:K").Sum(a => a.Value), report.AttributeCounts.Sum(a => a.Value.Values.Sum()));
    }

    [Fact]
    public void Deidentify_TextWrittenInAnotherRepertoire_MakesTheWholeInstanceUtf8()
    {
        var input = new DatasetBuilder()
            .Bytes(0x0008, 0x0005, DicomVR.CS, "ISO_IR 100"u8.ToArray())
            .Text(0x0008, 0x0016, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2")
            .Text(0x0008, 0x0018, DicomVR.UI, "1.2.3.4")
            .Text(0x0008, 0x0060, DicomVR.CS, "CT")
            .Bytes(0x0008, 0x1030, DicomVR.LO, System.Text.Encoding.Latin1.GetBytes("Thorax f\u00FCr M\u00FCller "))
            .Bytes(0x0008, 0x1090, DicomVR.LO, System.Text.Encoding.Latin1.GetBytes("R\u00F6ntgen 1 "))
            .Bytes(0x0010, 0x0010, DicomVR.PN, System.Text.Encoding.Latin1.GetBytes("M\u00FCller^J\u00FCrgen "))
            .Text(0x0010, 0x0020, DicomVR.LO, "P1")
            .BuildFile();

        var result = Deidentifier.Deidentify(input);
        var reread = DicomReader.Read(DicomWriter.Write(result.File!));

        Assert.Equal("ISO_IR 192", Text(reread.Dataset, 0x0008, 0x0005));
        Assert.Equal("Thorax f\u00FCr [removed]", Text(reread.Dataset, 0x0008, 0x1030));
        Assert.Equal("R\u00F6ntgen 1", Text(reread.Dataset, 0x0008, 0x1090)); // kept text re-encoded, same meaning
    }

    [Fact]
    public void Deidentify_BurnedInAnnotationYes_IsQuarantinedWithAReasonAndNoOutput()
    {
        var input = CanaryInstance.Builder().Text(0x0028, 0x0301, DicomVR.CS, "YES").BuildFile();

        var result = Deidentifier.Deidentify(input);

        Assert.True(result.Quarantined);
        Assert.Null(result.File);
        Assert.Contains("burned-in text", result.QuarantineReason, StringComparison.Ordinal);
        Assert.Equal(result.QuarantineReason, result.Report.QuarantineReason);
        Assert.Empty(Leaks.Find(System.Text.Encoding.UTF8.GetBytes(result.QuarantineReason!), CanaryInstance.Canaries, CanaryInstance.Names));
        Assert.Empty(result.UidMap);
    }

    [Theory]
    [InlineData("US")]
    [InlineData("SC")]
    public void Deidentify_ModalityKnownToBurnInText_WithoutBurnedInAnnotation_IsQuarantined(string modality)
    {
        var input = CanaryInstance.Builder().Text(0x0008, 0x0060, DicomVR.CS, modality).Build();
        input.Remove(new DicomTag(0x0028, 0x0301));

        var result = Deidentifier.Deidentify(new DicomFile(new DicomDataset(), input, TransferSyntax.ExplicitVRLittleEndian, true));

        Assert.True(result.Quarantined);
    }

    [Fact]
    public void Deidentify_ModalityListIsConfigurable()
    {
        var input = CanaryInstance.Builder().Text(0x0008, 0x0060, DicomVR.CS, "US").Build();
        input.Remove(new DicomTag(0x0028, 0x0301));
        var deidentifier = new DicomDeidentifier(TestSecrets.A, new DicomDeidentificationOptions { BurnedInTextModalities = ["XA"] });

        var result = deidentifier.Deidentify(new DicomFile(new DicomDataset(), input, TransferSyntax.ExplicitVRLittleEndian, true));

        Assert.False(result.Quarantined);
    }

    [Fact]
    public void Deidentify_BurnedInText_WithAMatchingRule_BlanksTheDeclaredRegionInEveryPixel()
    {
        const int Rows = 6, Columns = 8;
        var input = CanaryInstance.Builder(rows: Rows, columns: Columns).Text(0x0028, 0x0301, DicomVR.CS, "YES").BuildFile();
        var rule = new PixelCleaningRule("acme medical", "Scanner 9000", [new PixelRegion(1, 0, 3, 2)]) { Rows = Rows, Columns = Columns };
        var deidentifier = new DicomDeidentifier(TestSecrets.A, new DicomDeidentificationOptions { PixelCleaningRules = [rule] });

        var result = deidentifier.Deidentify(input);
        var output = Output(result);

        var pixels = ((DicomValueElement)output[DicomTag.PixelData]).Data.ToArray();
        for (var row = 0; row < Rows; row++)
        {
            for (var column = 0; column < Columns; column++)
            {
                var value = BinaryPrimitives.ReadUInt16LittleEndian(pixels.AsSpan(((row * Columns) + column) * 2));
                var inRegion = row < 2 && column is >= 1 and < 4;
                Assert.Equal(inRegion ? 0 : (row * Columns) + column + 1, value);
            }
        }

        Assert.Equal("NO", Text(output, 0x0028, 0x0301));
        Assert.Equal(1, result.Report.PixelRegionsBlanked);
        Assert.Contains("Clean Pixel Data Option", result.Report.Options);
        Assert.Contains(((DicomSequence)output[new DicomTag(0x0012, 0x0064)]).Items, i => Text(i, 0x0008, 0x0100) == "113101");
    }

    [Fact]
    public void Deidentify_BurnedInText_InCompressedPixelData_IsQuarantinedEvenWithARule()
    {
        var input = DicomSamples.Read("MR_small_RLE.dcm");
        input.Dataset.Set(DicomValueElement.FromText(new DicomTag(0x0028, 0x0301), DicomVR.CS, "YES"));
        var deidentifier = new DicomDeidentifier(TestSecrets.A, new DicomDeidentificationOptions { PixelCleaningRules = [new PixelCleaningRule(null, null, [new PixelRegion(0, 0, 10, 10)])] });

        var result = deidentifier.Deidentify(input);

        Assert.True(result.Quarantined);
        Assert.Contains("compressed", result.QuarantineReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Deidentify_DoesNotModifyItsInput()
    {
        var input = CanaryInstance.File();
        var before = DicomWriter.Write(input);

        Deidentifier.Deidentify(input);

        Assert.Equal(before, DicomWriter.Write(input));
    }

    [Fact]
    public void Deidentify_UnknownPublicTextAttribute_IsRemoved_AndUnknownNumbersKept()
    {
        var input = CanaryInstance.Builder()
            .Text(0x0020, 0xFF10, DicomVR.LO, "canary in an unknown tag")
            .UInt16(0x0020, 0xFF12, 7)
            .BuildFile();

        var output = Output(Deidentifier.Deidentify(input));

        Assert.False(output.Contains(new DicomTag(0x0020, 0xFF10)));
        Assert.True(output.Contains(new DicomTag(0x0020, 0xFF12)));
    }

    [Fact]
    public void Deidentify_SequenceReplacedByDummy_KeepsCodesAndReplacesFreeText()
    {
        var input = CanaryInstance.Builder()
            .Sequence(0x0040, 0xA730, item => item
                .Text(0x0040, 0xA040, DicomVR.CS, "TEXT")
                .Sequence(0x0040, 0xA043, code => code.Text(0x0008, 0x0100, DicomVR.SH, "121071").Text(0x0008, 0x0102, DicomVR.SH, "DCM").Text(0x0008, 0x0104, DicomVR.LO, "Finding"))
                .Text(0x0040, 0xA160, DicomVR.UT, "Seen by Dr Finchley for Jonathan Canaryman"))
            .BuildFile();

        var output = Output(Deidentifier.Deidentify(input));

        var item = ((DicomSequence)output[new DicomTag(0x0040, 0xA730)]).Items.Single();
        Assert.Equal("TEXT", Text(item, 0x0040, 0xA040));
        Assert.Equal(DummyValues.Text, Text(item, 0x0040, 0xA160));
        var code = ((DicomSequence)item[new DicomTag(0x0040, 0xA043)]).Items.Single();
        Assert.Equal(("121071", "Finding"), (Text(code, 0x0008, 0x0100), Text(code, 0x0008, 0x0104)));
    }
}

public sealed class DicomAgeAggregationTests
{
    [Theory]
    [InlineData("093Y", "090Y")]
    [InlineData("089Y", "089Y")]
    [InlineData("045Y", "045Y")]
    public void PatientAge_OverEightyNine_IsAggregatedToNinety(string age, string expected)
    {
        var dataset = new HealthAssist.Dicom.DicomDataset();
        dataset.Set(HealthAssist.Dicom.DicomValueElement.FromText(new HealthAssist.Dicom.DicomTag(0x0010, 0x0020), HealthAssist.Dicom.DicomVR.LO, "MRN-1"));
        dataset.Set(HealthAssist.Dicom.DicomValueElement.FromText(new HealthAssist.Dicom.DicomTag(0x0010, 0x1010), HealthAssist.Dicom.DicomVR.AS, age));
        dataset.Set(HealthAssist.Dicom.DicomValueElement.FromText(new HealthAssist.Dicom.DicomTag(0x0008, 0x0060), HealthAssist.Dicom.DicomVR.CS, "CT"));
        var file = new HealthAssist.Dicom.DicomFile(new HealthAssist.Dicom.DicomDataset(), dataset, HealthAssist.Dicom.TransferSyntax.ExplicitVRLittleEndian, true);

        var result = new HealthAssist.Deidentify.Dicom.DicomDeidentifier(HealthAssist.Security.DeploymentSecret.Generate()).Deidentify(file);

        Assert.Equal(expected, result.File!.Dataset.GetString(new HealthAssist.Dicom.DicomTag(0x0010, 0x1010)));
    }
}
