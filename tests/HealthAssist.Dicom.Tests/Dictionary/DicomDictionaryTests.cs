namespace HealthAssist.Dicom.Tests.Dictionary;

public class DicomDictionaryTests
{
    [Fact]
    public void TryGet_ForPatientName_ReturnsPNWithVM1()
    {
        Assert.True(DicomDictionary.TryGet(new DicomTag(0x0010, 0x0010), out var entry));

        Assert.Equal("PN", entry.VR);
        Assert.Equal("1", entry.VM);
        Assert.Equal("Patient's Name", entry.Name);
        Assert.Equal("PatientName", entry.Keyword);
        Assert.Equal(0xFFFFFFFFu, entry.Mask);
        Assert.False(entry.Retired);
    }

    [Fact]
    public void TryGet_ForPixelData_ReturnsOBOrOWDefaultingToOB()
    {
        Assert.True(DicomDictionary.TryGet(DicomTag.PixelData, out var entry));

        Assert.Equal("OB or OW", entry.VR);
        Assert.Same(DicomVR.OB, entry.DefaultVR);
        Assert.Equal("PixelData", entry.Keyword);
    }

    [Fact]
    public void TryGet_ForRetiredNetworkId_ReturnsEntryMarkedRetired()
    {
        Assert.True(DicomDictionary.TryGet(new DicomTag(0x0008, 0x1000), out var entry));

        Assert.Equal("NetworkID", entry.Keyword);
        Assert.Equal("AE", entry.VR);
        Assert.True(entry.Retired);
    }

    [Theory]
    [InlineData(0x6000)]
    [InlineData(0x6002)]
    [InlineData(0x601E)]
    public void TryGet_ForOverlayDataInAnyOverlayGroup_ResolvesTheRepeatingGroupEntry(int group)
    {
        Assert.True(DicomDictionary.TryGet(new DicomTag((ushort)group, 0x3000), out var entry));

        Assert.Equal("OverlayData", entry.Keyword);
        Assert.Equal("OB or OW", entry.VR);
        Assert.Equal(new DicomTag(0x6000, 0x3000), entry.Tag);
        Assert.Equal(0xFF00FFFFu, entry.Mask);
    }

    [Fact]
    public void TryGet_ForRepeaterPatternInOddGroup_DoesNotMatchBecauseOddGroupsArePrivate()
    {
        Assert.False(DicomDictionary.TryGet(new DicomTag(0x6001, 0x3000), out _));
    }

    [Fact]
    public void TryGet_ForRepeaterWithOpenElementDigits_MasksTheElement()
    {
        Assert.True(DicomDictionary.TryGet(new DicomTag(0x1000, 0x0121), out var entry));

        Assert.Equal("RunLengthTriplet", entry.Keyword);
        Assert.Equal(0xFFFF000Fu, entry.Mask);
    }

    [Fact]
    public void TryGet_ForExactEntryThatAlsoFitsARepeaterPattern_PrefersTheExactEntry()
    {
        // (0028,0400) Transform Label is listed on its own and also fits (0028,04x0) Rows For Nth Order Coefficients.
        Assert.True(DicomDictionary.TryGet(new DicomTag(0x0028, 0x0400), out var exact));
        Assert.True(DicomDictionary.TryGet(new DicomTag(0x0028, 0x0410), out var repeater));

        Assert.Equal("TransformLabel", exact.Keyword);
        Assert.Equal("RowsForNthOrderCoefficients", repeater.Keyword);
    }

    [Theory]
    [InlineData(0x0009)]
    [InlineData(0x0010)]
    [InlineData(0x7FE0)]
    public void TryGet_ForGroupLengthOfAnyGroup_ReturnsULGroupLength(int group)
    {
        Assert.True(DicomDictionary.TryGet(new DicomTag((ushort)group, 0x0000), out var entry));

        Assert.Equal("UL", entry.VR);
        Assert.Equal("1", entry.VM);
        Assert.Equal("Group Length", entry.Name);
        Assert.Equal("GroupLength", entry.Keyword);
    }

    [Fact]
    public void TryGet_ForFileMetaGroupLength_ReturnsItsOwnEntry()
    {
        Assert.True(DicomDictionary.TryGet(DicomTag.FileMetaInformationGroupLength, out var entry));

        Assert.Equal("FileMetaInformationGroupLength", entry.Keyword);
    }

    [Theory]
    [InlineData(0x0029, 0x0010)]
    [InlineData(0x0029, 0x00FF)]
    [InlineData(0x0009, 0x0011)]
    public void TryGet_ForPrivateCreatorElement_ReturnsLOPrivateCreator(int group, int element)
    {
        Assert.True(DicomDictionary.TryGet(new DicomTag((ushort)group, (ushort)element), out var entry));

        Assert.Equal("LO", entry.VR);
        Assert.Equal("Private Creator", entry.Name);
        Assert.Equal("PrivateCreator", entry.Keyword);
    }

    [Theory]
    [InlineData(0x0029, 0x1010)]
    [InlineData(0x0029, 0x0005)]
    [InlineData(0x0010, 0x9999)]
    public void TryGet_ForTagNotInTheStandard_ReturnsFalse(int group, int element)
    {
        Assert.False(DicomDictionary.TryGet(new DicomTag((ushort)group, (ushort)element), out var entry));
        Assert.Null(entry);
    }

    [Fact]
    public void TryGetByKeyword_ForStudyInstanceUid_ReturnsItsTag()
    {
        Assert.True(DicomDictionary.TryGetByKeyword("StudyInstanceUID", out var entry));

        Assert.Equal(new DicomTag(0x0020, 0x000D), entry.Tag);
        Assert.Equal("UI", entry.VR);
    }

    [Fact]
    public void TryGetByKeyword_ForRepeatingGroupKeyword_ReturnsThePattern()
    {
        Assert.True(DicomDictionary.TryGetByKeyword("OverlayData", out var entry));

        Assert.Equal(new DicomTag(0x6000, 0x3000), entry.Tag);
    }

    [Theory]
    [InlineData("")]
    [InlineData("patientname")]
    [InlineData("NoSuchKeyword")]
    public void TryGetByKeyword_ForUnknownOrMiscasedKeyword_ReturnsFalse(string keyword)
    {
        Assert.False(DicomDictionary.TryGetByKeyword(keyword, out _));
    }

    [Fact]
    public void Count_IncludesOrdinaryAndRepeatingEntries_AboveFourThousand()
    {
        Assert.True(DicomDictionary.Count > 4000, $"Count was {DicomDictionary.Count}.");
    }

    [Fact]
    public void TryGetByKeyword_ForTheKeywordOfAnEntry_ReturnsTheSameInstance()
    {
        foreach (var tag in new[] { new DicomTag(0x0008, 0x0016), new DicomTag(0x0028, 0x0010), new DicomTag(0x0040, 0xA730) })
        {
            Assert.True(DicomDictionary.TryGet(tag, out var entry));
            Assert.True(DicomDictionary.TryGetByKeyword(entry.Keyword, out var byKeyword));
            Assert.Same(entry, byKeyword);
        }
    }

    [Fact]
    public void PrivateTryGet_ForSiemensCsaImageHeaderInfo_ReturnsOB()
    {
        Assert.True(PrivateDictionary.TryGet("SIEMENS CSA HEADER", new DicomTag(0x0029, 0x1010), out var entry));

        Assert.Equal("OB", entry.VR);
        Assert.Equal("1", entry.VM);
        Assert.Equal("CSA Image Header Info", entry.Name);
        Assert.Equal("SIEMENS CSA HEADER", entry.Creator);
    }

    [Theory]
    [InlineData(0x1010)]
    [InlineData(0x1110)]
    [InlineData(0xFF10)]
    public void PrivateTryGet_InAnyBlock_MatchesOnTheElementLowByte(int element)
    {
        Assert.True(PrivateDictionary.TryGet("SIEMENS CSA HEADER", new DicomTag(0x0029, (ushort)element), out var entry));

        Assert.Equal("CSA Image Header Info", entry.Name);
    }

    [Theory]
    [InlineData("SIEMENS CSA HEADER ")]
    [InlineData("SIEMENS CSA HEADER\0")]
    [InlineData(" SIEMENS CSA HEADER  ")]
    public void PrivateTryGet_WithPaddedCreator_TrimsThePadding(string creator)
    {
        Assert.True(PrivateDictionary.TryGet(creator, new DicomTag(0x0029, 0x1020), out var entry));

        Assert.Equal("CSA Series Header Info", entry.Name);
    }

    [Fact]
    public void PrivateTryGet_ForPatternWithOpenGroup_MatchesAnyGroup()
    {
        // PAPYRUS 3.0 (60xx,xx10) Overlay Rows: xx in the group as well as the block.
        Assert.True(PrivateDictionary.TryGet("PAPYRUS 3.0", new DicomTag(0x6001, 0x1010), out var entry));

        Assert.Equal("Overlay Rows", entry.Name);
        Assert.Equal("US", entry.VR);
    }

    [Fact]
    public void PrivateTryGet_ForNameWithBackslash_KeepsTheBackslash()
    {
        Assert.True(PrivateDictionary.TryGet("GEMS_IDEN_01", new DicomTag(0x0009, 0x10E2), out var entry));

        Assert.Equal(@"Image Type (ORIGINAL\PROSPECTIVE ...)", entry.Name);
    }

    [Fact]
    public void PrivateTryGet_ForPydicomOBOWVR_UsesTheStandardOrSpelling()
    {
        Assert.True(PrivateDictionary.TryGet("TOSHIBA_MEC_OT3", new DicomTag(0x7019, 0x1080), out var entry));

        Assert.Equal("OB or OW", entry.VR);
    }

    [Theory]
    [InlineData("siemens csa header", 0x1010)]
    [InlineData("NO SUCH CREATOR", 0x1010)]
    [InlineData("SIEMENS CSA HEADER", 0x1099)]
    [InlineData("SIEMENS CSA HEADER", 0x0010)]
    public void PrivateTryGet_ForUnknownCreatorOrElement_ReturnsFalse(string creator, int element)
    {
        Assert.False(PrivateDictionary.TryGet(creator, new DicomTag(0x0029, (ushort)element), out var entry));
        Assert.Null(entry);
    }
}
